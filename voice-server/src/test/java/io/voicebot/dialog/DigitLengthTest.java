package io.voicebot.dialog;

import io.voicebot.dialog.grammar.GrammarLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A digits step's min and max (lengths) reach the speech side: the listen and the prepared phrase list carry them,
 * so the endpointer knows when a sequence is complete (the recognizer's grammar does not use them).
 */
class DigitLengthTest {
    private static final String REF = """
            - id: ref
              ask: Say your reference, at least six digits.
              slot: digits
              min: 6
              key: ref
            """;
    private static final String FREE = """
            - id: free
              ask: Say any number of digits.
              slot: digits
              key: free
            """;

    @Test
    void theHotlineAccountNumberIsListenedForAsSixToTwelveDigits() {
        Dialog d = builtIn("hotline");
        DialogRun run = run(d);
        run.start(Map.of());
        Action.Listen l = one(run.onInput(say("balance", 0.99)), Action.Listen.class);
        assertEquals("account_number", l.stepId());
        assertTrue(l.repeat());
        assertEquals(List.of(6, 12), lengths(l));
        assertTrue(d.vocabularies().contains(new PhraseList(l.phrases(), true, l.secondary(), 6, 12)),
                "the recognizer prepares the grammar the step listens with");

        // the PIN is typed (secret): the recognizer gets no sequence and so no length
        run.onInput(keys("12345678#"));
        Action.Listen pin = run.lastListen();
        assertEquals("pin", pin.stepId());
        assertFalse(pin.repeat());
        assertEquals(List.of(0, 0), lengths(pin));
    }

    @Test
    void aMissingBoundIsZero() {
        Dialog d = DigitSteps.dialog("lengths", DigitSteps.FOUR_DIGIT_CODE, REF, FREE);
        DialogRun run = run(d);
        Action.Listen code = one(run.start(Map.of()), Action.Listen.class);
        assertEquals(List.of(4, 4), lengths(code));
        Action.Listen ref = one(run.onInput(say("four oh one two")), Action.Listen.class);
        assertEquals("4012", run.answers().get("code"));
        assertEquals(List.of(6, 0), lengths(ref));
        Action.Listen free = one(run.onInput(say("one two three four five six seven")), Action.Listen.class);
        assertEquals(List.of(0, 0), lengths(free));
    }

    @Test
    void aGrammarWithAPhraseForTwoDigitsGetsNoLength(@TempDir Path dir) throws Exception {
        try (var built = Files.list(home().resolve("grammars"))) {
            for (Path g : built.toList()) {
                Files.copy(g, dir.resolve(g.getFileName()));
            }
        }
        Files.writeString(dir.resolve("spoken_digits.yaml"), """
                name: spoken_digits
                repeat: true
                intents:
                  "5": ["five"]
                  "55": ["double five"]
                  "1": ["one"]
                """);
        Dialog d = new DialogLoader(GrammarLibrary.load(dir), knowledge()).parse("x.yaml", """
                name: x
                steps:
                  - id: code
                    ask: Say your code.
                    slot: digits
                    grammar: spoken_digits
                    min: 3
                    max: 3
                    key: code
                    next: bye
                  - id: bye
                    hangup: completed
                """);
        DialogRun run = run(d);
        Action.Listen l = one(run.start(Map.of()), Action.Listen.class);
        assertTrue(l.repeat());
        assertEquals(List.of(0, 0), lengths(l), "'double five' is one phrase, two digits");
        run.onInput(say("double five one", 0.99));
        assertEquals("551", run.answers().get("code"), "the longest phrase at each word: 'double five', then 'one'");
    }

    /** The min and max length a listen gives the endpointer. */
    private static List<Integer> lengths(Action.Listen l) {
        return List.of(l.earlyEnd().minLength(), l.earlyEnd().maxLength());
    }
}
