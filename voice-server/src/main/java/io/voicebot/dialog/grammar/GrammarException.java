package io.voicebot.dialog.grammar;

/** A grammar file that cannot be used; the message names the file, line and field. */
public final class GrammarException extends RuntimeException {
    public GrammarException(String message) {
        super(message);
    }
}
