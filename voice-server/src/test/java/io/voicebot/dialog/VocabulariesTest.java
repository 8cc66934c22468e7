package io.voicebot.dialog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.voicebot.dialog.Fixtures.builtIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phrase lists a recognizer gets ready for are exactly the ones the dialog's listens use. */
class VocabulariesTest {

    @Test
    void aDigitStepListensForASequenceAndItsReadBackForOneAnswer() {
        Dialog d = builtIn("hotline");
        Set<PhraseList> lists = d.vocabularies();
        List<String> digits = d.phrases().listen("account_number");
        List<String> global = d.phrases().globals("account_number");
        assertTrue(global.contains("agent") && !global.contains("four"), global.toString());
        assertTrue(lists.contains(new PhraseList(digits, true, global, 6, 12)), lists.toString());
        assertFalse(lists.contains(new PhraseList(digits, false, global)), "digits are a sequence");
        assertFalse(lists.contains(new PhraseList(digits, true, global)), "of 6 to 12 digits");
        List<String> confirm = d.phrases().confirm("account_number");
        assertTrue(lists.contains(new PhraseList(confirm, false, d.phrases().confirmGlobals("account_number"))));
        assertFalse(d.phrases().confirmGlobals("account_number").contains("yes"));
        assertFalse(d.phrases().globals("main").contains("agent"), "an answer of the step is not a global there");
    }

    @Test
    void everyListenOfARunIsAmongThePreparedLists() {
        Dialog d = builtIn("payment_reminder");
        DialogRun run = Fixtures.run(d);
        Set<PhraseList> lists = d.vocabularies();
        List<Action> actions = run.start(java.util.Map.of("name", "Ann Lee", "amount", "120.50",
                "due_date", "2026-03-10"));
        // Past the disclosure, a doubtful "yes" (read back), confirmed, then "call me later" (asks for a time).
        List<Input> inputs = List.of(new Input.PlaybackFinished("disclosure", true), new Input.Speech("yes", 0.2),
                new Input.Speech("yes", 0.9), new Input.Speech("call me later", 0.9));
        List<String> listenedAt = new java.util.ArrayList<>();
        for (int i = 0; ; i++) {
            for (Action a : actions) {
                if (a instanceof Action.Listen l) {
                    listenedAt.add(l.stepId());
                    assertTrue(lists.contains(new PhraseList(l.phrases(), l.repeat(), l.secondary(),
                            l.earlyEnd().minLength(), l.earlyEnd().maxLength())),
                            "not prepared: " + l);
                }
            }
            if (i == inputs.size()) {
                break;
            }
            actions = run.onInput(inputs.get(i));
        }
        assertEquals("callback_time", listenedAt.get(listenedAt.size() - 1), listenedAt.toString());
        assertTrue(listenedAt.size() >= 4, listenedAt.toString());
    }
}
