package io.voicebot.speech.tts;

/** Synthesis failed or was refused (queue full, shut down, bad text). */
public final class TtsException extends RuntimeException {
    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
