package io.voicebot.dialog;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.voicebot.dialog.Fixtures.builtIn;
import static io.voicebot.dialog.Fixtures.loader;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prompts a synthesizer can render when a dialog loads: no contact variables, no spoken format hints. */
class FixedPromptsTest {

    @Test
    void dialogVariablesAreFilledAndContactPromptsLeftOut() {
        Set<String> fixed = builtIn("payment_reminder").fixedPrompts();
        assertTrue(fixed.contains("Hello. This is an automated assistant calling from Example Bank. This call is "
                + "recorded for quality and compliance purposes."), fixed.toString());
        assertTrue(fixed.stream().noneMatch(p -> p.contains("${")), fixed.toString());
        assertTrue(fixed.stream().noneMatch(p -> p.contains("Am I speaking with")), "needs the contact's name");
    }

    @Test
    void aPlainColonIsTextButAFormatHintIsNot() {
        Dialog d = loader().parse("colon.yaml", """
                name: colon_check
                vars: {bank: Example Bank}
                steps:
                  - id: note
                    say: "Please note: ${bank} never asks for your PIN."
                    next: amount
                  - id: amount
                    say: "You owe ${bank:money}."
                    next: bye
                  - id: bye
                    hangup: completed
                    say: "Goodbye."
                """);
        Set<String> fixed = d.fixedPrompts();
        assertTrue(fixed.contains("Please note: Example Bank never asks for your PIN."), fixed.toString());
        assertFalse(fixed.stream().anyMatch(p -> p.startsWith("You owe")), fixed.toString());
        assertTrue(fixed.contains("Goodbye."), fixed.toString());
    }
}
