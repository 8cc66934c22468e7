package io.voicebot.dialog;

import java.util.List;

/**
 * Phrases one listen biases the recognizer to; {@code repeat}: several may follow in one utterance;
 * {@code secondary}: the global phrases among them (see {@link Action.Listen#secondary()});
 * {@code minLength}/{@code maxLength}: phrases in a {@code repeat} answer, 0 for no bound.
 */
public record PhraseList(List<String> phrases, boolean repeat, List<String> secondary, int minLength,
                         int maxLength) {
    public PhraseList {
        phrases = List.copyOf(phrases);
        secondary = List.copyOf(secondary);
    }

    public PhraseList(List<String> phrases, boolean repeat, List<String> secondary) {
        this(phrases, repeat, secondary, 0, 0);
    }

    public PhraseList(List<String> phrases, boolean repeat) {
        this(phrases, repeat, List.of());
    }
}
