package io.voicebot.speech.asr;

import io.voicebot.dialog.grammar.Grammar;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the recognizer listens for: a list of phrases (normalized like {@link Grammar#normalize}) or free speech
 * when empty. {@code sequence}: an utterance may be several phrases in a row (digits: "four one two").
 * {@code secondary}: those of the phrases that are not what the step expects (global intents: "agent", "stop
 * calling me"); a recognizer gives them a lower prior, so that an answer to the question wins a near tie.
 */
public record Vocabulary(List<String> phrases, boolean sequence, List<String> secondary) {

    public Vocabulary {
        phrases = List.copyOf(normalized(phrases));
        LinkedHashSet<String> second = normalized(secondary);
        second.retainAll(phrases);
        if (second.size() == phrases.size()) {
            second.clear(); // nothing is primary: no prior to give
        }
        secondary = List.copyOf(second);
    }

    public Vocabulary(List<String> phrases, boolean sequence) {
        this(phrases, sequence, List.of());
    }

    private static LinkedHashSet<String> normalized(List<String> phrases) {
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String p : phrases) {
            String n = Grammar.normalize(p);
            if (!n.isEmpty()) {
                clean.add(n);
            }
        }
        return clean;
    }

    /** The phrases the step expects: all but the secondary ones. */
    public List<String> primary() {
        List<String> out = new java.util.ArrayList<>(phrases);
        out.removeAll(secondary);
        return List.copyOf(out);
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
