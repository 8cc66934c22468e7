package io.voicebot.speech.asr;

import edu.cmu.sphinx.linguist.SearchStateArc;
import edu.cmu.sphinx.linguist.flat.FlatLinguist;
import edu.cmu.sphinx.linguist.flat.SentenceHMMState;
import edu.cmu.sphinx.result.Result;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.audio.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A compacted grammar graph keeps every state's successors and names, and decodes exactly as before. */
class CompactGraphTest {

    @Test
    void keepsEverySuccessorAndDecodesAsBefore(@TempDir Path dir) throws Exception {
        GrammarLibrary library = GrammarLibrary.load(Path.of("../grammars"));
        SphinxGrammars grammars = new SphinxGrammars();
        try {
            String grammar = grammars.nameFor(Vocabulary.of(library.get("payment_response")));
            // Sphinx4's own search: it does not compact, so the test compacts the graph itself.
            SphinxDecoder decoder = DecoderCpuBenchmark.decoder(grammars, grammar, dir, false, true);
            byte[] pcm = DecoderCpuBenchmark.bytes(Resampler.resample(
                    TestAudio.padded(TestAudio.espeak().speak("i want to dispute this"), 300), 8000, 16000));
            Result before = decoder.decode(grammar, pcm, DecoderCpuBenchmark.NONE);
            assertNotNull(before);

            FlatLinguist linguist = (FlatLinguist) decoder.cm.lookup("linguist-" + grammar);
            Set<SentenceHMMState> states = SentenceHMMState.collectStates(
                    (SentenceHMMState) linguist.getSearchGraph().getInitialState());
            Map<SentenceHMMState, SearchStateArc[]> successors = new IdentityHashMap<>();
            Map<SentenceHMMState, String> names = new IdentityHashMap<>();
            for (SentenceHMMState s : states) {
                successors.put(s, s.getSuccessors().clone());
                names.put(s, s.getSignature());
            }

            assertEquals(states.size(), CompactGraph.compact(linguist));
            for (SentenceHMMState s : states) {
                assertEquals(0, s.getNumSuccessors(), "the name-keyed arc map is gone: " + names.get(s));
                assertArrayEquals(successors.get(s), s.getSuccessors(), names.get(s));
                assertEquals(names.get(s), s.getSignature());
            }
            assertEquals(0, CompactGraph.compact(linguist), "the linguist's state set is dropped too");

            Result after = decoder.decode(grammar, pcm, DecoderCpuBenchmark.NONE);
            assertEquals(before.getTimedBestResult(true).toString(), after.getTimedBestResult(true).toString());
            assertEquals(before.getBestFinalToken().getScore(), after.getBestFinalToken().getScore(), 0f);
            decoder.deallocate();
        } finally {
            grammars.delete();
        }
    }
}
