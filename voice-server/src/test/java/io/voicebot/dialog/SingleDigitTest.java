package io.voicebot.dialog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** A step that expects one digit listens for one digit ("oh" is zero only inside a sequence) and takes no sequence. */
class SingleDigitTest {
    private static final String PICK = """
            - id: pick
              ask: Press or say the last digit of your card.
              slot: digits
              max: 1
              key: last_digit
            """;

    @Test
    void oneDigitStepListensForOneDigitAndRefusesASequence() {
        Dialog d = DigitSteps.dialog("one_digit", PICK, DigitSteps.FOUR_DIGIT_CODE);
        DialogRun run = run(d);
        List<Action> a = run.start(Map.of());
        Action.Listen l = one(a, Action.Listen.class);
        assertFalse(l.repeat(), "one digit: not a sequence");
        assertTrue(l.phrases().contains("zero") && l.phrases().contains("seven"), l.phrases().toString());
        assertFalse(l.phrases().contains("oh"));
        assertEquals(1, l.maxDigits());
        assertTrue(d.vocabularies().contains(new PhraseList(l.phrases(), false, l.secondary())));

        a = run.onInput(say("oh one"));
        assertEquals("pick", listensAt(a), "a sequence is no answer to a one-digit question");
        assertTrue(run.answers().isEmpty());
        a = run.onInput(say("four"));
        assertEquals("4", run.answers().get("last_digit"));

        Action.Listen code = one(a, Action.Listen.class);
        assertTrue(code.repeat(), "four digits: a sequence");
        assertTrue(code.phrases().contains("oh"));
        run.onInput(say("four oh one two"));
        assertEquals("4012", run.answers().get("code"));
    }
}
