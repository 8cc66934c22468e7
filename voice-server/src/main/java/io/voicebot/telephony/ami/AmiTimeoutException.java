package io.voicebot.telephony.ami;

/** Asterisk did not answer within ami.command.timeout.ms (or an originate got no outcome in time). */
public final class AmiTimeoutException extends AmiException {
    public AmiTimeoutException(String message) {
        super(message);
    }
}
