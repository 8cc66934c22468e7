package io.voicebot.telephony.agi;

/** Base of every AGI failure a script can see; the session that raised it is over or out of sync. */
public class AgiException extends Exception {
    public AgiException(String message) {
        super(message);
    }

    public AgiException(String message, Throwable cause) {
        super(message, cause);
    }
}
