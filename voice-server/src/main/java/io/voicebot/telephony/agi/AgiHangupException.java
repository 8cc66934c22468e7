package io.voicebot.telephony.agi;

/** The channel hung up (Asterisk sent "HANGUP") or the FastAGI socket closed. */
public final class AgiHangupException extends AgiException {
    public AgiHangupException(String message) {
        super(message);
    }
}
