package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers that mean the opposite one negation away. A recognizer hears "I can't pay" as "I can pay" (the t before
 * the p is barely released): every voice of the understanding benchmark did, at confidences up to 0.99, and a
 * promise to pay was recorded (BENCHMARKS.md, "Telephone band"). So an answer whose phrase has a twin of another
 * meaning in the step's grammar, the same words with one negation added or taken away ("can"/"can't"/"cannot",
 * "correct"/"incorrect", "is"/"is not"), is read back even when heard clearly.
 */
final class NegationTwins {
    /** Words and their negated forms, both ways. */
    private static final Map<String, List<String>> NEGATED = new HashMap<>();

    static {
        pair("can", "can't", "cannot");
        pair("do", "don't");
        pair("does", "doesn't");
        pair("did", "didn't");
        pair("will", "won't");
        pair("would", "wouldn't");
        pair("could", "couldn't");
        pair("should", "shouldn't");
        pair("is", "isn't");
        pair("was", "wasn't");
        pair("are", "aren't");
        pair("have", "haven't");
        pair("has", "hasn't");
        pair("correct", "incorrect");
        pair("agree", "disagree");
    }

    private NegationTwins() {
    }

    private static void pair(String word, String... negated) {
        for (String n : negated) {
            NEGATED.computeIfAbsent(word, k -> new ArrayList<>()).add(n);
            NEGATED.computeIfAbsent(n, k -> new ArrayList<>()).add(word);
        }
    }

    /**
     * Whether {@code text}, a phrase of {@code g}, has a twin in {@code g} with another intent: one word swapped for
     * its negation, or "not" put in or taken out.
     */
    static boolean hasTwin(Grammar g, String text) {
        if (g == null) {
            return false;
        }
        Map<String, String> intentOf = g.intentByPhrase();
        String heard = Grammar.normalize(text);
        String intent = intentOf.get(heard);
        if (intent == null) {
            return false;
        }
        for (String twin : twins(heard)) {
            String other = intentOf.get(twin);
            // "sure" and "not sure": the twin is no answer, which the caller is asked again for, not the opposite
            if (other != null && !other.equals(intent) && !other.equals(Grammar.UNSURE)) {
                return true;
            }
        }
        return false;
    }

    /** The phrases one negation away from {@code phrase} (normalized). */
    static List<String> twins(String phrase) {
        String[] w = phrase.split(" ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            for (String n : NEGATED.getOrDefault(w[i], List.of())) {
                String[] c = w.clone();
                c[i] = n;
                out.add(String.join(" ", c));
            }
            if (w[i].equals("not")) {
                List<String> without = new ArrayList<>(List.of(w));
                without.remove(i);
                out.add(String.join(" ", without));
            }
            List<String> with = new ArrayList<>(List.of(w));
            with.add(i + 1, "not");
            out.add(String.join(" ", with));
        }
        return out;
    }
}
