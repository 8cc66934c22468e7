package io.voicebot.speech.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResamplerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"48000,8000", "48000,16000", "48000,22050", "22050,8000", "22050,16000", "16000,8000",
            "8000,16000", "8000,22050", "8000,48000", "16000,48000", "22050,48000", "16000,22050"})
    void oneKilohertzToneKeepsItsLevelAndTiming(int in, int out) {
        short[] tone = Signals.tone(1000, in, 1.0, 10000);
        short[] res = Resampler.resample(tone, in, out);
        assertEquals((int) Math.ceil(tone.length * (double) out / in), res.length, "output length");
        // Middle part, away from the edges: level within 0.2 dB of the input.
        int off = out / 10;
        int len = out * 8 / 10;
        double inRms = Levels.rms(tone, in / 10, in * 8 / 10);
        double outRms = Levels.rms(res, off, len);
        assertEquals(0, Signals.db(outRms / inRms), 0.2, "level change in dB");
        // Time-aligned: the output matches an ideal 1 kHz tone generated directly at the output rate.
        short[] ideal = Signals.tone(1000, out, 1.0, 10000);
        double err = 0;
        for (int i = off; i < off + len; i++) {
            double d = res[i] - ideal[i];
            err += d * d;
        }
        double snr = 10 * Math.log10(outRms * outRms * len / err);
        assertTrue(snr > 40, "output differs from an ideal tone, SNR " + snr + " dB");
    }

    @Test
    void sixKilohertzAt48kIsRemovedWhenGoingTo8k() {
        short[] tone = Signals.tone(6000, 48000, 1.0, 16000);
        short[] res = Resampler.resample(tone, 48000, 8000);
        double att = Signals.db(Levels.rms(res, 800, 6400) / Levels.rms(tone, 4800, 38400));
        assertTrue(att < -40, "6 kHz tone attenuated only " + att + " dB");
        // It would alias to 2 kHz without the low-pass filter.
        double alias = Signals.amplitudeAt(res, 800, 6400, 2000, 8000);
        assertTrue(Signals.db(alias / 16000) < -40, "alias at 2 kHz is " + Signals.db(alias / 16000) + " dB");
    }

    @Test
    void sweepAboveTheNewNyquistIsAttenuatedEverywhere() {
        short[] sweep = Signals.sweep(4600, 23500, 48000, 2.0, 16000);
        short[] res = Resampler.resample(sweep, 48000, 8000);
        for (int frame = 1; frame < 19; frame++) { // 100 ms frames, skipping the edges
            double db = Levels.frameDbfs(res, frame, 800) - Levels.toDbfs(16000 / Math.sqrt(2));
            assertTrue(db < -40, "frame " + frame + " of the sweep only " + db + " dB down");
        }
    }

    @Test
    void sweepInsideThePassBandIsKept() {
        short[] sweep = Signals.sweep(100, 3300, 48000, 2.0, 16000);
        short[] res = Resampler.resample(sweep, 48000, 8000);
        for (int frame = 1; frame < 19; frame++) {
            double db = Levels.frameDbfs(res, frame, 800) - Levels.frameDbfs(sweep, frame, 4800);
            assertEquals(0, db, 0.3, "pass-band sweep frame " + frame);
        }
    }

    @Test
    void upsamplingCreatesNoImages() {
        short[] tone = Signals.tone(1000, 8000, 1.0, 16000);
        short[] res = Resampler.resample(tone, 8000, 48000);
        // Zero-stuffing without filtering would leave images at 7, 9, 15, 17 kHz.
        for (int image : new int[] {7000, 9000, 15000, 17000}) {
            double a = Signals.amplitudeAt(res, 4800, 38400, image, 48000);
            assertTrue(Signals.db(a / 16000) < -50, "image at " + image + " Hz: " + Signals.db(a / 16000) + " dB");
        }
    }

    @Test
    void streamingInTwentyMillisecondFramesEqualsOneShot() {
        short[] sweep = Signals.sweep(50, 7000, 16000, 0.77, 12000);
        short[] whole = Resampler.resample(sweep, 16000, 8000);
        Resampler r = new Resampler(16000, 8000);
        short[] out = new short[whole.length + 10];
        short[] frameOut = new short[r.maxOutput(320)];
        int n = 0;
        for (int off = 0; off < sweep.length; off += 320) {
            int len = Math.min(320, sweep.length - off);
            int w = r.process(sweep, off, len, frameOut, 0);
            System.arraycopy(frameOut, 0, out, n, w);
            n += w;
        }
        short[] tail = r.flush();
        System.arraycopy(tail, 0, out, n, tail.length);
        n += tail.length;
        assertEquals(whole.length, n);
        assertArrayEquals(whole, java.util.Arrays.copyOf(out, n));
    }

    @Test
    void sameRateIsACopyAndBadRatesAreRejected() {
        short[] s = {1, 2, 3};
        assertArrayEquals(s, Resampler.resample(s, 8000, 8000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Resampler(8000, 0));
        assertTrue(e.getMessage().contains("8000 -> 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Resampler(44101, 8000));
        assertTrue(e.getMessage().contains("44101 -> 8000"), e.getMessage());
    }

    @Test
    void fullScaleInputClipsInsteadOfWrapping() {
        short[] square = new short[4800];
        for (int i = 0; i < square.length; i++) {
            square[i] = (short) ((i / 24) % 2 == 0 ? 32767 : -32768);
        }
        short[] res = Resampler.resample(square, 48000, 8000);
        // Gibbs overshoot must saturate: a wrapped sample would flip sign next to a full-scale neighbour.
        for (int i = 1; i < res.length; i++) {
            assertTrue(Math.abs(res[i] - res[i - 1]) < 40000, "wrap-around at " + i);
        }
    }
}
