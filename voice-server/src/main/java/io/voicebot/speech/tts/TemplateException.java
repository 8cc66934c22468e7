package io.voicebot.speech.tts;

/** A prompt template that cannot be parsed or rendered; the message names the template and the variable. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
