package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A Sphinx4 checkpoint decode: the audio of a stream so far, decoded with the step's grammar as a final result is
 * (with its confidence), for {@link EarlyEndpoint}. It takes a decoder from the pool like any decode and gives it
 * back; the stream keeps buffering, and its final decode starts from scratch on the whole utterance.
 */
final class SphinxCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(SphinxCheckpoint.class);

    /** A decoder from the pool (may wait for one). */
    interface Acquire {
        SphinxDecoder get() throws InterruptedException;
    }

    private SphinxCheckpoint() {
    }

    static void decode(BooleanSupplier open, Acquire acquire, Consumer<SphinxDecoder> release, String grammar,
                       byte[] pcm, SphinxResults.Rules rules, RecognitionListener listener) {
        if (!open.getAsBoolean()) {
            return;
        }
        SphinxDecoder d;
        try {
            d = acquire.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            return; // a checkpoint is an optimisation: finish() reports the error
        }
        RecognitionResult result;
        try {
            if (!open.getAsBoolean()) {
                return;
            }
            result = SphinxResults.of(d.decode(grammar, pcm, NO_PARTIALS), pcm.length / 2, d.scorer, rules);
        } catch (Exception | LinkageError | StackOverflowError e) {
            log.debug("Sphinx4 checkpoint decoding failed: {}", e.toString());
            return;
        } finally {
            release.accept(d);
        }
        if (open.getAsBoolean()) {
            listener.onCheckpoint(result);
        }
    }

    /** For decodes whose partial results nobody reads. */
    static final ResultListener NO_PARTIALS = new ResultListener() {
        @Override
        public void newResult(Result result) {
        }

        @Override
        public void newProperties(PropertySheet ps) {
        }
    };
}
