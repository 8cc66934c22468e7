package io.voicebot.speech.asr;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers to other questions as a branch of each step's Sphinx4 grammar: one word of a short list (the digits, "yes"
 * and "no" by default) that the step does not listen for, against the step's phrases and the global intents. A
 * number said to a yes/no question, or a "seven" said at a one-to-five rating, then fits its own word better than
 * the step's closest phrase, and the result is a no-match instead of "no" or "one". A short word is what the other
 * out-of-grammar checks miss: it leaves no speech over, and its closest phrase often fits it well
 * (docs/understanding.md, "Answers to other questions"). Prior 0 turns the branch off
 * (speech.sphinx.other.prior, speech.sphinx.other.answers).
 */
final class OtherAnswers {
    /** The turn log's reason for a result of this branch (the word itself is not logged). */
    static final String REASON = "an answer to another question";

    private final double prior;
    private final List<String> words;

    /** {@code words}: each must be in the dictionary; the error names the key and the word. */
    OtherAnswers(double prior, List<String> words, Set<String> dictionary) {
        if (!(prior >= 0 && prior <= 1)) {
            throw new AsrException("speech.sphinx.other.prior must be within 0..1, got " + prior);
        }
        for (String w : words) {
            if (!dictionary.contains(w)) {
                throw new AsrException("speech.sphinx.other.answers: '" + w + "' is not in the Sphinx4 dictionary");
            }
        }
        this.prior = prior;
        this.words = List.copyOf(words);
    }

    boolean enabled() {
        return prior > 0 && !words.isEmpty();
    }

    /**
     * The branch's words at a step: the list without {@code v}'s one-word phrases (primary or secondary). A word
     * that is only part of a longer phrase stays: "one" alone is no answer where "one more time" is.
     */
    List<String> wordsFor(Vocabulary v) {
        Set<String> own = new HashSet<>(v.phrases());
        return words.stream().filter(w -> !own.contains(w)).toList();
    }

    /** The JSGF alternative for {@code v}: {@code /prior/ ( w1 | w2 | ... )}, or empty when off or none is left. */
    String alternative(Vocabulary v) {
        List<String> left = enabled() ? wordsFor(v) : List.of();
        if (left.isEmpty()) {
            return "";
        }
        return "/" + GarbageLoop.jsgfWeight(prior) + "/ ( " + String.join(" | ", left) + " )";
    }

    /** Whether a result of the step listening for {@code v} came through the branch: one of its words alone. */
    boolean heard(Vocabulary v, List<String> resultWords) {
        // the same test as wordsFor(v).contains(w), without building the step's set on every result
        return enabled() && resultWords.size() == 1 && words.contains(resultWords.get(0))
                && !v.phrases().contains(resultWords.get(0));
    }
}
