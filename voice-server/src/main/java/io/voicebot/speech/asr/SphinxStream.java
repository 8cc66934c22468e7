package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;

import java.util.List;

/**
 * One utterance of a {@link SphinxRecognizer}: buffers the audio, decodes checkpoints and, on finish(), the whole
 * utterance on the recognizer's decoding threads, and hands the results to the listener.
 */
final class SphinxStream implements RecognitionStream {
    private enum State { OPEN, FINISHING, CLOSED }

    private final DecodeExecutor executor;
    private final int maxDecoders;
    private final SphinxGrammars grammars;
    private final SphinxDecoderPool pool;
    private final String grammar;
    private final int rate;
    private final RecognitionListener listener;
    private final int maxSamples;
    private short[] audio = new short[8000];
    private int length;
    private State state = State.OPEN;
    private boolean overflow;
    /** When the stream opened: decodes of older utterances go first (DecodeExecutor). */
    private final long since = System.nanoTime();
    /** How this stream's results are judged (the vocabulary's phrases for the margin; none for free speech). */
    private final SphinxResults.Rules rules;
    /** The newest checkpoint's audio, while its decode waits in the queue (at most one queued per stream). */
    private short[] pendingCheckpoint;

    SphinxStream(SphinxDecoderPool pool, String grammar, int rate, RecognitionListener listener,
                 SphinxResults.Rules rules, DecodeExecutor executor, int maxDecoders, SphinxGrammars grammars) {
        this.executor = executor;
        this.maxDecoders = maxDecoders;
        this.grammars = grammars;
        this.rules = rules;
        this.pool = pool;
        this.grammar = grammar;
        this.rate = rate;
        this.listener = listener;
        this.maxSamples = rate * SphinxRecognizer.MAX_UTTERANCE_SECONDS;
    }

    @Override
    public synchronized void accept(short[] pcm, int off, int len) {
        if (state != State.OPEN) {
            return;
        }
        if (length + len > maxSamples) {
            overflow = true;
            return;
        }
        if (length + len > audio.length) {
            audio = java.util.Arrays.copyOf(audio, Math.max(audio.length * 2, length + len));
        }
        System.arraycopy(pcm, off, audio, length, len);
        length += len;
    }

    @Override
    public void finish() {
        short[] utterance;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.FINISHING;
            if (overflow) {
                state = State.CLOSED;
                listener.onError(new AsrException("utterance longer than " + SphinxRecognizer.MAX_UTTERANCE_SECONDS + " s"));
                return;
            }
            utterance = java.util.Arrays.copyOf(audio, length);
            audio = null;
        }
        // finish() may run on a network thread: resampling and decoding happen on the decoding threads.
        if (!executor.submit(DecodeExecutor.Kind.FINAL, since, () -> decode(decoderInput(utterance)))) {
            synchronized (this) {
                state = State.CLOSED;
            }
            listener.onError(new AsrException("speech recognition is overloaded (all " + maxDecoders
                    + " decoding threads busy and the queue is full)"));
        }
    }

    /**
     * Decodes the audio so far on the decoding threads (the caller paused) and hands it to onCheckpoint
     * (EarlyEndpoint). Tens of ms with a grammar, so it is back long before the trailing silence would end.
     */
    @Override
    public void checkpoint() {
        synchronized (this) {
            if (state != State.OPEN || overflow || length == 0) {
                return;
            }
            boolean queued = pendingCheckpoint != null;
            pendingCheckpoint = java.util.Arrays.copyOf(audio, length);
            if (queued) {
                return; // the queued decode takes this newer audio: an older pause's result is stale anyway
            }
        }
        boolean submitted = executor.submit(DecodeExecutor.Kind.CHECKPOINT, since, () -> {
            short[] soFar;
            synchronized (this) {
                soFar = pendingCheckpoint;
                pendingCheckpoint = null;
            }
            if (soFar != null) {
                SphinxCheckpoint.decode(this::isOpen, () -> pool.acquire(grammar), pool::release, grammar,
                        decoderInput(soFar), rules, listener);
            }
        });
        if (!submitted) {
            synchronized (this) {
                pendingCheckpoint = null; // overloaded: skip this checkpoint, finish() still decodes
            }
        }
    }

    private synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    private byte[] decoderInput(short[] samples) {
        return SphinxRecognizer.decoderInput(samples, rate);
    }

    private void decode(byte[] pcm) {
        if (isClosed()) {
            return;
        }
        SphinxDecoder d;
        try {
            d = pool.acquire(grammar);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            deliverError(e);
            return;
        }
        RecognitionResult result;
        try {
            Result decoded = d.decode(grammar, pcm, new PartialForwarder());
            // words through an out-of-grammar branch: the caller said something the step does not expect
            String outside = grammars.outsidePhrases(grammar, decoded);
            result = outside != null
                    ? RecognitionResult.rejected(0, SphinxResults.audioMs(pcm.length / 2), outside)
                    : SphinxResults.of(decoded, pcm.length / 2, d.scorer, rules);
        } catch (Exception | LinkageError | StackOverflowError e) {
            deliverError(new AsrException("Sphinx4 decoding failed: " + e, e));
            return;
        } finally {
            pool.release(d);
        }
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        listener.onFinal(result);
    }


    private synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    private void deliverError(Exception e) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        listener.onError(e);
    }

    @Override
    public synchronized void close() {
        state = State.CLOSED;
        audio = null;
    }

    /** Forwards the decoder's interim best hypothesis when it changes. */
    private final class PartialForwarder implements ResultListener {
        private String last = "";

        @Override
        public void newResult(Result result) {
            if (result.isFinal() || isClosed()) {
                return;
            }
            String text = SphinxResults.clean(result.getBestResultNoFiller());
            if (!text.isEmpty() && !text.equals(last)) {
                last = text;
                listener.onPartial(new RecognitionResult(text, 0, false, 0,
                        result.getEndFrame() * 10L, List.of()));
            }
        }

        @Override
        public void newProperties(PropertySheet ps) {
        }
    }
}
