package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.linguist.HMMSearchState;
import edu.cmu.sphinx.linguist.acoustic.HMMState;
import edu.cmu.sphinx.result.Result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Confidence of a Sphinx4 grammar result: for each spoken word of the best path, the mean per-frame gap (nats)
 * between the best context-independent (CI) HMM state of the frame and the CI state the path is in (the path
 * rescored with CI models, so both sides use the same models). A word the grammar forced onto other speech walks
 * through states that fit the audio worse than what the audio sounds like, and its gap grows.
 * The gap is mapped to 0..1 by a logistic fitted on labelled MaryTTS and espeak-ng speech
 * (BENCHMARKS.md, "Sphinx confidence"): {@link #MIDPOINT} nats per frame gives 0.5.
 */
final class AcousticConfidence {
    /**
     * Gap (nats per frame) that maps to confidence 0.5: above 5.0, 7% of the labelled set's answers were right (the
     * rest wrong phrases or out-of-grammar speech); right answers had a median gap of 3.3.
     */
    static final double MIDPOINT = 5.25;
    /** Logistic slope per nat: the median right answer gets 0.97, a gap of 6.5 (4% right) gets 0.1. */
    static final double SLOPE = 1.75;

    private AcousticConfidence() {
    }

    /** Per-word gap of the best final path, in spoken order; empty when the result has no scored word frames. */
    static List<Double> wordGaps(Result result, CiFrameScorer scorer) {
        Token token = result.getBestFinalToken();
        if (token == null) {
            return List.of();
        }
        double lnBase = Math.log(result.getLogMath().getLogBase());
        boolean wordFirst = result.getWordTokenFirst();
        List<Double> gaps = new ArrayList<>();
        double sum = 0;
        int frames = 0;
        // Walking back: with word-first paths (JSGF) a word's frames come before its word token; else after it.
        boolean pendingWord = false;
        boolean pendingSpoken = false;
        for (; token != null; token = token.getPredecessor()) {
            if (token.isWord()) {
                boolean spoken = !token.getWord().isFiller() && !token.getWord().getSpelling().startsWith("<");
                if (wordFirst) {
                    if (spoken && frames > 0) {
                        gaps.add(sum / frames);
                    }
                    sum = 0;
                    frames = 0;
                } else {
                    if (pendingWord && pendingSpoken && frames > 0) {
                        gaps.add(sum / frames);
                    }
                    sum = 0;
                    frames = 0;
                    pendingWord = true;
                    pendingSpoken = spoken;
                }
                continue;
            }
            if (token.isEmitting() && token.getData() instanceof FloatData f
                    && token.getSearchState() instanceof HMMSearchState s) {
                float[] row = scorer.frame(f.getFirstSampleNumber());
                HMMState state = s.getHMMState();
                int i = scorer.index(state.getHMM().getBaseUnit().getName(), state.getState());
                if (row != null && i >= 0 && i < row.length) {
                    float best = row[0];
                    for (float v : row) {
                        best = Math.max(best, v);
                    }
                    sum += (best - row[i]) * lnBase;
                    frames++;
                }
            }
        }
        if (!wordFirst && pendingWord && pendingSpoken && frames > 0) {
            gaps.add(sum / frames);
        }
        Collections.reverse(gaps);
        return gaps;
    }

    /** Maps a per-frame gap (nats) to 0..1: small gaps (the audio fits the words) give values near 1. */
    static double confidence(double gap) {
        return 1 / (1 + Math.exp(SLOPE * (gap - MIDPOINT)));
    }
}
