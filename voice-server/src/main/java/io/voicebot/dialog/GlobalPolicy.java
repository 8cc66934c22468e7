package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * When a destructive global intent (opt-out, wrong person, agent) acts at once and when the caller is asked "Just to
 * be sure: ...?" first. A recognizer can turn unrelated speech into "remove my number" with high confidence, so a
 * spoken intent is confirmed unless the phrase was long ({@code minWords}) and heard clearly
 * ({@code minConfidence}); keys pressed are never confirmed. Set per dialog under {@code confirm_globals}.
 */
public record GlobalPolicy(Mode confirm, int minWords, double minConfidence) {

    /** {@code ALWAYS}: every spoken one; {@code UNLESS_CLEAR}: not a long clear phrase; {@code NEVER}: act at once. */
    public enum Mode {
        ALWAYS, UNLESS_CLEAR, NEVER;

        public String scriptName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The intents that end the call, record an opt-out or hand over to a person. */
    public static final Set<GlobalIntent> DESTRUCTIVE = Set.of(GlobalIntent.OPT_OUT, GlobalIntent.WRONG_PERSON,
            GlobalIntent.AGENT);

    public static final GlobalPolicy STANDARD_POLICY = new GlobalPolicy(Mode.UNLESS_CLEAR, 4, 0.95);

    /** The built-in policy of every destructive intent. */
    public static final Map<GlobalIntent, GlobalPolicy> STANDARD = standard();

    public GlobalPolicy {
        if (confirm == null) {
            throw new IllegalArgumentException("confirm mode is null");
        }
        if (minWords < 1) {
            throw new IllegalArgumentException("min_words must be at least 1, got " + minWords);
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("min_confidence must be within 0..1, got " + minConfidence);
        }
    }

    /**
     * Why the intent may act without asking, or null when the caller must confirm it first. {@code keypad}: it
     * came by DTMF.
     */
    public String actAtOnce(boolean keypad, String text, double confidence) {
        if (keypad) {
            return "keypad";
        }
        return switch (confirm) {
            case NEVER -> "confirmation off";
            case ALWAYS -> null;
            case UNLESS_CLEAR -> {
                String n = Grammar.normalize(text);
                int words = n.isEmpty() ? 0 : n.split(" ").length;
                yield words >= minWords && confidence >= minConfidence
                        ? String.format(java.util.Locale.ROOT, "long clear phrase %d words %.2f", words, confidence)
                        : null;
            }
        };
    }

    private static Map<GlobalIntent, GlobalPolicy> standard() {
        Map<GlobalIntent, GlobalPolicy> m = new EnumMap<>(GlobalIntent.class);
        for (GlobalIntent g : DESTRUCTIVE) {
            m.put(g, STANDARD_POLICY);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
