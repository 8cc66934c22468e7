package io.voicebot.speech.tts;

import io.voicebot.speech.audio.G711;
import io.voicebot.speech.audio.Resampler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Speech synthesis and audio benchmark (run by scripts/bench-tts.sh, not by the test suite). Prints Markdown:
 * MaryTTS start-up, time to first audio uncached / cached on disk / cached in memory (p50, p95), and resampler
 * and G.711 throughput in multiples of real time on one core.
 */
public final class TtsBenchmark {
    private static final List<String> SENTENCES = List.of(
            "Hello, this is the automated assistant of your bank.",
            "Your payment of one hundred twenty five dollars and fifty cents is due on December third.",
            "Please say yes or no.",
            "On a scale from one to five, how satisfied were you with our service?",
            "I did not catch that. Could you repeat it, please?",
            "Please hold while I transfer you to an agent.",
            "Your account number ends in four four one one.",
            "Thank you for your time. Goodbye.",
            "To hear your balance, say balance. To speak to an agent, say agent.",
            "Your card has been blocked for your security.",
            "We have received your payment. Thank you.",
            "The branch is open from nine A M to five P M, Monday to Friday.");

    private TtsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rate = 8000;
        long t0 = System.nanoTime();
        MaryTtsSynthesizer tts = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        double startupMs = (System.nanoTime() - t0) / 1e6;
        Path dir = Files.createTempDirectory("tts-bench");
        System.out.println("| measurement | p50 | p95 | notes |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| MaryTTS start-up (first, in a fresh JVM) | %.0f ms | | once per process |%n",
                startupMs);
        // Warm the JIT on sentences that are not measured, as a running server would be.
        try (PromptCache warm = new PromptCache(tts, Files.createTempDirectory("tts-warm"), rate, 0)) {
            for (int i = 0; i < 3; i++) {
                warm.render("Warming up the synthesizer, round " + SpokenForm.cardinal(i) + ".", rate)
                        .get(120, TimeUnit.SECONDS);
            }
        }
        double[] uncached = new double[SENTENCES.size()];
        double audioSeconds = 0;
        try (PromptCache cache = new PromptCache(tts, dir, rate, PromptCache.DEFAULT_MEMORY_BYTES)) {
            for (int i = 0; i < SENTENCES.size(); i++) {
                long s = System.nanoTime();
                short[] pcm = cache.render(SENTENCES.get(i), rate).get(120, TimeUnit.SECONDS);
                uncached[i] = (System.nanoTime() - s) / 1e6;
                audioSeconds += pcm.length / (double) rate;
            }
            row("time to first audio, uncached (MaryTTS + resample to 8 kHz + WAV write queued)", uncached,
                    String.format(Locale.ROOT, "%d sentences, %.1f s of audio; %.1fx real time",
                            SENTENCES.size(), audioSeconds, audioSeconds * 1000 / Arrays.stream(uncached).sum()));
            double[] memory = timeAll(cache, rate, 20);
            row("time to first audio, cached in memory", memory, "LRU hit");
        }
        try (PromptCache fresh = new PromptCache(tts, dir, rate, 0)) {
            double[] disk = timeAll(fresh, rate, 5);
            row("time to first audio, cached on disk", disk, "WAV read, memory cache disabled");
        }
        tts.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        System.out.println();
        System.out.println("| audio path (one core) | throughput |");
        System.out.println("|---|---|");
        resampler(48000, 8000);
        resampler(48000, 16000);
        resampler(16000, 8000);
        resampler(8000, 16000);
        resampler(22050, 8000);
        g711();
    }

    private static double[] timeAll(PromptCache cache, int rate, int rounds) throws Exception {
        List<Double> t = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (String s : SENTENCES) {
                long start = System.nanoTime();
                cache.render(s, rate).get(120, TimeUnit.SECONDS);
                t.add((System.nanoTime() - start) / 1e6);
            }
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void row(String what, double[] ms, String notes) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", what, fmt(pct(s, 50)), fmt(pct(s, 95)), notes);
    }

    private static String fmt(double ms) {
        return ms >= 10 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.3f ms", ms);
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Streams 60 s of noise-like audio through in 20 ms frames, as a call would. */
    private static void resampler(int in, int out) {
        int seconds = 60;
        short[] audio = new short[in * seconds];
        long x = 12345;
        for (int i = 0; i < audio.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            audio[i] = (short) (x >> 49);
        }
        int frame = in / 50;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            Resampler r = new Resampler(in, out);
            short[] buf = new short[r.maxOutput(frame)];
            long s = System.nanoTime();
            for (int off = 0; off + frame <= audio.length; off += frame) {
                r.process(audio, off, frame, buf, 0);
            }
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf(Locale.ROOT, "| resample %d -> %d Hz, 20 ms frames | %.0fx real time |%n", in, out,
                seconds / best);
    }

    private static void g711() {
        short[] audio = new short[8000 * 60];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (short) (Math.sin(i * 0.3) * 12000);
        }
        byte[] codes = new byte[audio.length];
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long s = System.nanoTime();
            G711.encodeUlaw(audio, 0, audio.length, codes, 0);
            G711.decodeUlaw(codes, 0, codes.length, audio, 0);
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf(Locale.ROOT, "| G.711 mu-law encode + decode, 8 kHz | %.0fx real time |%n", 60 / best);
    }
}
