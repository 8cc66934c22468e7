package io.voicebot.speech.asr;

import io.voicebot.dialog.grammar.Grammar;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the recognizer listens for: a list of phrases (normalized like {@link Grammar#normalize}) or free speech
 * when empty. {@code sequence}: an utterance may be several phrases in a row (digits: "four one two").
 * {@code secondary}: those of the phrases that are not what the step expects (global intents: "agent", "stop
 * calling me"); a recognizer gives them a lower prior, so that an answer to the question wins a near tie.
 * {@code meanings}: what some phrases mean to the step ("no" and "no thanks" both "answer:no"); phrases without
 * one are taken to mean something of their own. Early endpointing reads it, and the phrase margin (a close
 * runner-up of the same meaning is no doubt).
 * {@code minLength}/{@code maxLength}: how many phrases a sequence has (an account number of 6 to 12 digits), 0 for
 * no bound. Early endpointing reads them (a sequence of its maximum length is complete); the recognizer's grammar
 * does not (a bounded grammar was measured: no gain per digit, twice the decoding CPU; see docs/understanding.md).
 */
public record Vocabulary(List<String> phrases, boolean sequence, List<String> secondary,
                         Map<String, String> meanings, int minLength, int maxLength) {

    public Vocabulary {
        if (!sequence) {
            minLength = 0; // one phrase: nothing to count
            maxLength = 0;
        }
        if (minLength < 0 || maxLength < 0 || maxLength > 0 && maxLength < minLength) {
            throw new IllegalArgumentException("sequence length " + minLength + ".." + maxLength);
        }
        phrases = List.copyOf(normalized(phrases));
        LinkedHashSet<String> second = normalized(secondary);
        second.retainAll(phrases);
        if (second.size() == phrases.size()) {
            second.clear(); // nothing is primary: no prior to give
        }
        secondary = List.copyOf(second);
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meanings.entrySet()) {
            String n = Grammar.normalize(e.getKey());
            if (phrases.contains(n) && e.getValue() != null) {
                m.put(n, e.getValue());
            }
        }
        meanings = Map.copyOf(m);
    }

    public Vocabulary(List<String> phrases, boolean sequence, List<String> secondary,
                      Map<String, String> meanings) {
        this(phrases, sequence, secondary, meanings, 0, 0);
    }

    public Vocabulary(List<String> phrases, boolean sequence, List<String> secondary, int minLength,
                      int maxLength) {
        this(phrases, sequence, secondary, Map.of(), minLength, maxLength);
    }

    public Vocabulary(List<String> phrases, boolean sequence, List<String> secondary) {
        this(phrases, sequence, secondary, Map.of());
    }

    public Vocabulary(List<String> phrases, boolean sequence) {
        this(phrases, sequence, List.of());
    }

    /** Whether two phrases are known to mean the same thing to the step. */
    public boolean sameMeaning(String a, String b) {
        String ma = meanings.get(a);
        return ma != null && ma.equals(meanings.get(b));
    }

    /** This vocabulary with sequences of {@code min} to {@code max} phrases (0: no bound). */
    public Vocabulary withLength(int min, int max) {
        return new Vocabulary(phrases, sequence, secondary, meanings, min, max);
    }

    /**
     * How many primary phrases {@code text} is, read as a sequence of them (longest phrase first at each word), or
     * -1 when it is not such a sequence.
     */
    public int sequenceLength(String text) {
        return Grammar.sequenceOf(text, primary()).map(List::size).orElse(-1);
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
