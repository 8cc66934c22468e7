package io.voicebot.speech.asr;

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
    private final SphinxSettings settings;
    private final DecodeExecutor executor;
    private final SphinxGrammars grammars;
    private final SphinxDecoderPool grammarPool;
    private final SphinxDecoderPool speechPool;
    /** The grammar every grammar decoder is configured with; compiled grammars copy its components. */
    private final String baseGrammar;
    private volatile boolean closed;

    /** A recognizer that rejects nothing on confidence (tests and tools that want every hypothesis). */
    public SphinxRecognizer(int threads, int sampleRate) {
        this(threads, sampleRate, SphinxSettings.KEEP_ALL);
    }

    /** Loads the dictionary and one grammar decoder now, so a broken set-up fails at start. */
    public SphinxRecognizer(int threads, int sampleRate, SphinxSettings settings) {
        this(threads, sampleRate, settings, MAX_GRAMMARS_PER_DECODER);
    }

    SphinxRecognizer(int threads, int sampleRate, SphinxSettings settings, int maxGrammarsPerDecoder) {
        this.settings = settings;
        this.maxDecoders = threads;
        this.maxGrammarsPerDecoder = maxGrammarsPerDecoder;
        grammarPool = new SphinxDecoderPool(threads, () -> closed, () -> newDecoder(false));
        speechPool = new SphinxDecoderPool(threads, () -> closed, () -> newDecoder(true));
        checkRate(sampleRate);
        grammars = new SphinxGrammars(settings.garbagePrior(), settings.garbageWords(), settings.otherPrior(),
                settings.otherAnswers());
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
        return new SphinxStream(grammar == null ? speechPool : grammarPool, grammar, sampleRate, listener,
                grammar == null ? SphinxResults.Rules.NONE : new SphinxResults.Rules(settings.rejectBelow(),
                        settings.marginNats(), vocabulary, settings.unexplainedMs()), executor, maxDecoders, grammars);
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
}
