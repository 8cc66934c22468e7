package io.voicebot.speech.asr;

/** A recognizer that cannot start, or a vocabulary or stream that cannot be used; the message says what and where. */
public final class AsrException extends RuntimeException {
    public AsrException(String message) {
        super(message);
    }

    public AsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
