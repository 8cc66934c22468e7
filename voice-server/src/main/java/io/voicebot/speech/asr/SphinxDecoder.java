package io.voicebot.speech.asr;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.decoder.search.SearchManager;
import edu.cmu.sphinx.jsgf.JSGFGrammar;
import edu.cmu.sphinx.linguist.flat.FlatLinguist;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.PropertySheet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One copy of the acoustic model (about 90 MB) with the grammars compiled against it. Sphinx4's tied-mixture
 * scorer keeps per-frame state in the model, so a model may serve only one utterance at a time; grammars of
 * one decoder share its model because they are used one after another. Confined to the thread that holds it.
 */
final class SphinxDecoder {
    private static final Logger log = LoggerFactory.getLogger(SphinxDecoder.class);
    /** Features (10 ms each) decoded between partial results. */
    private static final int FRAMES_PER_STEP = 50;
    /** Sphinx4's JSGF parser keeps its state in static fields: grammars must be parsed one at a time. */
    static final Object JSGF_LOCK = new Object();
    private static final String MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";
    private static final String DICT = "resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
    private static final String LM = "resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin";
    private static final java.util.logging.Logger SPHINX_LOG = java.util.logging.Logger.getLogger("edu.cmu.sphinx");

    final Context context;
    /** Free speech: the bundled decoder with its language model. */
    final edu.cmu.sphinx.recognizer.Recognizer recognizer;
    /** Grammar mode: the configuration the search managers of each grammar are added to. */
    final ConfigurationManager cm;
    /** Compiled grammars, least recently used first. */
    final LinkedHashMap<String, SearchManager> searches = new LinkedHashMap<>(16, 0.75f, true);
    /** The grammar searches' shared scorer, which keeps the CI scores the confidence needs; null for free speech. */
    final CiFrameScorer scorer;
    private final int maxGrammars;

    SphinxDecoder(Context context, boolean freeSpeech, int maxGrammars) {
        this.context = context;
        this.maxGrammars = maxGrammars;
        if (freeSpeech) {
            recognizer = context.getInstance(edu.cmu.sphinx.recognizer.Recognizer.class);
            recognizer.allocate();
            cm = null;
            scorer = null;
        } else {
            recognizer = null;
            cm = configurationOf(context);
            scorer = context.getInstance(CiFrameScorer.class);
        }
    }

    /**
     * Loads a decoder from the Sphinx4 configuration {@code config} (seconds: the acoustic model): free speech with
     * the bundled language model, or grammar mode with the grammars of {@code grammarDir}, where
     * {@code baseGrammar} (compiled now, not in the first call's turn) configures the components each compiled
     * grammar copies.
     */
    static SphinxDecoder load(String config, boolean freeSpeech, Path grammarDir, String baseGrammar,
                              int maxGrammars) {
        long t0 = System.nanoTime();
        Configuration c = new Configuration();
        c.setAcousticModelPath(MODEL);
        c.setDictionaryPath(DICT);
        c.setSampleRate(SphinxRecognizer.DECODER_RATE);
        if (freeSpeech) {
            c.setLanguageModelPath(LM);
        } else {
            c.setGrammarPath(grammarDir.toUri().toString());
            c.setGrammarName(baseGrammar);
            c.setUseGrammar(true);
        }
        try {
            SphinxDecoder d;
            synchronized (JSGF_LOCK) {
                Context ctx = new Context(config, c);
                // Sphinx logs every model detail through java.util.logging at INFO; keep only its warnings.
                SPHINX_LOG.setLevel(java.util.logging.Level.WARNING);
                d = new SphinxDecoder(ctx, freeSpeech, maxGrammars);
            }
            if (!freeSpeech) {
                d.searchFor(baseGrammar);
            }
            log.info("Sphinx4 {} decoder loaded in {} ms", freeSpeech ? "free-speech" : "grammar",
                    (System.nanoTime() - t0) / 1_000_000);
            return d;
        } catch (IOException | RuntimeException e) {
            throw new AsrException("cannot load the Sphinx4 en-US model (" + MODEL + "): " + e, e);
        }
    }

    boolean has(String grammar) {
        return searches.containsKey(grammar);
    }

    /** The search manager of {@code grammar}, compiling it the first time (tens to hundreds of ms). */
    SearchManager searchFor(String grammar) {
        SearchManager sm = searches.get(grammar);
        if (sm != null) {
            return sm;
        }
        long t0 = System.nanoTime();
        String jsgf = "jsgf-" + grammar;
        String linguist = "linguist-" + grammar;
        String search = "search-" + grammar;
        try {
            cm.addConfigurable(JSGFGrammar.class, jsgf, propertiesOf("jsgfGrammar", Map.of("grammarName", grammar)));
            // a sequence grammar loops over its words: a stronger insertion penalty keeps short words ("oh") out
            cm.addConfigurable(FlatLinguist.class, linguist, propertiesOf("flatLinguist",
                    grammar.startsWith(SphinxGrammars.SEQUENCE_PREFIX)
                            ? Map.of("grammar", jsgf, "wordInsertionProbability", "${sequenceWordInsertionProbability}")
                            : Map.of("grammar", jsgf)));
            cm.addConfigurable(cm.getPropertySheet("simpleSearchManager").getConfigurableClass(), search,
                    propertiesOf("simpleSearchManager", Map.of("linguist", linguist)));
            // allocate() parses the grammar: Sphinx4's JSGF parser keeps its state in static fields.
            synchronized (JSGF_LOCK) {
                sm = cm.lookup(search);
                sm.allocate();
            }
        } catch (RuntimeException e) {
            forget(grammar);
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            // Sphinx4 wraps the real cause (such as a missing .gram file) in "Allocation ... failed": name both.
            throw new AsrException("cannot compile the Sphinx4 grammar " + grammar + ": " + e
                    + (root != e ? " (" + root + ")" : ""), e);
        }
        searches.put(grammar, sm);
        if (searches.size() > maxGrammars) {
            String eldest = searches.keySet().iterator().next();
            searches.remove(eldest);
            // Not deallocate(): that would free the model and scorer the other grammars share.
            forget(eldest);
        }
        log.debug("Sphinx4 grammar {} compiled in {} ms", grammar, (System.nanoTime() - t0) / 1_000_000);
        return sm;
    }

    private void forget(String grammar) {
        for (String name : List.of("search-" + grammar, "linguist-" + grammar, "jsgf-" + grammar)) {
            if (cm.getPropertySheet(name) != null) {
                cm.removeConfigurable(name);
            }
        }
    }

    /** A new component's properties: those of the configured {@code template}, with {@code overrides}. */
    private Map<String, Object> propertiesOf(String template, Map<String, Object> overrides) {
        PropertySheet base = cm.getPropertySheet(template);
        Map<String, Object> props = new HashMap<>();
        for (String name : base.getRegisteredProperties()) {
            Object raw = base.getRaw(name);
            if (raw != null) {
                props.put(name, raw);
            }
        }
        props.putAll(overrides);
        return props;
    }

    /** Decodes one utterance (little-endian 16-bit at the model's rate) with {@code grammar} or free speech. */
    Result decode(String grammar, byte[] pcm, ResultListener partials) {
        context.setSpeechSource(new ByteArrayInputStream(pcm));
        if (recognizer != null) {
            recognizer.addResultListener(partials);
            try {
                return recognizer.recognize();
            } finally {
                recognizer.removeResultListener(partials);
            }
        }
        SearchManager sm = searchFor(grammar);
        sm.startRecognition();
        try {
            Result r;
            do {
                r = sm.recognize(FRAMES_PER_STEP);
                if (r != null && !r.isFinal()) {
                    partials.newResult(r);
                }
            } while (r != null && !r.isFinal());
            return r;
        } finally {
            sm.stopRecognition();
        }
    }

    void deallocate() {
        if (recognizer != null) {
            recognizer.deallocate();
        } else if (!searches.isEmpty()) {
            searches.values().iterator().next().deallocate(); // frees the shared model and scorer
        }
        searches.clear();
    }

/** Sphinx4's Context keeps its configuration private; grammar decoders add components to it. */
private static ConfigurationManager configurationOf(Context context) {
    try {
        Field f = Context.class.getDeclaredField("configurationManager");
        f.setAccessible(true);
        return (ConfigurationManager) f.get(context);
    } catch (ReflectiveOperationException | RuntimeException e) {
        throw new AsrException("this Sphinx4 version does not expose its configuration as expected "
                + "(sphinx4-core 5prealpha is required): " + e, e);
    }
}
}
