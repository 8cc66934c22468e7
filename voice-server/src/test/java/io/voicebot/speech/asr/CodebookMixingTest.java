package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.linguist.acoustic.UnitManager;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.GaussianWeights;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Pool;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Senone;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.tiedmixture.SetBasedGaussianMixture;
import edu.cmu.sphinx.result.Result;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.audio.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Senone mixing on codebook-local weight rows (CodebookWeights, PtmSenone, TopGaussians.mix) gives exactly
 * Sphinx4's senone scores, hence the same hypotheses and path scores as Sphinx4's mixing.
 */
class CodebookMixingTest {
    private static final String MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";

    @Test
    void weightsAndSenoneScoresAreSphinx4s(@TempDir Path dir) throws Exception {
        // Sphinx3Loader's defaults, as sphinx.config.xml leaves them.
        Sphinx3Loader sphinx = new Sphinx3Loader(MODEL, new UnitManager(), 0f, 1e-7f, 1e-4f, 4, true);
        PtmLoader ours = new PtmLoader(MODEL, new UnitManager(), 0f, 1e-7f, 1e-4f, 4, true);
        sphinx.load();
        ours.load();
        GaussianWeights want = sphinx.getMixtureWeights();
        GaussianWeights got = assertInstanceOf(CodebookWeights.class, ours.getMixtureWeights());
        assertEquals(want.getStatesNum(), got.getStatesNum());
        for (int i = 0; i < want.getStatesNum(); i++) {
            for (int s = 0; s < want.getStreamsNum(); s++) {
                for (int g = 0; g < want.getGauPerState(); g++) {
                    assertEquals(want.get(i, s, g), got.get(i, s, g), 0f, "senone " + i + " stream " + s);
                }
            }
        }

        short[] audio = TestAudio.concat(
                TestAudio.espeak().speak("no, I already paid my card last tuesday"),
                TestAudio.noise(300, -30, 11),
                TestAudio.withNoise(TestAudio.espeak().speak("four one two"), 10, 5));
        List<FloatData> frames = TopGaussiansTest.features(dir, Resampler.resample(audio, 8000, 16000));
        assertTrue(frames.size() > 250, "frames: " + frames.size());
        // Sphinx4's own senone on Sphinx4's weights, with our codebooks' selection (TopGaussiansTest checks that).
        TopGaussians[] codebooks = ours.codebooks();
        int[] codebookOf = ours.getSenone2Ci();
        Pool<Senone> senones = ours.getSenonePool();
        SetBasedGaussianMixture[] reference = new SetBasedGaussianMixture[senones.size()];
        for (int i = 0; i < reference.length; i++) {
            assertInstanceOf(PtmSenone.class, senones.get(i));
            reference[i] = new SetBasedGaussianMixture(want, codebooks[codebookOf[i]], i);
        }
        long compared = 0;
        for (FloatData frame : frames) {
            for (int i = 0; i < reference.length; i++) {
                float score = senones.get(i).getScore(frame);
                assertEquals(reference[i].calculateScore(frame), score, 0f,
                        "senone " + i + " at sample " + frame.getFirstSampleNumber());
                compared++;
            }
        }
        assertTrue(compared > 1_000_000, "compared " + compared);
    }

    @Test
    void decodesAsWithSphinx4sMixing(@TempDir Path dir) throws Exception {
        String[][] utterances = {{"yes_no", "no thank you"}, {"callback_time", "tomorrow morning"},
                {"hotline_intent", "i want to check my balance"}, {"date", "next tuesday"}};
        GrammarLibrary library = GrammarLibrary.load(Path.of("../grammars"));
        SphinxGrammars grammars = new SphinxGrammars(0, 1);
        try {
            String first = grammars.nameFor(Vocabulary.of(library.get(utterances[0][0])));
            SphinxDecoder ours = DecoderCpuBenchmark.decoder(grammars, first, dir, false, false, true);
            SphinxDecoder sphinx = DecoderCpuBenchmark.decoder(grammars, first, dir, false, false, false);
            for (String[] u : utterances) {
                String grammar = grammars.nameFor(Vocabulary.of(library.get(u[0])));
                byte[] pcm = DecoderCpuBenchmark.bytes(Resampler.resample(
                        TestAudio.withNoise(TestAudio.padded(TestAudio.espeak().speak(u[1]), 300), 15, 2),
                        8000, 16000));
                Result want = sphinx.decode(grammar, pcm, DecoderCpuBenchmark.NONE);
                Result got = ours.decode(grammar, pcm, DecoderCpuBenchmark.NONE);
                assertNotNull(want, u[1]);
                assertNotNull(got, u[1]);
                assertEquals(want.getBestResultNoFiller(), got.getBestResultNoFiller(), u[1]);
                assertEquals(want.getTimedBestResult(true).toString(), got.getTimedBestResult(true).toString(), u[1]);
                assertEquals(want.getBestFinalToken().getScore(), got.getBestFinalToken().getScore(), 0f, u[1]);
            }
            ours.deallocate();
            sphinx.deallocate();
        } finally {
            grammars.delete();
        }
    }
}
