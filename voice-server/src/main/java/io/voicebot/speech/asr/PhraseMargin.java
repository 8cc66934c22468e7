package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.linguist.HMMSearchState;
import edu.cmu.sphinx.linguist.SearchState;
import edu.cmu.sphinx.linguist.acoustic.HMM;
import edu.cmu.sphinx.linguist.acoustic.HMMPosition;
import edu.cmu.sphinx.linguist.acoustic.HMMState;
import edu.cmu.sphinx.result.Result;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How far the best grammar phrase is ahead of the closest complete phrase of another meaning at the end of the
 * utterance (the step's phrases and the global-intent branch compete). A substitution ("six" heard as "eight")
 * sounds like the speech about as well as the right word, so the acoustic confidence stays high; what gives it
 * away is a runner-up close behind. Measured on human telephone speech (BENCHMARKS.md, "Phrase margin"): reading
 * back below 12 nats questions about 10% of right single-digit answers and catches about half the wrong ones,
 * where the acoustic confidence at the same rate catches a quarter.
 * In the flat JSGF search every phrase keeps its own states (JSGFGrammar gives each word node its own trailing
 * silence) until the grammar's end node, so the last active list still holds, per phrase, the tokens that have
 * finished it: those in a silence or in the last emitting state of a word whose word path is a whole phrase.
 * Their Viterbi scores (acoustic plus weighted grammar prior) are compared with the best one: one pass over the
 * last active list, no extra search and no lattice.
 */
final class PhraseMargin {
    /** The closest complete phrase of another meaning and how far (nats, &ge; 0) behind the best it scored. */
    record RunnerUp(String phrase, double gap) {
    }

    /** No competitor of another meaning finished: nothing to confuse the answer with. */
    static final RunnerUp NONE = new RunnerUp("", Double.POSITIVE_INFINITY);

    private PhraseMargin() {
    }

    /**
     * The complete phrase of another meaning that scored best, with its gap to the best phrase, or {@link #NONE}. {@code vocabulary}: the grammar's phrases (for a phrase loop any word sequence is
     * complete); phrases it knows to mean the same as the best one do not compete.
     */
    static RunnerUp of(Result r, Vocabulary vocabulary) {
        Token best = r.getBestFinalToken();
        if (best == null || r.getActiveTokens() == null) {
            return NONE;
        }
        Predicate<String> complete = vocabulary.sequence() ? text -> !text.isEmpty() : vocabulary.phrases()::contains;
        String bestText = best.getWordPathNoFiller();
        Map<String, Float> scores = new HashMap<>();
        for (Token t : r.getActiveTokens()) {
            if (canEnd(t.getSearchState())) {
                String text = t.getWordPathNoFiller();
                if (complete.test(text)) {
                    scores.merge(text, t.getScore(), Math::max);
                }
            }
        }
        float top = scores.getOrDefault(bestText, best.getScore());
        RunnerUp next = NONE;
        for (Map.Entry<String, Float> e : scores.entrySet()) {
            if (!e.getKey().equals(bestText) && !vocabulary.sameMeaning(e.getKey(), bestText)) {
                double gap = Math.max(0, r.getLogMath().logToLn(top - e.getValue()));
                if (gap < next.gap()) {
                    next = new RunnerUp(e.getKey(), gap);
                }
            }
        }
        return next;
    }

    /**
     * Maps a gap to 0..1: {@code midpoint} nats gives 0.5, every 4 nats more or less moves it by a factor e in odds
     * (with 12: 0.6 at 13.6, 0.8 at 17.5, 0.18 at 6). {@code midpoint} 0 turns the margin off (always 1).
     */
    static double confidence(double gap, double midpoint) {
        if (midpoint <= 0 || Double.isInfinite(gap)) {
            return 1;
        }
        return 1 / (1 + Math.exp(-(gap - midpoint) / SLOPE_NATS));
    }

    /** Nats per factor e of odds: the thresholds of the built-in steps (0.5 to 0.8) fall 12 to 17.5 nats apart. */
    static final double SLOPE_NATS = 4;

    /** Whether a token in this state could end its phrase now: in a silence or a word's last emitting state. */
    private static boolean canEnd(SearchState state) {
        if (!(state instanceof HMMSearchState h)) {
            return false;
        }
        HMMState hs = h.getHMMState();
        HMM hmm = hs.getHMM();
        return hmm.getUnit().isFiller() || (hmm.getPosition() == HMMPosition.END
                || hmm.getPosition() == HMMPosition.SINGLE) && hs.getState() == hmm.getOrder() - 1;
    }
}
