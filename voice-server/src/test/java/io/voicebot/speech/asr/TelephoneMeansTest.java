package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.util.LogMath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model's telephone means (PtmLoader's meanTransform, scripts/fit-telephone-means): telephone utterances are
 * scored with the model's means moved by the shipped map, wideband callers with the model's own, as the front end
 * tells each utterance's band; a broken map file fails the load with its name.
 */
class TelephoneMeansTest {
    private static final String SHIPPED = "resource:/io/voicebot/speech/asr/telephone.mllr";
    static SphinxRecognizer recognizer;
    static BenchAudio telephone;
    static BenchAudio wideband;

    @BeforeAll
    static void load() throws Exception {
        recognizer = new SphinxRecognizer(1, 8000);
        telephone = new BenchAudio(8000);
        wideband = new BenchAudio(16000);
    }

    @AfterAll
    static void close() throws Exception {
        recognizer.close();
        telephone.close();
        wideband.close();
    }

    private static PtmLoader model() {
        return recognizer.idleGrammarDecoders().get(0).context.getInstance(PtmLoader.class);
    }

    @Test
    void eachUtteranceIsScoredWithTheMeansOfItsBand() throws Exception {
        Vocabulary yesNo = new Vocabulary(List.of("yes", "no"), false);
        short[] line = TestAudio.padded(telephone.espeak("en-us", 150, 50).speak("yes"), 400);
        short[] hd = wideband.apply(wideband.espeak("en-us", 150, 50).speak("yes"), "clean", 1);

        assertEquals("yes", Probe.recognize(recognizer, yesNo, line, 8000).text());
        assertTrue(model().codebooks()[0].telephone(), "an 8 kHz caller is scored with the telephone means");

        assertEquals("yes", Probe.recognize(recognizer, yesNo, hd, 16000).text());
        assertFalse(model().codebooks()[0].telephone(), "a 16 kHz wideband caller with the model's own means");

        // telephone audio delivered at 16 kHz (slin16 from a G.711 call) is still telephone audio
        short[] lineAt16k = io.voicebot.speech.audio.Resampler.resample(line, 8000, 16000);
        assertEquals("yes", Probe.recognize(recognizer, yesNo, lineAt16k, 16000).text());
        assertTrue(model().codebooks()[0].telephone());
    }

    @Test
    void theTelephoneMeansAreTheModelsMeansMovedByTheShippedMap() {
        MllrMatrix map = MllrMatrix.read(SHIPPED, 3);
        assertEquals(39, map.dimensions());
        TopGaussians codebook = model().codebooks()[5];
        TopGaussians.Gaussian[] stream0 = codebook.gaussians(0);
        // a frame at Gaussian 7's moved mean: with the telephone means that Gaussian scores best, at its peak
        float[] moved = map.apply(0, stream0[7].mean());
        float[] frame = new float[39];
        System.arraycopy(moved, 0, frame, 0, 13);
        System.arraycopy(map.apply(1, codebook.gaussians(1)[0].mean()), 0, frame, 13, 13);
        System.arraycopy(map.apply(2, codebook.gaussians(2)[0].mean()), 0, frame, 26, 13);
        codebook.telephone(true);
        codebook.updateTopScores(new FloatData(frame, 16000, 1));
        int top = 4;
        assertEquals(7, codebook.getTopGauId(0, top - 1));
        float peak = LogMath.getLogMath().lnToLog(stream0[7].factor());
        assertEquals(peak, codebook.getTopGauScore(0, top - 1), 1e-3f * Math.abs(peak));

        codebook.telephone(false);
        codebook.updateTopScores(new FloatData(frame, 16000, 1));
        assertNotEquals(peak, codebook.getTopGauScore(0, top - 1), 1e-3f * Math.abs(peak),
                "the model's own means do not peak there");
    }

    @Test
    void aMapThatDoesNotFitTheModelIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path oneStream = dir.resolve("one-stream.mllr");
        Files.writeString(oneStream, "1\n1\n2\n1 0\n0 1\n0 0\n1 1\n");
        AsrException e = assertThrows(AsrException.class, () -> MllrMatrix.read(oneStream.toString(), 3));
        assertTrue(e.getMessage().contains(oneStream.toString()) && e.getMessage().contains("3 streams"),
                e.getMessage());

        Path cut = dir.resolve("cut.mllr");
        Files.writeString(cut, "1\n3\n13 13 13\n1.0 0.0\n");
        e = assertThrows(AsrException.class, () -> MllrMatrix.read(cut.toString(), 3));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());

        e = assertThrows(AsrException.class, () -> MllrMatrix.read(dir.resolve("none.mllr").toString(), 3));
        assertTrue(e.getMessage().contains("none.mllr"), e.getMessage());
    }
}
