package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.DataProcessor;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.FrontEnd;
import edu.cmu.sphinx.frontend.filter.Preemphasizer;
import edu.cmu.sphinx.frontend.frequencywarp.MelFrequencyFilterBank;
import edu.cmu.sphinx.frontend.transform.DiscreteFourierTransform;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.frontend.window.RaisedCosineWindower;
import io.voicebot.speech.audio.Resampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The top mel filters of telephone audio, filled from the in-band ones, on the model's own filter bank (Sphinx4's
 * front end up to the 25 mel filters, as feat.params sets it) over real speech: espeak-ng's default US voice, which
 * the regression was not fitted on, said once as 16 kHz audio and once through 8 kHz and back.
 */
class NarrowbandFillTest {
    static BenchAudio wide;
    static BenchAudio narrow;

    @BeforeAll
    static void voices() throws Exception {
        wide = new BenchAudio(16000);
        narrow = new BenchAudio(8000);
    }

    @AfterAll
    static void close() throws Exception {
        wide.close();
        narrow.close();
    }

    /** Sphinx4's mel filter energies of 16 kHz audio, one array of 25 per 10 ms frame. */
    static List<double[]> melFrames(short[] pcm16k) {
        StreamDataSource source = new StreamDataSource(16000, 320, 16, false, true);
        byte[] bytes = new byte[pcm16k.length * 2];
        for (int i = 0; i < pcm16k.length; i++) {
            bytes[2 * i] = (byte) pcm16k[i];
            bytes[2 * i + 1] = (byte) (pcm16k[i] >> 8);
        }
        source.setInputStream(new ByteArrayInputStream(bytes));
        FrontEnd fe = new FrontEnd(new ArrayList<DataProcessor>(List.of(source, new Preemphasizer(0.97),
                new RaisedCosineWindower(0.46, 25.625f, 10f), new DiscreteFourierTransform(512, false),
                new MelFrequencyFilterBank(130, 6800, 25))));
        fe.initialize();
        List<double[]> frames = new ArrayList<>();
        for (Data d = fe.getData(); d != null && !(d instanceof DataEndSignal); d = fe.getData()) {
            if (d instanceof DoubleData f) {
                frames.add(f.getValues().clone());
            }
        }
        return frames;
    }

    /** Per frame, the top filters' ln energies minus their utterance means (what the normalization leaves). */
    static double[][] topDeviations(List<double[]> frames) {
        double[][] dev = new double[frames.size()][NarrowbandFill.FILLED];
        for (int j = 0; j < NarrowbandFill.FILLED; j++) {
            double mean = 0;
            for (double[] f : frames) {
                mean += Math.log(f[NarrowbandFill.FIRST_FILLED + j] + 1e-3) / frames.size();
            }
            for (int t = 0; t < frames.size(); t++) {
                dev[t][j] = Math.log(frames.get(t)[NarrowbandFill.FIRST_FILLED + j] + 1e-3) - mean;
            }
        }
        return dev;
    }

    static double meanSquare(double[][] a, double[][] b) {
        double sum = 0;
        int n = 0;
        for (int t = 0; t < Math.min(a.length, b.length); t++) {
            for (int j = 0; j < a[t].length; j++) {
                double d = a[t][j] - b[t][j];
                sum += d * d;
                n++;
            }
        }
        return sum / n;
    }

    static List<double[]> copy(List<double[]> frames) {
        List<double[]> out = new ArrayList<>();
        frames.forEach(f -> out.add(f.clone()));
        return out;
    }

    @Test
    void theFilledFiltersFollowTheWidebandSpeechTheTelephoneLost() throws Exception {
        String text = "please verify your address before friday, thanks";
        TestAudio.Voice wideVoice = wide.espeak("en-us", 150, 50);
        TestAudio.Voice narrowVoice = narrow.espeak("en-us", 150, 50);
        List<double[]> truth = melFrames(TestAudio.padded(wideVoice.speak(text), 800));
        List<double[]> line = melFrames(Resampler.resample(TestAudio.padded(narrowVoice.speak(text), 400), 8000,
                16000));
        double[][] empty = topDeviations(line);
        List<double[]> filled = copy(line);
        NarrowbandFill.fill(filled);
        double[][] want = topDeviations(truth);
        double before = meanSquare(empty, want);
        double after = meanSquare(topDeviations(filled), want);
        // Left empty, the top filters stay near their mean through pauses, vowels and fricatives alike.
        assertTrue(after < before / 2, "squared error of the top filters' deviations: empty " + before + ", filled "
                + after);
        // and the in-band filters are the line's own
        for (int t = 0; t < line.size(); t++) {
            for (int i = 0; i < NarrowbandFill.FIRST_FILLED; i++) {
                assertEquals(line.get(t)[i], filled.get(t)[i]);
            }
        }
    }

    @Test
    void widebandAudioPassesUnchanged() throws Exception {
        List<double[]> frames = melFrames(TestAudio.padded(wide.espeak("en-us", 150, 50).speak("five stars"), 800));
        List<double[]> after = copy(frames);
        NarrowbandFill.fill(after);
        for (int t = 0; t < frames.size(); t++) {
            assertArrayEquals(frames.get(t), after.get(t));
        }
    }

    @Test
    void theCallersLevelChangesNothingButTheLevel() throws Exception {
        // under line noise: espeak-ng's pauses are digital silence, which has no level to scale
        short[] line = TestAudio.withNoise(TestAudio.padded(narrow.espeak("en-us", 150, 50).speak("six"), 400), 40,
                1);
        short[] quieter = new short[line.length];
        for (int i = 0; i < line.length; i++) {
            quieter[i] = (short) Math.round(line[i] / 4.0); // 12 dB quieter, on the 8 kHz line
        }
        short[] said = Resampler.resample(line, 8000, 16000);
        quieter = Resampler.resample(quieter, 8000, 16000);
        List<double[]> loud = melFrames(said);
        List<double[]> quiet = melFrames(quieter);
        NarrowbandFill.fill(loud);
        NarrowbandFill.fill(quiet);
        double[][] a = topDeviations(loud);
        double[][] b = topDeviations(quiet);
        assertTrue(meanSquare(a, b) < 0.05, "deviations moved with the level: " + meanSquare(a, b));
    }

    @Test
    void theStreamProcessorFillsAWholeUtteranceAndPassesTheSignalsOn() throws Exception {
        List<double[]> frames = melFrames(Resampler.resample(TestAudio.padded(
                narrow.espeak("en-us", 150, 50).speak("tuesday"), 400), 8000, 16000));
        List<double[]> expected = copy(frames);
        NarrowbandFill.fill(expected);
        List<Data> in = new ArrayList<>();
        in.add(new edu.cmu.sphinx.frontend.DataStartSignal(16000));
        frames.forEach(f -> in.add(new DoubleData(f, 16000, 0)));
        in.add(new DataEndSignal(0));
        NarrowbandFill fill = new NarrowbandFill();
        fill.setPredecessor(new edu.cmu.sphinx.frontend.BaseDataProcessor() {
            int next;

            @Override
            public Data getData() {
                return next < in.size() ? in.get(next++) : null;
            }
        });
        List<Data> out = new ArrayList<>();
        for (Data d = fill.getData(); d != null; d = fill.getData()) {
            out.add(d);
        }
        assertEquals(in.size(), out.size());
        assertTrue(out.get(0) instanceof edu.cmu.sphinx.frontend.DataStartSignal);
        assertTrue(out.get(out.size() - 1) instanceof DataEndSignal);
        for (int t = 0; t < expected.size(); t++) {
            assertArrayEquals(expected.get(t), ((DoubleData) out.get(t + 1)).getValues(), 1e-9);
        }
    }
}
