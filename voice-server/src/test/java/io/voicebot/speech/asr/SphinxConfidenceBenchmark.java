package io.voicebot.speech.asr;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.result.Result;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.tts.MaryTtsSynthesizer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calibration and cost of the Sphinx4 confidence (docs/sphinx-confidence.md).
 * Part 1: a labelled set (MaryTTS cmu-slt-hsmm and espeak-ng, clean and with white noise at 15 dB SNR) decoded
 * with the dialog's vocabularies (step grammar plus the global intents); prints the accept / read-back / reject
 * rates of in-grammar and out-of-grammar speech for speech.sphinx.reject.below and confirm_below thresholds.
 * Part 2: decoding time of the same grammar decoder with and without the CI scoring and confidence walk.
 * Run: scripts/bench-sphinx-confidence [reject-below] [confirm-below...]
 */
public final class SphinxConfidenceBenchmark {
    private static final List<String> GLOBALS = List.of("opt_out", "wrong_person", "agent_request", "call_me_later",
            "repeat_request");
    private static final List<String> OOG = List.of("i had a question about my mortgage", "the weather is nice today",
            "hello", "what", "i don't know", "hold on a second", "my card was stolen", "maybe", "how much do i owe",
            "good morning", "thanks for calling", "let me check");
    private static final Map<String, List<String>> IN = Map.of(
            "rating_1_5", List.of("one", "two", "three", "four", "five", "one star", "two stars", "three stars",
                    "four stars", "five stars", "a one", "a three", "a five", "operator", "wrong number",
                    "call me later", "stop calling me", "can you repeat that"),
            "yes_no", List.of("yes", "no", "yeah", "nope", "yes please", "no thank you", "that's right", "sure",
                    "of course", "not really", "correct", "incorrect", "operator", "call me later",
                    "can you repeat that"),
            "digits", List.of("four one two", "seven", "nine", "three", "zero five", "eight six", "two",
                    "one two three four"),
            "agent_request", List.of("agent", "operator", "a person", "talk to a person", "representative",
                    "customer service", "speak to someone"));
    private static final Map<String, List<String>> OOG_EXTRA = Map.of(
            "rating_1_5", List.of("yes", "no", "okay", "it was good", "seven", "ten"),
            "yes_no", List.of("three", "five", "four stars", "okay", "seven"),
            "digits", List.of("yes", "no", "operator"),
            "agent_request", List.of("yes", "no", "five"));

    private record Row(String grammar, String voice, boolean noisy, String spoken, boolean inGrammar, String heard,
                       boolean right, double confidence) {}

    public static void main(String[] args) throws Exception {
        double reject = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
        List<Double> confirm = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            confirm.add(Double.parseDouble(args[i]));
        }
        if (confirm.isEmpty()) {
            confirm = List.of(0.5, 0.8);
        }
        GrammarLibrary lib = GrammarLibrary.load(Path.of("grammars"));
        MaryTtsSynthesizer mary = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        Map<String, TestAudio.Voice> voices = new LinkedHashMap<>();
        voices.put("mary", text -> mary.synthesize(text, 8000).join().samples());
        voices.put("espeak", TestAudio.espeak());
        List<Row> rows = new ArrayList<>();
        try (SphinxRecognizer r = new SphinxRecognizer(1, 8000, SphinxSettings.KEEP_ALL)) {
            for (String name : List.of("rating_1_5", "yes_no", "digits", "agent_request")) {
                Grammar g = lib.get(name);
                Vocabulary v = vocabulary(lib, g);
                List<String[]> items = new ArrayList<>();
                IN.get(name).forEach(p -> items.add(new String[] {p, "in"}));
                OOG.forEach(p -> items.add(new String[] {p, "oog"}));
                OOG_EXTRA.get(name).forEach(p -> items.add(new String[] {p, "oog"}));
                for (var voice : voices.entrySet()) {
                    for (boolean noisy : new boolean[] {false, true}) {
                        for (String[] it : items) {
                            short[] pcm = TestAudio.padded(voice.getValue().speak(it[0]), 400);
                            if (noisy) {
                                pcm = TestAudio.withNoise(pcm, 15, it[0].hashCode());
                            }
                            RecognitionResult res = recognize(r, v, pcm);
                            boolean in = it[1].equals("in");
                            boolean right = in && !res.isEmpty() && intent(lib, name, res.text())
                                    .equals(intent(lib, name, it[0]));
                            rows.add(new Row(name, voice.getKey(), noisy, it[0], in, res.text(), right,
                                    res.confidence()));
                        }
                    }
                }
            }
        }
        mary.close(Duration.ofSeconds(5));
        System.out.printf("labelled set: %d utterances; reject below %.2f%n", rows.size(), reject);
        for (boolean noisy : new boolean[] {false, true}) {
            List<Row> in = rows.stream().filter(x -> x.inGrammar && x.noisy == noisy).toList();
            List<Row> oog = rows.stream().filter(x -> !x.inGrammar && x.noisy == noisy).toList();
            String cond = noisy ? "15 dB SNR" : "clean";
            System.out.printf("%s in-grammar n=%d: recognized right %.1f%%; rejected: right %.1f%%, wrong %.1f%%%n",
                    cond, in.size(), pct(in, x -> x.right), pct(in, x -> x.right && x.confidence < reject),
                    pct(in, x -> !x.right && x.confidence < reject));
            for (double c : confirm) {
                System.out.printf("  confirm_below %.2f: right accepted %.1f%%, right read back %.1f%%, "
                                + "wrong accepted %.1f%%, wrong read back %.1f%%%n", c,
                        pct(in, x -> x.right && x.confidence >= c),
                        pct(in, x -> x.right && x.confidence >= reject && x.confidence < c),
                        pct(in, x -> !x.right && x.confidence >= c),
                        pct(in, x -> !x.right && x.confidence >= reject && x.confidence < c));
            }
            System.out.printf("%s out-of-grammar n=%d: rejected %.1f%%%n", cond, oog.size(),
                    pct(oog, x -> x.confidence < reject));
            for (double c : confirm) {
                System.out.printf("  confirm_below %.2f: accepted %.1f%%, read back %.1f%%%n", c,
                        pct(oog, x -> x.confidence >= c), pct(oog, x -> x.confidence >= reject && x.confidence < c));
            }
        }
        cost(lib);
        System.exit(0);
    }

    /** Wall time per utterance of one grammar decoder with the production scorer vs Sphinx4's plain scorer. */
    private static void cost(GrammarLibrary lib) throws Exception {
        List<byte[]> audio = new ArrayList<>();
        for (String p : IN.get("rating_1_5")) {
            short[] pcm = io.voicebot.speech.audio.Resampler.resample(
                    TestAudio.padded(TestAudio.espeak().speak(p), 400), 8000, 16000);
            byte[] b = new byte[pcm.length * 2];
            for (int i = 0; i < pcm.length; i++) {
                b[2 * i] = (byte) pcm[i];
                b[2 * i + 1] = (byte) (pcm[i] >> 8);
            }
            audio.add(b);
        }
        Path dir = Files.createTempDirectory("bench-jsgf");
        Vocabulary v = vocabulary(lib, lib.get("rating_1_5"));
        Files.writeString(dir.resolve("bench.gram"), "#JSGF V1.0;\ngrammar bench;\npublic <bench> = "
                + SphinxGrammars.jsgfBody(v) + ";\n");
        String xml = new String(SphinxConfidenceBenchmark.class
                .getResourceAsStream("/io/voicebot/speech/asr/sphinx.config.xml").readAllBytes(), StandardCharsets.UTF_8);
        Path plain = dir.resolve("plain.xml");
        Files.writeString(plain, xml.replace("<property name=\"scorer\" value=\"ciScorer\"/>",
                "<property name=\"scorer\" value=\"trivialScorer\"/>"));
        Path ci = dir.resolve("ci.xml");
        Files.writeString(ci, xml);
        for (int round = 0; round < 2; round++) {
            for (Path config : List.of(plain, ci)) {
                Configuration c = new Configuration();
                c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
                c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
                c.setSampleRate(16000);
                c.setGrammarPath(dir.toUri().toString());
                c.setGrammarName("bench");
                c.setUseGrammar(true);
                Context ctx = new Context(config.toString(), c);
                var rec = ctx.getInstance(edu.cmu.sphinx.recognizer.Recognizer.class);
                rec.allocate();
                CiFrameScorer scorer = config == ci ? ctx.getInstance(CiFrameScorer.class) : null;
                var bean = java.lang.management.ManagementFactory.getThreadMXBean();
                for (int warm = 0; warm < 2; warm++) {
                    long cpu0 = bean.getCurrentThreadCpuTime();
                    for (byte[] b : audio) {
                        ctx.setSpeechSource(new ByteArrayInputStream(b));
                        Result res = rec.recognize();
                        if (scorer != null && res != null) {
                            AcousticConfidence.wordGaps(res, scorer);
                        }
                    }
                    if (warm == 1) {
                        System.out.printf("round %d %s: %.1f ms CPU per utterance (%d utterances, %s)%n", round,
                                scorer == null ? "plain scorer   " : "with confidence", (bean.getCurrentThreadCpuTime()
                                        - cpu0) / 1e6 / audio.size(), audio.size(), "rating_1_5 + globals grammar");
                    }
                }
                rec.deallocate();
            }
        }
    }

    private static Vocabulary vocabulary(GrammarLibrary lib, Grammar g) {
        List<String> phrases = new ArrayList<>();
        g.intents().values().forEach(phrases::addAll);
        if (!g.repeat()) {
            for (String global : GLOBALS) {
                lib.get(global).intents().values().forEach(l -> l.stream().filter(p -> !phrases.contains(p))
                        .forEach(phrases::add));
            }
        }
        return new Vocabulary(phrases, g.repeat());
    }

    private static String intent(GrammarLibrary lib, String grammar, String text) {
        Optional<String> own = lib.get(grammar).intentOf(text);
        if (own.isPresent()) {
            return grammar + ":" + own.get();
        }
        for (String global : GLOBALS) {
            Optional<String> i = lib.get(global).intentOf(text);
            if (i.isPresent()) {
                return global + ":" + i.get();
            }
        }
        return "text:" + text;
    }

    private static double pct(List<Row> rows, java.util.function.Predicate<Row> p) {
        return rows.isEmpty() ? 0 : 100.0 * rows.stream().filter(p).count() / rows.size();
    }

    private static RecognitionResult recognize(Recognizer r, Vocabulary v, short[] pcm) throws Exception {
        return SphinxRecognizerTest.recognize(r, v, pcm, new ArrayList<>());
    }
}
