package io.voicebot.speech.asr;

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
 * SimpleBreadthFirstSearchManager instead of {@link PtmLoader} and {@link GrammarSearch}): the same espeak-ng
 * utterances decoded by both on one thread, alternately, so load from other processes falls on both alike.
 * Reports thread CPU per second of audio for each and every utterance whose hypothesis or score differs.
 * Run: scripts/bench-decoder-cpu [rounds]
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
        GrammarLibrary library = GrammarLibrary.load(Path.of("grammars"));
        SphinxGrammars grammars = new SphinxGrammars();
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
        SphinxDecoder ours = decoder(grammars, names.get(0), dir, false, false);
        SphinxDecoder sphinx = decoder(grammars, names.get(0), dir, true, true);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long oursNs = 0;
        long sphinxNs = 0;
        int differ = 0;
        for (int round = 0; round <= rounds; round++) {
            for (int i = 0; i < audio.size(); i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                Result b = sphinx.decode(names.get(i), audio.get(i), NONE);
                long t1 = mx.getCurrentThreadCpuTime();
                Result a = ours.decode(names.get(i), audio.get(i), NONE);
                long t2 = mx.getCurrentThreadCpuTime();
                if (round == 0) {
                    // Warm-up round: grammars compiled, JIT; its differences are the ones reported.
                    String ha = a == null ? "" : a.getBestResultNoFiller();
                    String hb = b == null ? "" : b.getBestResultNoFiller();
                    double sa = a == null ? 0 : a.getBestFinalToken().getScore();
                    double sb = b == null ? 0 : b.getBestFinalToken().getScore();
                    if (!ha.equals(hb) || sa != sb) {
                        differ++;
                        System.out.printf("differs: \"%s\": ours \"%s\" %.1f, Sphinx4 \"%s\" %.1f%n",
                                UTTERANCES[i][1], ha, sa, hb, sb);
                    }
                    continue;
                }
                sphinxNs += t1 - t0;
                oursNs += t2 - t1;
            }
        }
        double audioSeconds = seconds * rounds;
        System.out.printf("%d utterances x %d rounds, %.1f s of audio per decoder%n", audio.size(), rounds,
                audioSeconds);
        System.out.printf("Sphinx4's loader and search: %.3f CPU s per audio s%n", sphinxNs / 1e9 / audioSeconds);
        System.out.printf("PtmLoader + GrammarSearch:   %.3f CPU s per audio s (%.0f%% less)%n",
                oursNs / 1e9 / audioSeconds, 100.0 * (sphinxNs - oursNs) / sphinxNs);
        System.out.printf("hypotheses or scores differing: %d of %d%n", differ, audio.size());
        ours.deallocate();
        sphinx.deallocate();
        grammars.delete();
    }

    /**
     * A grammar decoder as SphinxRecognizer builds one, optionally with Sphinx4's own loader ({@code stockLoader})
     * and search ({@code stockSearch}) instead of PtmLoader and GrammarSearch.
     */
    static SphinxDecoder decoder(SphinxGrammars grammars, String grammar, Path dir, boolean stockLoader,
                                 boolean stockSearch) throws Exception {
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
        Path file = dir.resolve("sphinx-" + stockLoader + "-" + stockSearch + ".xml");
        Files.writeString(file, xml);
        return SphinxDecoder.load(file.toUri().toString(), false, grammars.dir(), grammar, 64);
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
