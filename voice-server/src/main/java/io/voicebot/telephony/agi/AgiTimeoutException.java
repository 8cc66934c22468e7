package io.voicebot.telephony.agi;

/** No reply within agi.command.timeout.ms; the session is closed because replies can no longer be matched. */
public final class AgiTimeoutException extends AgiException {
    public AgiTimeoutException(String message) {
        super(message);
    }
}
