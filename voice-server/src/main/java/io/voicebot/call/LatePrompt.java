package io.voicebot.call;

/**
 * The neutral line a call hears when its turn's prompt is late (synthesis busy): said once in that turn, before
 * the prompt, so the caller does not sit in silence. Stored in the turn log marked as such, never as a prompt of the
 * dialog ({@link #LOGGED}).
 */
public final class LatePrompt {
    /** What the caller hears. */
    public static final String TEXT = "One moment, please.";
    /** How the note of the turn that answers the prompt records it. */
    public static final String LOGGED = "[late prompt filler: " + TEXT + "]";

    private LatePrompt() {}
}
