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

    /**
     * Gap (nats per frame) above which a frame the path spends in silence or a filler is speech the grammar did not
     * explain: out-of-grammar speech is mostly absorbed as silence around one short forced word.
     */
    static final double UNEXPLAINED_GAP = 4.0;

    /**
     * The per-word gaps of the best final path in spoken order (empty when it has no scored word frames), the
     * frames spent in spoken words, and the frames spent in silence or fillers that sound like speech.
     */
    record PathGaps(List<Double> words, int wordFrames, int unexplainedFrames) {
        /** Share of the speech-like frames that the recognized words account for (1 when nothing is unexplained). */
        double coverage() {
            int all = wordFrames + unexplainedFrames;
            return all == 0 ? 1 : (double) wordFrames / all;
        }
    }

    /** Per-word gap of the best final path, in spoken order; empty when the result has no scored word frames. */
    static List<Double> wordGaps(Result result, CiFrameScorer scorer) {
        return pathGaps(result, scorer).words();
    }

    static PathGaps pathGaps(Result result, CiFrameScorer scorer) {
        Token token = result.getBestFinalToken();
        if (token == null) {
            return new PathGaps(List.of(), 0, 0);
        }
        int wordFrames = 0;
        int unexplained = 0;
        int segmentUnexplained = 0;
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
                boolean segmentSpoken = wordFirst ? spoken : pendingWord && pendingSpoken;
                if (segmentSpoken && frames > 0) {
                    gaps.add(sum / frames);
                    wordFrames += frames;
                } else {
                    unexplained += segmentUnexplained;
                }
                sum = 0;
                frames = 0;
                segmentUnexplained = 0;
                if (!wordFirst) {
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
                    double gap = (best - row[i]) * lnBase;
                    sum += gap;
                    frames++;
                    // c0 after batch CMN: above the utterance's mean energy, i.e. speech rather than pause
                    if (gap > UNEXPLAINED_GAP && f.getValues().length > 0 && f.getValues()[0] > 0) {
                        segmentUnexplained++;
                    }
                }
            }
        }
        if (!wordFirst && pendingWord && pendingSpoken && frames > 0) {
            gaps.add(sum / frames);
            wordFrames += frames;
        } else {
            unexplained += segmentUnexplained;
        }
        Collections.reverse(gaps);
        return new PathGaps(gaps, wordFrames, unexplained);
    }

    /** Coverage that maps to confidence 0.5. */
    static final double COVERAGE_MIDPOINT = 0.32;
    /** Logistic slope per unit of coverage: 0.21 gives 0.04 (rejected), 0.41 gives 0.94. */
    static final double COVERAGE_SLOPE = 30;

    /**
     * Maps the share of speech-like frames the words account for to 0..1. Measured on espeak-ng and MaryTTS
     * (rating, yes/no, agent, digit phrases): right answers 0.41–1.0, the lowest where Sphinx picked a shorter
     * phrase of the right intent ("five stars" as "five"); out-of-grammar sentences 0.18–0.98, "yes" against the
     * rating list 0.21, "the weather is nice today" 0.18. So only speech the words clearly do not cover is
     * rejected; the rest is left to the per-word gaps.
     */
    static double coverageConfidence(double coverage) {
        return 1 / (1 + Math.exp(-COVERAGE_SLOPE * (coverage - COVERAGE_MIDPOINT)));
    }

    /** Front-end frames per second (10 ms frames at both line rates). */
    static final int FRAMES_PER_SECOND = 100;
    /**
     * Logistic slope per frame: with the shipped midpoint of 190 ms, 14 frames give 0.85, 22 (under
     * speech.sphinx.reject.below 0.3) 0.26.
     */
    static final double UNEXPLAINED_SLOPE = 0.35;

    /**
     * Maps the amount of speech the words leave unexplained (frames the path spends in silence or fillers that are
     * louder than the utterance's mean and fit some phone far better than silence) to 0..1. The share of such
     * frames ({@link #coverageConfidence}) misses a long unrelated sentence the grammar has matched one phrase
     * into: the phrase covers a third of it, and the remaining words still add up to half a second of speech. An
     * answer leaves almost none: of the benchmark's right answers, 96% of synthetic and all human ones left under
     * 14 frames, while more than half of the unrelated sentences accepted at 0.3 left 22 or more (BENCHMARKS.md,
     * "Unexplained speech").
     */
    static double unexplainedConfidence(int frames, int midpointMs) {
        double midpoint = midpointMs * FRAMES_PER_SECOND / 1000.0;
        return 1 / (1 + Math.exp(UNEXPLAINED_SLOPE * (frames - midpoint)));
    }

    /** Maps a per-frame gap (nats) to 0..1: small gaps (the audio fits the words) give values near 1. */
    static double confidence(double gap) {
        return 1 / (1 + Math.exp(SLOPE * (gap - MIDPOINT)));
    }
}
