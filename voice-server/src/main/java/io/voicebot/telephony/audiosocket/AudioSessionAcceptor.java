package io.voicebot.telephony.audiosocket;

import java.util.Optional;

/** Decides what to do with a new AudioSocket session once its UUID is known. Runs on the server's executor. */
@FunctionalInterface
public interface AudioSessionAcceptor {
    /** Returns the listener for the session, or empty to reject the UUID (the connection is closed). */
    Optional<AudioListener> accept(AudioChannel channel) throws Exception;
}
