package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * CMU Sphinx4 with the bundled en-US model. Our VAD cuts utterances, so each stream buffers its audio and the
 * whole utterance is decoded at {@link RecognitionStream#finish()} (JSGF grammars decode an utterance in a small
 * fraction of its length). At most speech.threads grammar decoders exist, each with its own copy of the acoustic
 * model (about 90 MB: Sphinx4's scorer is not safe to share between concurrent utterances) and up to
 * {@link #MAX_GRAMMARS_PER_DECODER} phrase-list grammars compiled against it, so memory stays bounded however many
 * dialogs and questionnaires are loaded. Free speech has its own pool of language-model decoders.
 * Telephone audio is upsampled to the model's 16 kHz (BENCHMARKS.md).
 */
public final class SphinxRecognizer implements Recognizer {
    private static final Logger log = LoggerFactory.getLogger(SphinxRecognizer.class);
    private static final String CONFIG = "resource:/io/voicebot/speech/asr/sphinx.config.xml";
    /** Longest utterance a stream buffers; more audio ends the stream with an error. */
    static final int MAX_UTTERANCE_SECONDS = 120;
    /**
     * The en-US acoustic model is trained on 16 kHz speech: telephone audio is upsampled to it. An 8 kHz front end
     * heard espeak-ng as well, but missed most words of MaryTTS's voice that the 16 kHz path hears.
     */
    static final int DECODER_RATE = 16000;
    /** Compiled grammars kept per decoder (a few hundred KB each); the least recently used go first. */
    static final int MAX_GRAMMARS_PER_DECODER = 128;
    private final int maxGrammarsPerDecoder;

    private final int maxDecoders;
    private final double rejectBelow;
    private final double marginNats;
    private final int unexplainedMs;
    private final DecodeExecutor executor;
    private final SphinxGrammars grammars;
    private final SphinxDecoderPool grammarPool;
    private final SphinxDecoderPool speechPool;
    /** The grammar every grammar decoder is configured with; compiled grammars copy its components. */
    private final String baseGrammar;
    private volatile boolean closed;

    /** A recognizer that rejects nothing on confidence (tests and tools that want every hypothesis). */
    public SphinxRecognizer(int threads, int sampleRate) {
        this(threads, sampleRate, 0);
    }

    /**
     * Loads the dictionary and one grammar decoder now, so a broken set-up fails at start. Grammar results with a
     * confidence under {@code rejectBelow} (speech.sphinx.reject.below) come back empty.
     */
    public SphinxRecognizer(int threads, int sampleRate, double rejectBelow) {
        this(threads, sampleRate, rejectBelow, 0, 1, DEFAULT_MARGIN_NATS);
    }

    /** The margin the shipped configuration uses (speech.sphinx.margin.nats), for the constructors without one. */
    public static final double DEFAULT_MARGIN_NATS = 12;
    /** The shipped speech.sphinx.unexplained.ms, for the constructors without one. */
    public static final int DEFAULT_UNEXPLAINED_MS = 190;

    /**
     * {@code garbagePrior} (speech.sphinx.garbage.prior): the prior of the out-of-grammar word loop of
     * {@code garbageWords} words (speech.sphinx.garbage.words) each grammar gets ({@link GarbageLoop}); results
     * through it come back empty. Prior 0: no loop.
     * {@code marginNats} (speech.sphinx.margin.nats): a grammar result whose closest phrase of another meaning is
     * that many nats behind gets confidence 0.5, closer ones less, so the dialog reads it back
     * ({@link PhraseMargin}); 0: off.
     */
    public SphinxRecognizer(int threads, int sampleRate, double rejectBelow, double garbagePrior, int garbageWords,
                            double marginNats) {
        this(threads, sampleRate, rejectBelow, garbagePrior, garbageWords, marginNats, DEFAULT_UNEXPLAINED_MS);
    }

    /**
     * {@code unexplainedMs} (speech.sphinx.unexplained.ms): speech that the result's words leave unexplained (loud,
     * speech-like audio the path spends in silence) that maps to confidence 0.5, more to less
     * ({@link AcousticConfidence#unexplainedConfidence}); 0: off.
     */
    public SphinxRecognizer(int threads, int sampleRate, double rejectBelow, double garbagePrior, int garbageWords,
                            double marginNats, int unexplainedMs) {
        this(threads, sampleRate, rejectBelow, MAX_GRAMMARS_PER_DECODER, garbagePrior, garbageWords, marginNats,
                unexplainedMs);
    }

    SphinxRecognizer(int threads, int sampleRate, double rejectBelow, int maxGrammarsPerDecoder) {
        this(threads, sampleRate, rejectBelow, maxGrammarsPerDecoder, 0, 1, DEFAULT_MARGIN_NATS,
                DEFAULT_UNEXPLAINED_MS);
    }

    private SphinxRecognizer(int threads, int sampleRate, double rejectBelow, int maxGrammarsPerDecoder,
                             double garbagePrior, int garbageWords, double marginNats, int unexplainedMs) {
        if (!(rejectBelow >= 0 && rejectBelow <= 1)) {
            throw new AsrException("speech.sphinx.reject.below must be within 0..1, got " + rejectBelow);
        }
        if (!(marginNats >= 0 && marginNats <= 1000)) {
            throw new AsrException("speech.sphinx.margin.nats must be within 0..1000, got " + marginNats);
        }
        if (!(unexplainedMs >= 0 && unexplainedMs <= 10_000)) {
            throw new AsrException("speech.sphinx.unexplained.ms must be within 0..10000, got " + unexplainedMs);
        }
        this.marginNats = marginNats;
        this.unexplainedMs = unexplainedMs;
        this.maxDecoders = threads;
        this.rejectBelow = rejectBelow;
        this.maxGrammarsPerDecoder = maxGrammarsPerDecoder;
        grammarPool = new SphinxDecoderPool(threads, () -> closed, () -> newDecoder(false));
        speechPool = new SphinxDecoderPool(threads, () -> closed, () -> newDecoder(true));
        checkRate(sampleRate);
        grammars = new SphinxGrammars(garbagePrior, garbageWords);
        executor = new DecodeExecutor("asr-sphinx", threads);
        baseGrammar = grammarFor(new Vocabulary(List.of("yes", "no"), false));
        try {
            grammarPool.release(grammarPool.acquire(baseGrammar));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsrException("interrupted while loading the Sphinx4 model", e);
        }
    }

    /**
     * Loads the remaining grammar decoders (seconds each, once) and compiles the grammar of {@code vocabulary} on
     * every idle one (tens to hundreds of ms), so the first caller who needs it does not wait; busy decoders
     * compile it when they first need it.
     */
    @Override
    public void prepare(Vocabulary vocabulary) {
        if (vocabulary.isFreeSpeech() || closed) {
            return;
        }
        String grammar = grammarFor(vocabulary);
        try {
            grammarPool.fill();
            for (SphinxDecoder d : grammarPool.takeIdle()) {
                try {
                    d.searchFor(grammar);
                } finally {
                    grammarPool.release(d);
                }
            }
        } catch (AsrException e) {
            // close() deletes the grammar files: a preparation still running then fails to read them
            // ("Allocation of search manager resources failed"), which is no fault once the recognizer is closed.
            if (!closed) {
                throw e;
            }
        }
    }

    @Override
    public List<String> unknownWords(Vocabulary vocabulary) {
        return vocabulary.isFreeSpeech() ? List.of() : grammars.unknownWords(vocabulary);
    }

    @Override
    public String engine() {
        return "sphinx";
    }

    @Override
    public RecognitionStream open(int sampleRate, Vocabulary vocabulary, RecognitionListener listener) {
        if (closed) {
            throw new AsrException("the Sphinx recognizer is closed");
        }
        checkRate(sampleRate);
        String grammar = vocabulary.isFreeSpeech() ? null : grammarFor(vocabulary);
        return new Stream(grammar == null ? speechPool : grammarPool, grammar, sampleRate, listener,
                grammar == null ? SphinxResults.Rules.NONE : new SphinxResults.Rules(rejectBelow, marginNats,
                        vocabulary, unexplainedMs));
    }

    /** The JSGF grammar name for a vocabulary, writing its .gram file the first time (cached by content). */
    String grammarFor(Vocabulary v) {
        return grammars.nameFor(v);
    }

    private static void checkRate(int rate) {
        if (rate != 8000 && rate != 16000) {
            throw new AsrException("sample rate " + rate + " Hz is not supported (8000 or 16000)");
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        grammarPool.closeAll();
        speechPool.closeAll();
        grammars.delete();
    }

    /** Grammar decoders now built (each holds one copy of the acoustic model). */
    int grammarDecoders() {
        return grammarPool.created();
    }

    /** The idle grammar decoders, for tests. */
    List<SphinxDecoder> idleGrammarDecoders() {
        return grammarPool.idle();
    }

    /** Grammars compiled on the idle grammar decoders, one set per decoder. */
    List<Set<String>> compiledGrammars() {
        return grammarPool.idle().stream().map(d -> Set.copyOf(d.searches.keySet())).toList();
    }

    /** Builds a decoder (seconds: loads the acoustic model); the pools count them. */
    private SphinxDecoder newDecoder(boolean freeSpeech) {
        return SphinxDecoder.load(CONFIG, freeSpeech, grammars.dir(), baseGrammar, maxGrammarsPerDecoder);
    }

    /** Audio at {@code rate} as the decoder reads it: at the model's rate, little-endian 16-bit bytes. */
    static byte[] decoderInput(short[] samples, int rate) {
        if (rate != DECODER_RATE) {
            samples = io.voicebot.speech.audio.Resampler.resample(samples, rate, DECODER_RATE);
        }
        byte[] pcm = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            pcm[2 * i] = (byte) samples[i];
            pcm[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return pcm;
    }

    private enum State { OPEN, FINISHING, CLOSED }

    /** Buffers one utterance and decodes it on finish(). */
    private final class Stream implements RecognitionStream {
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

        Stream(SphinxDecoderPool pool, String grammar, int rate, RecognitionListener listener,
               SphinxResults.Rules rules) {
            this.rules = rules;
            this.pool = pool;
            this.grammar = grammar;
            this.rate = rate;
            this.listener = listener;
            this.maxSamples = rate * MAX_UTTERANCE_SECONDS;
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
                    listener.onError(new AsrException("utterance longer than " + MAX_UTTERANCE_SECONDS + " s"));
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
                result = grammars.withoutGarbage(grammar, SphinxResults.of(d.decode(grammar, pcm,
                        new PartialForwarder()), pcm.length / 2, d.scorer, rules));
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
}
