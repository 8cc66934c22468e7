package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.linguist.HMMSearchState;
import edu.cmu.sphinx.linguist.SearchState;
import edu.cmu.sphinx.linguist.acoustic.HMM;
import edu.cmu.sphinx.linguist.acoustic.HMMPosition;
import edu.cmu.sphinx.linguist.acoustic.HMMState;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.LogMath;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How far the best grammar phrase is ahead of the other complete phrases of the grammar (the step's phrases and
 * the global-intent branch) at the end of the utterance: an N-best posterior from the last frame's tokens.
 * In the flat JSGF search every phrase keeps its own states (JSGFGrammar gives each word node its own trailing
 * silence) until the grammar's end node, so the last active list still holds, per phrase, the tokens that have
 * finished it: those in a silence or in the last emitting state of a word whose word path is a whole phrase.
 * Their Viterbi scores (acoustic plus weighted grammar prior) are compared with the best one. No extra search and
 * no lattice; one pass over the last active list (about 1 ms per utterance).
 * Measured and not used for decisions (BENCHMARKS.md, "Phrase posterior"): it measures how confusable the grammar's
 * phrases are, not whether the speech is one of them; SphinxResults hands it to a benchmark hook only.
 */
final class PhrasePosterior {
    /**
     * Score gaps (nats, ascending) of the other complete phrases behind the best one, the best token's collect time,
     * and the time this took.
     */
    record Margins(double[] behind, int frames, long nanos) {
        /** Posterior of the best phrase with scores scaled by {@code scale} (1 / (1 + Σ exp(-scale·gap))). */
        double posterior(double scale) {
            double sum = 1;
            for (double d : behind) {
                sum += Math.exp(-scale * d);
            }
            return 1 / sum;
        }
    }

    private static final Margins NONE = new Margins(new double[0], 0, 0);

    private PhrasePosterior() {
    }

    /**
     * {@code vocabulary}: the grammar's phrases (a word sequence counts when it is a whole phrase, or any sequence
     * for a phrase loop); phrases known to mean the same as the best one (Vocabulary.sameMeaning) do not compete.
     */
    static Margins of(Result r, Vocabulary vocabulary) {
        Predicate<String> complete = vocabulary.sequence() ? text -> !text.isEmpty() : vocabulary.phrases()::contains;
        long t0 = System.nanoTime();
        Token best = r.getBestFinalToken();
        if (best == null || r.getActiveTokens() == null) {
            return NONE;
        }
        String bestText = best.getWordPathNoFiller();
        Map<String, Float> scores = new HashMap<>();
        for (Token t : r.getActiveTokens()) {
            if (!canEnd(t.getSearchState())) {
                continue;
            }
            String text = t.getWordPathNoFiller();
            if (complete.test(text)) {
                scores.merge(text, t.getScore(), Math::max);
            }
        }
        LogMath log = r.getLogMath();
        float top = scores.getOrDefault(bestText, best.getScore());
        double[] behind = scores.entrySet().stream().filter(e -> !e.getKey().equals(bestText)
                        && !vocabulary.sameMeaning(e.getKey(), bestText))
                .mapToDouble(e -> Math.max(0, log.logToLn(top - e.getValue()))).sorted().toArray();
        return new Margins(behind, (int) best.getCollectTime(), System.nanoTime() - t0);
    }

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
