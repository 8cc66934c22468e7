package io.voicebot.speech.asr;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.frontend.FrontEnd;
import edu.cmu.sphinx.linguist.acoustic.UnitManager;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Pool;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Senone;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader;
import io.voicebot.speech.audio.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flat top-N selection on real speech, noise and a loud tone: each frame's chosen Gaussians are the N best by
 * Sphinx4's own Gaussian score (every one computed), and the senones score as with Sphinx4's own selection except
 * at its near-ties (TopGaussians' comment).
 */
class TopGaussiansTest {
    private static final String MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";

    @Test
    void selectsTheBestGaussiansAndSenonesScoreAsWithSphinx4(@TempDir Path dir) throws Exception {
        // Sphinx3Loader's defaults, as sphinx.config.xml leaves them.
        Sphinx3Loader sphinx = new Sphinx3Loader(MODEL, new UnitManager(), 0f, 1e-7f, 1e-4f, 4, true);
        PtmLoader ours = new PtmLoader(MODEL, new UnitManager(), 0f, 1e-7f, 1e-4f, 4, true);
        sphinx.load();
        ours.load();
        TopGaussians[] codebooks = ours.codebooks();
        assertTrue(codebooks.length > 40, "the tied model's codebooks use TopGaussians: " + codebooks.length);

        short[] audio = TestAudio.concat(
                TestAudio.espeak().speak("yes, I would like to speak to an agent about my payment"),
                TestAudio.noise(300, -30, 7),
                TestAudio.tone(200, 440, 0),
                TestAudio.withNoise(TestAudio.espeak().speak("five stars"), 10, 3));
        List<FloatData> frames = features(dir, Resampler.resample(audio, 8000, 16000));
        assertTrue(frames.size() > 300, "frames: " + frames.size());

        Pool<Senone> expected = sphinx.getSenonePool();
        Pool<Senone> actual = ours.getSenonePool();
        assertEquals(expected.size(), actual.size());
        long compared = 0;
        long differ = 0;
        for (FloatData frame : frames) {
            for (int i = 0; i < expected.size(); i++) {
                if (expected.get(i).getScore(frame) != actual.get(i).getScore(frame)) {
                    differ++;
                }
                compared++;
            }
            for (TopGaussians codebook : codebooks) {
                codebook.updateTopScores(frame);
                for (int s = 0; s < 3; s++) {
                    assertBest(codebook, s, frame);
                }
            }
        }
        assertTrue(compared > 1_000_000, "compared " + compared);
        assertTrue(differ * 1000 < compared, differ + " of " + compared + " senone scores differ from Sphinx4's");
    }

    /** The chosen N are the N best of all the stream's Gaussians, ascending, each with Sphinx4's score. */
    private static void assertBest(TopGaussians codebook, int stream, FloatData frame) {
        TopGaussians.Gaussian[] all = codebook.gaussians(stream);
        int dims = all[0].getMean().length;
        float[] x = Arrays.copyOfRange(frame.getValues(), stream * dims, (stream + 1) * dims);
        float[] scores = new float[all.length];
        for (int g = 0; g < all.length; g++) {
            scores[g] = all[g].getScore(x);
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        int n = codebook.getTopGauNum();
        for (int j = 0; j < n; j++) {
            int id = codebook.getTopGauId(stream, j);
            String where = "stream " + stream + " rank " + j + " at sample " + frame.getFirstSampleNumber();
            assertEquals(scores[id], codebook.getTopGauScore(stream, j), 0f, where);
            assertEquals(sorted[sorted.length - n + j], scores[id], 0f, where);
        }
    }

    /** The server's front end (sphinx.config.xml) run over 16 kHz audio: one feature vector per 10 ms. */
    private static List<FloatData> features(Path dir, short[] pcm16k) throws Exception {
        Files.writeString(dir.resolve("probe.gram"), "#JSGF V1.0;\ngrammar probe;\npublic <probe> = yes | no;\n");
        Configuration c = new Configuration();
        c.setAcousticModelPath(MODEL);
        c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
        c.setSampleRate(16000);
        c.setGrammarPath(dir.toUri().toString());
        c.setGrammarName("probe");
        c.setUseGrammar(true);
        Context context = new Context("resource:/io/voicebot/speech/asr/sphinx.config.xml", c);
        byte[] bytes = new byte[pcm16k.length * 2];
        for (int i = 0; i < pcm16k.length; i++) {
            bytes[2 * i] = (byte) pcm16k[i];
            bytes[2 * i + 1] = (byte) (pcm16k[i] >> 8);
        }
        context.setSpeechSource(new ByteArrayInputStream(bytes));
        FrontEnd frontEnd = context.getInstance(FrontEnd.class);
        List<FloatData> frames = new ArrayList<>();
        for (Data d = frontEnd.getData(); d != null; d = frontEnd.getData()) {
            if (d instanceof FloatData f) {
                frames.add(f);
            } else if (d instanceof edu.cmu.sphinx.frontend.DataEndSignal) {
                break;
            }
        }
        return frames;
    }
}
