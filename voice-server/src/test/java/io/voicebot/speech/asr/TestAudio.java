package io.voicebot.speech.asr;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Test audio at 8 kHz, 16-bit mono: synthesized speech from a {@link Voice}, silence, tones, noise. A voice is
 * any text-to-8-kHz-PCM source, so MaryTTS can be added next to espeak-ng without touching the tests' logic.
 */
public final class TestAudio {
    public static final int RATE = 8000;

    private TestAudio() {
    }

    /** A source of spoken test audio. */
    @FunctionalInterface
    public interface Voice {
        short[] speak(String text);
    }

    /** espeak-ng (US English), converted by sox to 8 kHz mono 16-bit; missing tools fail the test. */
    public static Voice espeak() {
        return text -> {
            try {
                Path dir = Files.createTempDirectory("voicebot-espeak");
                Path raw = dir.resolve("raw.wav");
                Path out = dir.resolve("out.wav");
                run(List.of("espeak-ng", "-v", "en-us", "-s", "150", "-w", raw.toString(), text));
                run(List.of("sox", "-R", raw.toString(), "-r", "8000", "-c", "1", "-b", "16", out.toString()));
                short[] pcm = readWav(out);
                Files.delete(raw);
                Files.delete(out);
                Files.delete(dir);
                return pcm;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void run(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd.get(0) + " is not installed; these tests need it: "
                    + "apt-get install -y espeak-ng sox (" + e.getMessage() + ")");
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new AssertionError(cmd + " failed with exit code " + p.exitValue() + ": " + output);
        }
    }

    public static short[] silence(int ms) {
        return new short[RATE * ms / 1000];
    }

    /** A sine tone at {@code dbfs} (RMS), standing in for speech where only timing matters. */
    public static short[] tone(int ms, double hz, double dbfs) {
        short[] s = new short[RATE * ms / 1000];
        double amp = Math.pow(10, dbfs / 20) * Math.sqrt(2) * 32767;
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amp * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return s;
    }

    /** White noise at {@code dbfs} (RMS), reproducible. */
    public static short[] noise(int ms, double dbfs, long seed) {
        Random r = new Random(seed);
        short[] s = new short[RATE * ms / 1000];
        double amp = Math.pow(10, dbfs / 20) * 32767;
        for (int i = 0; i < s.length; i++) {
            s[i] = clip(r.nextGaussian() * amp);
        }
        return s;
    }

    /** {@code signal} with white noise added so that the speech-to-noise ratio is {@code snrDb}. */
    public static short[] withNoise(short[] signal, double snrDb, long seed) {
        double sum = 0;
        int active = 0;
        for (short v : signal) {
            if (Math.abs(v) > 300) {
                sum += (double) v * v;
                active++;
            }
        }
        double speechRms = Math.sqrt(sum / Math.max(1, active));
        double noiseRms = speechRms / Math.pow(10, snrDb / 20);
        Random r = new Random(seed);
        short[] out = new short[signal.length];
        for (int i = 0; i < signal.length; i++) {
            out[i] = clip(signal[i] + r.nextGaussian() * noiseRms);
        }
        return out;
    }

    /** {@code signal} plus white noise at {@code noiseDbfs}, so a burst sits on the same line noise as around it. */
    public static short[] withNoiseFloor(short[] signal, double noiseDbfs, long seed) {
        short[] n = noise(ms(signal), noiseDbfs, seed);
        short[] out = new short[signal.length];
        for (int i = 0; i < signal.length; i++) {
            out[i] = clip(signal[i] + (i < n.length ? n[i] : 0));
        }
        return out;
    }

    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Speech with {@code padMs} of silence before and after. */
    public static short[] padded(short[] speech, int padMs) {
        return concat(silence(padMs), speech, silence(padMs));
    }

    public static int ms(short[] pcm) {
        return pcm.length * 1000 / RATE;
    }

    private static short clip(double v) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
    }

    public static short[] readWav(Path file) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            byte[] b = in.readAllBytes();
            short[] out = new short[b.length / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
            }
            return out;
        } catch (javax.sound.sampled.UnsupportedAudioFileException e) {
            throw new IOException(e);
        }
    }

    public static void writeWav(short[] pcm, Path file) throws IOException {
        byte[] b = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            b[2 * i] = (byte) pcm[i];
            b[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        AudioFormat f = new AudioFormat(RATE, 16, 1, true, false);
        try (AudioInputStream s = new AudioInputStream(new ByteArrayInputStream(b), f, pcm.length)) {
            AudioSystem.write(s, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    /** Splits audio into 20 ms frames, as the telephony side delivers it. */
    public static List<short[]> frames(short[] pcm) {
        return frames(pcm, RATE);
    }

    /** 20 ms frames of {@code pcm} at {@code rate}. */
    public static List<short[]> frames(short[] pcm, int rate) {
        List<short[]> out = new ArrayList<>();
        for (int off = 0; off < pcm.length; off += rate / 50) {
            out.add(java.util.Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + rate / 50)));
        }
        return out;
    }
}
