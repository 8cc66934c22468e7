package io.voicebot.speech.asr;

import io.voicebot.dialog.grammar.Grammar;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the recognizer listens for: a list of phrases (normalized like {@link Grammar#normalize}) or free speech
 * when empty. {@code sequence}: an utterance may be several phrases in a row (digits: "four one two").
 */
public record Vocabulary(List<String> phrases, boolean sequence) {

    public Vocabulary {
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String p : phrases) {
            String n = Grammar.normalize(p);
            if (!n.isEmpty()) {
                clean.add(n);
            }
        }
        phrases = List.copyOf(clean);
    }

    public static Vocabulary freeSpeech() {
        return new Vocabulary(List.of(), false);
    }

    public static Vocabulary of(List<String> phrases) {
        return new Vocabulary(phrases, false);
    }

    public static Vocabulary of(Grammar grammar) {
        return new Vocabulary(grammar.phrases(), grammar.repeat());
    }

    public boolean isFreeSpeech() {
        return phrases.isEmpty();
    }

    /** Every distinct word of every phrase, in order. */
    public List<String> words() {
        LinkedHashSet<String> w = new LinkedHashSet<>();
        for (String p : phrases) {
            w.addAll(List.of(p.split(" ")));
        }
        return List.copyOf(w);
    }
}
