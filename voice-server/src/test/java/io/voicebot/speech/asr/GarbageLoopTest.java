package io.voicebot.speech.asr;

import io.voicebot.config.VoicebotConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The out-of-grammar word loop's grammar text and how a result through it is told from an answer. */
class GarbageLoopTest {
    private static final Set<String> DICT = Set.of("the", "to", "of", "and", "a", "in", "i", "it", "you", "yes",
            "no", "stop", "calling", "me", "agent", "one", "two");
    private static final Vocabulary YES_NO = new Vocabulary(List.of("yes", "no", "stop calling me", "agent"), false,
            List.of("stop calling me", "agent"));

    @Test
    void loopIsAThirdAlternativeWithoutTheStepsAndTheGlobalsWords() {
        GarbageLoop loop = new GarbageLoop(0.05, 1000, DICT);
        // list order (most frequent first), dictionary words only, none of the step's or the globals' words
        assertEquals(List.of("the", "to", "of", "and", "a", "in", "i", "it", "you", "one", "two"),
                loop.wordsFor(YES_NO));
        assertEquals("( /1/ ( yes | no ) | /" + SphinxGrammars.SECONDARY_PRIOR + "/ ( stop calling me | agent ) | "
                + "/0.05/ ( the | to | of | and | a | in | i | it | you | one | two )+ )",
                SphinxGrammars.jsgfBody(YES_NO, loop, null));
        Vocabulary rating = new Vocabulary(List.of("one", "two"), true);
        assertEquals("( /1/ ( one | two )+ | /0.05/ ( the | to | of | and | a | in | i | it | you | me | no "
                + "| stop | yes )+ )", SphinxGrammars.jsgfBody(rating, loop, null));
    }

    @Test
    void loopSizeIsTheFirstWordsOfTheList() {
        assertEquals(List.of("the", "to", "of"), new GarbageLoop(0.1, 3, DICT).wordsFor(YES_NO));
    }

    @Test
    void resultThroughTheLoopIsRecognizedByItsWords() {
        GarbageLoop loop = new GarbageLoop(0.1, 1000, DICT);
        assertTrue(loop.heard(YES_NO, List.of("the", "it", "you")));
        assertTrue(loop.heard(YES_NO, List.of("two")), "a rating word is garbage at a yes/no step");
        assertFalse(loop.heard(YES_NO, List.of("yes")));
        assertFalse(loop.heard(YES_NO, List.of("stop", "calling", "me")));
        assertFalse(new GarbageLoop(0, 1000, DICT).heard(YES_NO, List.of("the")), "prior 0: no loop");
    }

    @Test
    void offByDefaultAndWithoutAPrior() {
        GarbageLoop off = new GarbageLoop(0, 40, DICT);
        assertFalse(off.enabled());
        assertEquals("( /1/ ( yes | no ) | /" + SphinxGrammars.SECONDARY_PRIOR + "/ ( stop calling me | agent ) )",
                SphinxGrammars.jsgfBody(YES_NO, off, null));
        VoicebotConfig.Speech shipped = VoicebotConfig.defaults(Path.of(".."), Map.of()).speech();
        assertEquals(0.0, shipped.sphinxGarbagePrior(), "the shipped default leaves the loop off");
        assertEquals(40, shipped.sphinxGarbageWords());
    }

    @Test
    void badSettingsNameTheKey() {
        AsrException prior = assertThrows(AsrException.class, () -> new GarbageLoop(1.5, 40, DICT));
        assertTrue(prior.getMessage().contains("speech.sphinx.garbage.prior"), prior.getMessage());
        AsrException words = assertThrows(AsrException.class, () -> new GarbageLoop(0.1, 0, DICT));
        assertTrue(words.getMessage().contains("speech.sphinx.garbage.words"), words.getMessage());
    }

    @Test
    void jsgfWeightsArePlainDecimals() {
        assertEquals("0.0001", GarbageLoop.jsgfWeight(1e-4));
        assertEquals("1", GarbageLoop.jsgfWeight(1.0));
    }
}
