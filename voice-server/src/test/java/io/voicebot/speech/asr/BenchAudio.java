package io.voicebot.speech.asr;

import io.voicebot.speech.tts.MaryTtsSynthesizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Voices and telephone conditions of the understanding benchmark (scripts/bench-understanding): every utterance
 * is synthesized at run time (MaryTTS cmu-slt-hsmm, espeak-ng variants) and passed through sox (G.711 μ-law and
 * A-law round trips at 8 kHz, gain, tempo); noise (sox white/pink noise) is mixed at a speech-to-noise ratio
 * measured on the speech samples. No audio is kept.
 */
final class BenchAudio {
    /** The conditions, in report order. */
    static final List<String> CONDITIONS = List.of("clean", "ulaw", "alaw", "phone", "gain-10", "gain+6",
            "tempo0.9", "tempo1.1", "white15", "white10", "pink15", "pink10");

    private final Path dir;
    private final Map<String, short[]> noise = new LinkedHashMap<>();
    /** Sample rate of the voices: 8000 (telephone), or 16000 for a wideband caller (clean only). */
    private final int rate;

    BenchAudio() throws IOException {
        this(8000);
    }

    BenchAudio(int rate) throws IOException {
        this.rate = rate;
        dir = Files.createTempDirectory("bench-understanding");
        for (String type : List.of("white", "pink")) {
            Path f = dir.resolve(type + ".wav");
            sox("-n", "-r", "8000", "-c", "1", "-b", "16", f.toString(), "synth", "60", type + "noise");
            noise.put(type, TestAudio.readWav(f));
        }
    }

    /** espeak-ng voice {@code variant} (e.g. "en-us+f3") at {@code speed} words per minute and {@code pitch}. */
    TestAudio.Voice espeak(String variant, int speed, int pitch) {
        return text -> {
            try {
                Path raw = Files.createTempFile(dir, "espeak", ".wav");
                run(List.of("espeak-ng", "-v", variant, "-s", String.valueOf(speed), "-p", String.valueOf(pitch),
                        "-w", raw.toString(), text));
                Path out = Files.createTempFile(dir, "espeak8k", ".wav");
                sox(raw.toString(), "-r", String.valueOf(rate), "-c", "1", "-b", "16", out.toString());
                short[] pcm = TestAudio.readWav(out);
                Files.delete(raw);
                Files.delete(out);
                return pcm;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static TestAudio.Voice mary(MaryTtsSynthesizer mary) {
        return mary(mary, 8000);
    }

    static TestAudio.Voice mary(MaryTtsSynthesizer mary, int rate) {
        return text -> mary.synthesize(text, rate).join().samples();
    }

    int rate() {
        return rate;
    }

    /** {@code speech} (8 kHz, unpadded) under {@code condition}, padded with 400 ms before and after. */
    short[] apply(short[] speech, String condition, long seed) throws IOException {
        if (rate != 8000) {
            if (!condition.equals("clean")) {
                throw new IllegalArgumentException("condition " + condition + " is telephone audio (8 kHz); at "
                        + rate + " Hz only clean");
            }
            return TestAudio.padded(speech, 400 * rate / 8000); // padded() counts 8 kHz samples
        }
        switch (condition) {
            case "clean":
                return TestAudio.padded(speech, 400);
            case "ulaw", "alaw", "phone": {
                // phone: the telephone channel's 300-3400 Hz band, then G.711 u-law
                Path in = condition.equals("phone") ? write(soxEffect(speech, "sinc", "300-3400")) : write(speech);
                Path coded = Files.createTempFile(dir, "coded", ".wav");
                Path back = Files.createTempFile(dir, "back", ".wav");
                sox(in.toString(), "-e", condition.equals("alaw") ? "a-law" : "u-law", "-b", "8", coded.toString());
                sox(coded.toString(), "-e", "signed-integer", "-b", "16", back.toString());
                short[] out = TestAudio.readWav(back);
                Files.delete(in);
                Files.delete(coded);
                Files.delete(back);
                return TestAudio.padded(out, 400);
            }
            case "gain-10", "gain+6":
                return TestAudio.padded(soxEffect(speech, "gain", condition.substring(4)), 400);
            case "tempo0.9", "tempo1.1":
                return TestAudio.padded(soxEffect(speech, "tempo", condition.substring(5)), 400);
            default: {
                String type = condition.startsWith("white") ? "white" : "pink";
                double snr = Double.parseDouble(condition.substring(type.length()));
                return mix(speech, noise.get(type), snr, seed);
            }
        }
    }

    /** Pads, then adds a slice of {@code n} scaled to {@code snrDb} below the speech's RMS (over the speech only). */
    private static short[] mix(short[] speech, short[] n, double snrDb, long seed) {
        double sum = 0;
        for (short v : speech) {
            sum += (double) v * v;
        }
        double speechRms = Math.sqrt(sum / Math.max(1, speech.length));
        double nsum = 0;
        for (short v : n) {
            nsum += (double) v * v;
        }
        double scale = speechRms / Math.pow(10, snrDb / 20) / Math.sqrt(nsum / n.length);
        short[] padded = TestAudio.padded(speech, 400);
        int start = (int) Math.floorMod(seed, (long) Math.max(1, n.length - padded.length));
        short[] out = new short[padded.length];
        for (int i = 0; i < padded.length; i++) {
            double v = padded[i] + n[(start + i) % n.length] * scale;
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return out;
    }

    private short[] soxEffect(short[] speech, String... effect) throws IOException {
        Path in = write(speech);
        Path out = Files.createTempFile(dir, "fx", ".wav");
        List<String> args = new ArrayList<>(List.of(in.toString(), out.toString()));
        args.addAll(List.of(effect));
        sox(args.toArray(String[]::new));
        short[] pcm = TestAudio.readWav(out);
        Files.delete(in);
        Files.delete(out);
        return pcm;
    }

    private Path write(short[] pcm) throws IOException {
        Path f = Files.createTempFile(dir, "in", ".wav");
        TestAudio.writeWav(pcm, f);
        return f;
    }

    private static void sox(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sox", "-q", "-V1", "-R")); // -R: the same dither each run
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    void close() throws IOException {
        for (Path f : Files.list(dir).toList()) {
            Files.delete(f);
        }
        Files.delete(dir);
    }
}
