package io.voicebot.speech.asr;

import java.util.List;

/**
 * How {@link SphinxRecognizer} judges grammar results (the speech.sphinx.* keys):
 * <ul>
 *   <li>{@code rejectBelow} (speech.sphinx.reject.below): results with a lower confidence come back empty;</li>
 *   <li>{@code garbagePrior}, {@code garbageWords} (speech.sphinx.garbage.*): the prior of the out-of-grammar word
 *       loop of that many words each grammar gets ({@link GarbageLoop}); results through it come back empty.
 *       Prior 0: no loop;</li>
 *   <li>{@code marginNats} (speech.sphinx.margin.nats): a result whose closest phrase of another meaning is that
 *       many nats behind gets confidence 0.5, closer ones less, so the dialog reads it back ({@link PhraseMargin});
 *       0: off;</li>
 *   <li>{@code unexplainedMs} (speech.sphinx.unexplained.ms): speech the result's words leave unexplained (loud,
 *       speech-like audio the path spends in silence) that maps to confidence 0.5, more to less
 *       ({@link AcousticConfidence#unexplainedConfidence}); 0: off;</li>
 *   <li>{@code otherPrior}, {@code otherAnswers} (speech.sphinx.other.*): the prior of the branch of answers to
 *       other questions (one word of the list the step does not listen for, {@link OtherAnswers}); results through
 *       it come back empty. Prior 0: no branch.</li>
 * </ul>
 * A value out of range fails naming its key.
 */
public record SphinxSettings(double rejectBelow, double garbagePrior, int garbageWords, double marginNats,
                             int unexplainedMs, double otherPrior, List<String> otherAnswers) {
    /** The shipped margin (config/voicebot.properties). */
    public static final double DEFAULT_MARGIN_NATS = 12;
    /** The shipped speech.sphinx.unexplained.ms. */
    public static final int DEFAULT_UNEXPLAINED_MS = 190;
    /** The shipped speech.sphinx.other.prior. */
    public static final double DEFAULT_OTHER_PRIOR = 0.001;
    /** The shipped speech.sphinx.other.answers. */
    public static final List<String> DEFAULT_OTHER_ANSWERS = List.of("zero", "oh", "one", "two", "three", "four",
            "five", "six", "seven", "eight", "nine", "yes", "no");
    /**
     * The shipped configuration: reject below 0.3, no garbage loop, margin, unexplained speech and other questions'
     * answers on.
     */
    public static final SphinxSettings SHIPPED = new SphinxSettings(0.3, 0, 40, DEFAULT_MARGIN_NATS,
            DEFAULT_UNEXPLAINED_MS, DEFAULT_OTHER_PRIOR, DEFAULT_OTHER_ANSWERS);
    /**
     * The shipped one that rejects nothing, neither on confidence nor as another question's answer (tests and tools
     * that want every hypothesis).
     */
    public static final SphinxSettings KEEP_ALL = SHIPPED.withRejectBelow(0).withOtherAnswers(0, List.of());

    public SphinxSettings {
        if (!(rejectBelow >= 0 && rejectBelow <= 1)) {
            throw new AsrException("speech.sphinx.reject.below must be within 0..1, got " + rejectBelow);
        }
        if (!(marginNats >= 0 && marginNats <= 1000)) {
            throw new AsrException("speech.sphinx.margin.nats must be within 0..1000, got " + marginNats);
        }
        if (!(unexplainedMs >= 0 && unexplainedMs <= 10_000)) {
            throw new AsrException("speech.sphinx.unexplained.ms must be within 0..10000, got " + unexplainedMs);
        }
        if (!(otherPrior >= 0 && otherPrior <= 1)) {
            throw new AsrException("speech.sphinx.other.prior must be within 0..1, got " + otherPrior);
        }
        otherAnswers = List.copyOf(otherAnswers);
    }

    public SphinxSettings withRejectBelow(double below) {
        return new SphinxSettings(below, garbagePrior, garbageWords, marginNats, unexplainedMs, otherPrior, otherAnswers);
    }

    public SphinxSettings withGarbage(double prior, int words) {
        return new SphinxSettings(rejectBelow, prior, words, marginNats, unexplainedMs, otherPrior, otherAnswers);
    }

    public SphinxSettings withMarginNats(double nats) {
        return new SphinxSettings(rejectBelow, garbagePrior, garbageWords, nats, unexplainedMs, otherPrior, otherAnswers);
    }

    /** Prior 0: no branch of other questions' answers. */
    public SphinxSettings withOtherAnswers(double prior, List<String> words) {
        return new SphinxSettings(rejectBelow, garbagePrior, garbageWords, marginNats, unexplainedMs, prior, words);
    }

    public SphinxSettings withUnexplainedMs(int ms) {
        return new SphinxSettings(rejectBelow, garbagePrior, garbageWords, marginNats, ms, otherPrior, otherAnswers);
    }
}
