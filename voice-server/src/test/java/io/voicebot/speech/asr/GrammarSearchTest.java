package io.voicebot.speech.asr;

import edu.cmu.sphinx.result.Result;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.audio.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** GrammarSearch's best-token table finds exactly what Sphinx4's own search finds: words, timing and score. */
class GrammarSearchTest {
    private static final String[][] UTTERANCES = {
            {"payment_response", "i want to dispute this"}, {"rating_1_5", "four stars"},
            {"hotline_intent", "my card was stolen"}, {"digits", "four one two"}};

    @Test
    void decodesAsSphinx4sOwnSearch(@TempDir Path dir) throws Exception {
        GrammarLibrary library = GrammarLibrary.load(Path.of("../grammars"));
        SphinxGrammars grammars = new SphinxGrammars();
        try {
            String first = grammars.nameFor(Vocabulary.of(library.get(UTTERANCES[0][0])));
            SphinxDecoder ours = DecoderCpuBenchmark.decoder(grammars, first, dir, true, false);
            SphinxDecoder sphinx = DecoderCpuBenchmark.decoder(grammars, first, dir, true, true);
            for (String[] u : UTTERANCES) {
                String grammar = grammars.nameFor(Vocabulary.of(library.get(u[0])));
                byte[] pcm = DecoderCpuBenchmark.bytes(Resampler.resample(
                        TestAudio.padded(TestAudio.espeak().speak(u[1]), 300), 8000, 16000));
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
