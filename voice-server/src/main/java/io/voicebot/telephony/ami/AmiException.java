package io.voicebot.telephony.ami;

/** An AMI command failed: not connected, refused by Asterisk, or the connection was lost. */
public class AmiException extends RuntimeException {
    public AmiException(String message) {
        super(message);
    }

    public AmiException(String message, Throwable cause) {
        super(message, cause);
    }
}
