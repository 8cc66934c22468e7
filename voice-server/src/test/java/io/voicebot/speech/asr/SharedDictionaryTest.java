package io.voicebot.speech.asr;

import edu.cmu.sphinx.linguist.dictionary.Pronunciation;
import edu.cmu.sphinx.linguist.dictionary.Word;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Grammar decoders read one copy of the CMU dictionary, and each still parses every word right. */
class SharedDictionaryTest {

    @Test
    void decodersShareTheRawEntriesAndEachParsesWordsItself() {
        SphinxRecognizer recognizer = new SphinxRecognizer(2, 8000);
        try {
            recognizer.prepare(new Vocabulary(List.of("speak to an agent", "check my balance"), false));
            List<SphinxDecoder> decoders = recognizer.idleGrammarDecoders();
            assertEquals(2, decoders.size());
            SharedDictionary first = (SharedDictionary) decoders.get(0).cm.lookup("dictionary");
            SharedDictionary second = (SharedDictionary) decoders.get(1).cm.lookup("dictionary");
            assertNotSame(first, second);
            assertSame(first.entries(), second.entries(), "one copy of the raw entries");

            // Both grammars above already parsed these words on both decoders; a word neither has parsed yet is
            // parsed by one and then by the other: Sphinx4's write-back after the first must not spoil the second.
            Word a = first.getWord("mortgage");
            Word b = second.getWord("mortgage");
            assertNotNull(a);
            assertNotNull(b);
            assertNotSame(a, b, "each decoder keeps its own parsed words");
            assertEquals(pronunciations(a), pronunciations(b));
            assertEquals("[M AO R G AH JH, M AO R G IH JH]", pronunciations(b));
        } finally {
            recognizer.close();
        }
    }

    private static String pronunciations(Word w) {
        return Arrays.stream(w.getPronunciations()).map(SharedDictionaryTest::phones).toList().toString();
    }

    private static String phones(Pronunciation p) {
        return String.join(" ", Arrays.stream(p.getUnits()).map(u -> u.getName()).toList());
    }
}
