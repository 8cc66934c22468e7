package io.voicebot.speech.asr;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.audio.Resampler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoding CPU of the server's Sphinx4 set-up against Sphinx4's own components (its Sphinx3Loader and
 * SimpleBreadthFirstSearchManager instead of {@link PtmLoader} and {@link GrammarSearch}) and against the shipped
 * set-up with Sphinx4's senone mixing (PtmLoader's codebookMixing off): the same espeak-ng utterances decoded by
 * each on one thread, in turn, so load from other processes falls on all alike. Reports thread CPU per second of
 * audio for each and every utterance whose hypothesis or score differs from Sphinx4's.
 * Run: scripts/bench-decoder-cpu [rounds] [shipped|before]
 */
public final class DecoderCpuBenchmark {
    private static final String CONFIG = "/io/voicebot/speech/asr/sphinx.config.xml";
    private static final String[][] UTTERANCES = {
            {"yes_no", "yes"}, {"yes_no", "no thank you"}, {"yes_no", "that is right"},
            {"rating_1_5", "four stars"}, {"rating_1_5", "one star"}, {"rating_1_5", "two"},
            {"rating_1_5", "five"}, {"digits", "four one two"}, {"digits", "nine eight seven six"},
            {"hotline_intent", "i want to check my balance"}, {"hotline_intent", "my card was stolen"},
            {"payment_response", "i already paid"}, {"payment_response", "i want to dispute this"},
            {"agent_request", "speak to an agent"}, {"date", "next tuesday"}, {"callback_time", "tomorrow morning"},
    };

    private DecoderCpuBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        // "shipped" or "before": that set-up alone (for a profile of it), the latter with Sphinx4's mixing.
        String only = args.length > 1 ? args[1] : "";
        boolean shippedOnly = !only.isEmpty();
        GrammarLibrary library = GrammarLibrary.load(Path.of("grammars"));
        SphinxGrammars grammars = new SphinxGrammars(0, 1);
        List<String> names = new ArrayList<>();
        List<byte[]> audio = new ArrayList<>();
        double seconds = 0;
        for (String[] u : UTTERANCES) {
            names.add(grammars.nameFor(Vocabulary.of(library.get(u[0]))));
            short[] pcm = Resampler.resample(TestAudio.padded(TestAudio.espeak().speak(u[1]), 300), 8000, 16000);
            audio.add(bytes(pcm));
            seconds += pcm.length / 16000.0;
        }
        Path dir = Files.createTempDirectory("voicebot-decoder-cpu");
        String[] labels = {"Sphinx4's loader and search", "PtmLoader + GrammarSearch, Sphinx4's mixing",
                "shipped (codebook mixing)"};
        List<SphinxDecoder> decoders = new ArrayList<>();
        if (!shippedOnly) {
            decoders.add(decoder(grammars, names.get(0), dir, true, true));
            decoders.add(decoder(grammars, names.get(0), dir, false, false, false));
        }
        decoders.add(decoder(grammars, names.get(0), dir, false, false, !only.equals("before")));
        int first = only.equals("shipped") ? 2 : only.equals("before") ? 1 : 0;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ns = new long[decoders.size()];
        int[] differ = new int[decoders.size()];
        for (int round = 0; round <= rounds; round++) {
            for (int i = 0; i < audio.size(); i++) {
                Result[] results = new Result[decoders.size()];
                for (int d = 0; d < decoders.size(); d++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    results[d] = decoders.get(d).decode(names.get(i), audio.get(i), NONE);
                    if (round > 0) {
                        ns[d] += mx.getCurrentThreadCpuTime() - t0;
                    }
                }
                // Warm-up round (grammars compiled, JIT): its differences from the first decoder are reported.
                for (int d = 1; round == 0 && d < decoders.size(); d++) {
                    if (!hypothesis(results[d]).equals(hypothesis(results[0]))) {
                        differ[d]++;
                        System.out.printf("differs: \"%s\": %s %s, %s %s%n", UTTERANCES[i][1],
                                labels[first + d], hypothesis(results[d]), labels[first], hypothesis(results[0]));
                    }
                }
            }
        }
        double audioSeconds = seconds * rounds;
        System.out.printf("%d utterances x %d rounds, %.1f s of audio per decoder%n", audio.size(), rounds,
                audioSeconds);
        for (int d = 0; d < decoders.size(); d++) {
            System.out.printf("%-45s %.3f CPU s per audio s", labels[first + d] + ":", ns[d] / 1e9 / audioSeconds);
            if (d > 0) {
                System.out.printf(" (%.0f%% less than the first, %.0f%% less than the one above; hypotheses or"
                                + " scores differing from the first: %d of %d)", 100.0 * (ns[0] - ns[d]) / ns[0],
                        100.0 * (ns[d - 1] - ns[d]) / ns[d - 1], differ[d], audio.size());
            }
            System.out.println();
        }
        for (SphinxDecoder d : decoders) {
            d.deallocate();
        }
        grammars.delete();
    }

    /** Words and path score, what must not change. */
    private static String hypothesis(Result r) {
        return r == null ? "(none)" : "\"" + r.getBestResultNoFiller() + "\" " + r.getBestFinalToken().getScore();
    }

    static SphinxDecoder decoder(SphinxGrammars grammars, String grammar, Path dir, boolean stockLoader,
                                 boolean stockSearch) throws Exception {
        return decoder(grammars, grammar, dir, stockLoader, stockSearch, true);
    }

    /**
     * A grammar decoder as SphinxRecognizer builds one, optionally with Sphinx4's own loader ({@code stockLoader})
     * and search ({@code stockSearch}) instead of PtmLoader and GrammarSearch, or PtmLoader with Sphinx4's senone
     * mixing ({@code codebookMixing} false).
     */
    static SphinxDecoder decoder(SphinxGrammars grammars, String grammar, Path dir, boolean stockLoader,
                                 boolean stockSearch, boolean codebookMixing) throws Exception {
        String xml = new String(DecoderCpuBenchmark.class.getResourceAsStream(CONFIG).readAllBytes(),
                StandardCharsets.UTF_8);
        if (stockLoader) {
            xml = xml.replace("io.voicebot.speech.asr.PtmLoader",
                    "edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader");
        }
        if (stockSearch) {
            xml = xml.replace("io.voicebot.speech.asr.GrammarSearch",
                    "edu.cmu.sphinx.decoder.search.SimpleBreadthFirstSearchManager");
        }
        if (!codebookMixing) {
            String topN = "<property name=\"topGaussiansNum\" value=\"4\"/>";
            xml = xml.replace(topN, topN + "<property name=\"codebookMixing\" value=\"false\"/>");
        }
        Path file = dir.resolve("sphinx-" + stockLoader + "-" + stockSearch + "-" + codebookMixing + ".xml");
        Files.writeString(file, xml);
        Configuration c = new Configuration();
        c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
        c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
        c.setSampleRate(16000);
        c.setGrammarPath(grammars.dir().toUri().toString());
        c.setGrammarName(grammar);
        c.setUseGrammar(true);
        Context context = new Context(file.toUri().toString(), c);
        return new SphinxDecoder(context, false, 64);
    }

    static byte[] bytes(short[] pcm) {
        byte[] b = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            b[2 * i] = (byte) pcm[i];
            b[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return b;
    }

    static final ResultListener NONE = new ResultListener() {
        @Override
        public void newResult(Result result) {
        }

        @Override
        public void newProperties(PropertySheet ps) {
        }
    };
}
