package io.voicebot.telephony.agi;

/** One FastAGI script (e.g. "/inbound"); runs on the AGI executor, may block, and ends the session by returning. */
@FunctionalInterface
public interface AgiScript {
    void run(AgiCall call) throws Exception;
}
