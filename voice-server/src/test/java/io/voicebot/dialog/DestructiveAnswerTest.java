package io.voicebot.dialog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.builtIn;
import static io.voicebot.dialog.Fixtures.keys;
import static io.voicebot.dialog.Fixtures.reminderAtPayment;
import static io.voicebot.dialog.Fixtures.run;
import static io.voicebot.dialog.Fixtures.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step's own answer that ends the call as wrong person or hands it to a person is confirmed when it was spoken
 * and not a long clear phrase: "hello" misheard as "no" at "Am I speaking with John Smith?" must not hang up.
 */
class DestructiveAnswerTest {
    private static final String CONFIRM = "I heard ${heard}. Is that right?";
    private DialogRun run;

    @BeforeEach
    void identityQuestion() {
        run = run(builtIn("satisfaction_survey"));
        run.start(Map.of("name", "John Smith"));
    }

    @Test
    void aShortSpokenNoAtTheIdentityQuestionIsConfirmedBeforeEndingAsWrongPerson() {
        List<Action> a = run.onInput(say("no", 0.99));
        assertEquals(List.of(CONFIRM), Fixtures.templates(a));
        assertEquals("no", run.vars().get("heard"));
        assertTrue(decisions(a).isEmpty(), "nothing decided yet: " + a);
        a = run.onInput(say("yes"));
        assertEquals(Outcome.WRONG_PERSON, Fixtures.hangupOutcome(a));
        assertEquals(List.of(new Action.Decision("identity", "wrong_person", true, "answer 'no' confirmed by voice")),
                decisions(a));
    }

    @Test
    void aDeniedConfirmationAsksTheQuestionAgainAndStoresWhy() {
        run.onInput(say("no", 0.99));
        List<Action> a = run.onInput(say("no"));
        assertEquals(List.of(new Action.Decision("identity", "wrong_person", false, "answer 'no' not confirmed")),
                decisions(a));
        assertEquals("identity", Fixtures.listensAt(a));
        assertNull(run.outcome());
    }

    @Test
    void aKeyPressActsAtOnce() {
        List<Action> a = run.onInput(keys("2"));
        assertEquals(Outcome.WRONG_PERSON, Fixtures.hangupOutcome(a));
        assertEquals(List.of(new Action.Decision("identity", "wrong_person", true, "answer 'no' keypad")),
                decisions(a));
    }

    @Test
    void aLongClearPhraseActsAtOnceWithItsReason() {
        DialogRun r = reminderAtPayment(Map.of("name", "John Smith", "amount", "120.50", "due_date", "2026-03-01"));
        List<Action> a = r.onInput(say("I don't owe you anything", 0.97));
        assertEquals(new Action.Transfer("dispute", "collections", "dispute"), a.get(a.size() - 1));
        assertEquals(List.of(new Action.Decision("reminder", "transfer", true,
                "answer 'dispute' long clear phrase 5 words 0.97")), decisions(a));
    }

    @Test
    void aShortSpokenAnswerThatTransfersIsConfirmed() {
        DialogRun r = reminderAtPayment(Map.of("name", "John Smith", "amount", "120.50", "due_date", "2026-03-01"));
        List<Action> a = r.onInput(say("i don't owe", 0.99));
        assertEquals(List.of(CONFIRM), Fixtures.templates(a));
        a = r.onInput(say("yes"));
        assertEquals(new Action.Transfer("dispute", "collections", "dispute"), a.get(a.size() - 1));
    }

    @Test
    void anAnswerThatGoesOnIsNotConfirmed() {
        List<Action> a = run.onInput(say("yes"));
        assertTrue(Fixtures.templates(a).stream().noneMatch(CONFIRM::equals), a.toString());
        assertTrue(decisions(a).isEmpty());
    }

    private static List<Action.Decision> decisions(List<Action> a) {
        return a.stream().filter(Action.Decision.class::isInstance).map(Action.Decision.class::cast).toList();
    }
}
