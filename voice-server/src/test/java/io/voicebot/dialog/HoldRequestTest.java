package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * "Hang on", "one moment", "wait": the caller needs a moment. The robot says it will wait and listens longer for
 * the same answer; it takes none of them as an answer ("wait" as "eight") or as "call me later".
 */
class HoldRequestTest {
    private static final String HOLD = "Sure, I will wait. Take your time.";

    @ParameterizedTest
    @ValueSource(strings = {"hang on", "Hold on a second.", "one moment", "just a second", "wait", "let me check"})
    void theRobotWaitsLongerForTheSameAnswer(String said) {
        DialogRun run = run(builtIn("satisfaction_survey"));
        List<Action> a = run.start(Map.of("name", "John Smith"));
        Duration usual = one(a, Action.Listen.class).noInputTimeout();
        a = run.onInput(say(said, 0.99));
        assertEquals(List.of(HOLD), templates(a), said);
        Action.Listen l = one(a, Action.Listen.class);
        assertEquals("identity", l.stepId());
        assertEquals(Asking.HOLD_WAIT, l.noInputTimeout());
        assertTrue(Asking.HOLD_WAIT.compareTo(usual) > 0);
        Turn t = run.turns().get(run.turns().size() - 1);
        assertEquals("hold", t.intent());
        assertNull(run.outcome());
        assertTrue(run.answers().isEmpty(), "nothing recorded: " + run.answers());

        run.onInput(say("yes"));
        assertEquals("yes", run.answers().get("identity_confirmed"));
    }

    @Test
    void silenceAfterTheWaitAsksTheQuestionAgainWithoutCountingAFailure() {
        DialogRun run = run(builtIn("satisfaction_survey"));
        List<Action> a = run.start(Map.of("name", "John Smith"));
        String identity = templates(a).get(0);
        for (int i = 0; i < Asking.FREE_HOLDS; i++) { // max_failures is 3: none of these counts
            run.onInput(say("hang on"));
            a = run.onInput(new Input.NoInput());
            assertEquals(List.of(identity), templates(a), "the question again, no 'did not hear you'");
            assertEquals(Duration.ofMillis(5000), one(a, Action.Listen.class).noInputTimeout(), "the usual wait");
        }
        assertNull(run.outcome());
        a = run.onInput(new Input.NoInput());
        assertEquals("Sorry, I did not hear you. Am I speaking with ${name}? Please say yes or no.",
                templates(a).get(0), "silence without a hold is a no-input as before");
    }

    @Test
    void holdingOverAndOverEndsLikeAnUnansweredQuestion() {
        DialogRun run = run(builtIn("satisfaction_survey"));
        run.start(Map.of("name", "John Smith"));
        List<Action> a = List.of();
        for (int i = 0; i < Asking.FREE_HOLDS; i++) {
            a = run.onInput(say("one moment"));
            assertEquals(List.of(HOLD), templates(a));
        }
        for (int i = 1; i < 3; i++) { // beyond the free ones each hold is a failure; max_failures is 3
            a = run.onInput(say("one moment"));
            assertEquals(List.of(HOLD), templates(a), "still waits, failure " + i);
        }
        a = run.onInput(say("one moment"));
        assertEquals(Outcome.FAILED, hangupOutcome(a));
    }

    @Test
    void atADigitStepWaitIsNoEightAndOneSecondNoOne() {
        Dialog d = DigitSteps.dialog("pick", """
                - id: pick
                  ask: Press or say the last digit of your card.
                  slot: digits
                  max: 1
                  key: last_digit
                """, DigitSteps.FOUR_DIGIT_CODE);
        DialogRun run = run(d);
        List<Action> a = run.start(Map.of());
        assertTrue(one(a, Action.Listen.class).secondary().containsAll(List.of("wait", "one second")),
                "the hold phrases are the recognizer's global (secondary) phrases");
        for (String said : List.of("wait", "one second")) {
            a = run.onInput(say(said, 0.99));
            assertEquals(List.of(HOLD), templates(a), said);
        }
        assertTrue(run.answers().isEmpty());
        run.onInput(say("eight"));
        assertEquals("8", run.answers().get("last_digit"));
    }

    @Test
    void aHoldDuringAReadBackWaitsForTheYes() {
        DialogRun run = run(builtIn("satisfaction_survey"));
        run.start(Map.of("name", "John Smith"));
        run.onInput(say("yes"));
        run.onInput(say("yes"));
        List<Action> a = run.onInput(say("four", 0.3)); // under the rating's confirm_below: read back
        assertEquals(DialogRun.State.CONFIRMING, run.state(), templates(a).toString());
        a = run.onInput(say("hang on"));
        assertEquals(List.of(HOLD), templates(a));
        assertEquals(Asking.HOLD_WAIT, one(a, Action.Listen.class).noInputTimeout());
        assertEquals(DialogRun.State.CONFIRMING, run.state());
        run.onInput(say("yes"));
        assertEquals("4", run.answers().get("rating"));
    }

    @Test
    void insideLongerWordsOrTurnedOffItIsNoHold() {
        Grammar hold = grammars().get("hold_request");
        assertEquals("hold", hold.intentOf("hang on please").orElseThrow(), "a phrase not alone counts inside");
        assertTrue(hold.intentOf("let me check my balance").isEmpty());
        assertTrue(hold.intentOf("wait for the agent").isEmpty());

        DialogRun hotline = run(builtIn("hotline"));
        hotline.start(Map.of());
        hotline.onInput(say("let me check my balance"));
        assertNotEquals("hold", hotline.turns().get(hotline.turns().size() - 1).intent());

        Dialog d = loader().parse("no_hold.yaml", """
                name: no_hold
                steps:
                  - id: q
                    ask: "Was your issue resolved?"
                    slot: yes_no
                    key: resolved
                    globals: [repeat]
                    next: done
                  - id: done
                    hangup: completed
                """);
        DialogRun run = run(d);
        run.start(Map.of());
        List<Action> a = run.onInput(say("hang on"));
        assertFalse(templates(a).contains(HOLD), "globals turned off: " + templates(a));
        assertFalse(one(a, Action.Listen.class).phrases().contains("hang on"));
    }
}
