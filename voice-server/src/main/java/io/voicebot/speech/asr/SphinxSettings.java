package io.voicebot.speech.asr;

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
 *       ({@link AcousticConfidence#unexplainedConfidence}); 0: off.</li>
 * </ul>
 * A value out of range fails naming its key.
 */
public record SphinxSettings(double rejectBelow, double garbagePrior, int garbageWords, double marginNats,
                             int unexplainedMs) {
    /** The shipped margin (config/voicebot.properties). */
    public static final double DEFAULT_MARGIN_NATS = 12;
    /** The shipped speech.sphinx.unexplained.ms. */
    public static final int DEFAULT_UNEXPLAINED_MS = 190;
    /** The shipped configuration: reject below 0.3, no garbage loop, margin and unexplained speech on. */
    public static final SphinxSettings SHIPPED = new SphinxSettings(0.3, 0, 40, DEFAULT_MARGIN_NATS,
            DEFAULT_UNEXPLAINED_MS);
    /** The shipped one that rejects nothing on confidence (tests and tools that want every hypothesis). */
    public static final SphinxSettings KEEP_ALL = SHIPPED.withRejectBelow(0);

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
    }

    public SphinxSettings withRejectBelow(double below) {
        return new SphinxSettings(below, garbagePrior, garbageWords, marginNats, unexplainedMs);
    }

    public SphinxSettings withGarbage(double prior, int words) {
        return new SphinxSettings(rejectBelow, prior, words, marginNats, unexplainedMs);
    }

    public SphinxSettings withMarginNats(double nats) {
        return new SphinxSettings(rejectBelow, garbagePrior, garbageWords, nats, unexplainedMs);
    }

    public SphinxSettings withUnexplainedMs(int ms) {
        return new SphinxSettings(rejectBelow, garbagePrior, garbageWords, marginNats, ms);
    }
}
