package io.voicebot.telephony.agi;

/** Asterisk sent something that is not FastAGI (bad environment line, unparseable reply). */
public final class AgiProtocolException extends AgiException {
    public AgiProtocolException(String message) {
        super(message);
    }
}
