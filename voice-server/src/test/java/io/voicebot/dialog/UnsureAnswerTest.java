package io.voicebot.dialog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * "Not sure" at a yes/no question answers nothing: the robot says so and asks again, and never takes it as the yes
 * its last word sounds like. Nor at a read-back or a "Just to be sure" question.
 */
class UnsureAnswerTest {
    private static final String UNSURE = Dialog.DEFAULT_MESSAGES.get("unsure");
    private DialogRun run;
    private List<Action> a;

    @BeforeEach
    void start() {
        run = run(builtIn("satisfaction_survey"));
        a = run.start(Map.of("name", "John Smith"));
        assertEquals("identity", listensAt(a));
    }

    private static Step.Ask step(String id) {
        return (Step.Ask) builtIn("satisfaction_survey").step(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not sure", "I'm not sure.", "i don't know", "maybe", "i don't remember",
            "well i'm not sure"})
    void isAskedAgainAndNotTaken(String said) {
        a = run.onInput(say(said, 0.99));
        assertEquals(List.of(UNSURE, step("identity").noMatch().get(0)), templates(a));
        assertEquals("identity", listensAt(a));
        assertEquals(DialogRun.State.LISTENING, run.state());
        assertTrue(run.answers().isEmpty(), "nothing recorded: " + run.answers());
        assertTrue(of(a, Action.RecordAnswer.class).isEmpty());
        Turn t = run.turns().get(run.turns().size() - 1);
        assertEquals("unsure", t.intent());
        assertEquals("not sure; asking again", t.note());

        a = run.onInput(say("yes"));
        assertEquals("yes", run.answers().get("identity_confirmed"), "the question goes on as before");
        assertEquals("resolved", listensAt(a));
    }

    @Test
    void sureIsStillAYesAtOnce() {
        a = run.onInput(say("sure", 0.99));
        assertEquals("yes", run.answers().get("identity_confirmed"), "'not sure' is no negation twin of 'sure'");
        assertEquals("resolved", listensAt(a));
    }

    @Test
    void unsureAgainAndAgainEndsAsAnUnansweredQuestion() {
        run.onInput(say("i don't know"));
        a = run.onInput(say("maybe"));
        assertEquals(List.of(UNSURE, step("identity").noMatch().get(0)), templates(a));
        a = run.onInput(say("not sure"));
        assertEquals(Outcome.FAILED, hangupOutcome(a), "three failures, as three no-matches");
        assertTrue(run.answers().isEmpty());
        assertTrue(of(a, Action.Decision.class).isEmpty(), "no wrong-person decision on doubt");
    }

    @Test
    void theStepsRepromptsEscalateAfterIt() {
        run.onInput(say("yes"));
        assertEquals("resolved", run.currentStep());
        a = run.onInput(say("not sure"));
        assertEquals(List.of(UNSURE, step("resolved").noMatch().get(0)), templates(a));
        a = run.onInput(say("i don't remember"));
        assertEquals(List.of(UNSURE, step("resolved").noMatch().get(1)), templates(a));
        a = run.onInput(keys("1"));
        assertEquals("yes", run.answers().get("resolved"));
    }

    @Test
    void aReadBackAnsweredNotSureIsNoYes() {
        a = run.onInput(say("yes", 0.2)); // below confirm_below: read back
        assertEquals(DialogRun.State.CONFIRMING, run.state());
        a = run.onInput(say("not sure"));
        assertEquals(List.of(UNSURE, step("identity").noMatch().get(0)), templates(a));
        assertEquals("identity", listensAt(a));
        assertTrue(run.answers().isEmpty());
    }

    @Test
    void justToBeSureAnsweredNotSureAsksOnceMoreThenGoesBack() {
        run.onInput(say("yes"));
        a = run.onInput(say("stop calling me", 0.99));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state());
        a = run.onInput(say("i don't know"));
        assertEquals(List.of(UNSURE, Dialog.DEFAULT_MESSAGES.get("confirm_opt_out")), templates(a));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state());
        a = run.onInput(say("maybe"));
        assertEquals(new Action.Decision("resolved", "opt_out", false, "not confirmed after 2 tries"),
                one(a, Action.Decision.class));
        assertTrue(of(a, Action.OptOut.class).isEmpty());
        assertNull(run.outcome());
        assertEquals("resolved", listensAt(a));
    }

    @Test
    void aStepMayRouteItAsAnAnswer() {
        Dialog d = loader().parse("unsure_routed.yaml", """
                name: unsure_routed
                steps:
                  - id: recommend
                    ask: "Would you recommend us?"
                    slot: yes_no
                    key: recommend
                    on: {"yes": thanks, "no": thanks, "unsure": why}
                  - id: why
                    ask: "What would make you sure?"
                    slot: free_text
                    key: why
                    next: thanks
                  - id: thanks
                    hangup: completed
                    say: "Thank you."
                """);
        DialogRun r = run(d);
        r.start(Map.of());
        a = r.onInput(say("maybe"));
        assertEquals("unsure", r.answers().get("recommend"));
        assertEquals("why", listensAt(a));
    }

    @Test
    void aStepRoutingOnlyYesAndNoNeedsNoNext() {
        Dialog d = loader().parse("yes_no_only.yaml", """
                name: yes_no_only
                steps:
                  - id: q
                    ask: "Is it you?"
                    slot: yes_no
                    on: {"yes": done, "no": done}
                  - id: done
                    hangup: completed
                """);
        assertNotNull(d);
        DialogException e = assertThrows(DialogException.class, () -> loader().parse("bad.yaml", """
                name: bad
                steps:
                  - id: q
                    ask: "Is it you?"
                    slot: yes_no
                    on: {"yes": done, "dunno": done}
                  - id: done
                    hangup: completed
                """));
        assertTrue(e.getMessage().contains("'dunno' is not an answer this step can give (possible: yes, no, unsure)"),
                e.getMessage());
    }
}
