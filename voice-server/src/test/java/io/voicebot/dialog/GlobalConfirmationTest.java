package io.voicebot.dialog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Opt-out, wrong person and agent requests are confirmed before the robot acts, unless clear or by keypad. */
class GlobalConfirmationTest {
    private DialogRun run;
    private List<Action> a;

    @BeforeEach
    void start() {
        run = run(builtIn("satisfaction_survey"));
        run.start(Map.of("name", "John Smith"));
        run.onInput(say("yes"));
        a = run.onInput(say("yes")); // now at the rating step
        assertEquals("rating", listensAt(a));
    }

    private String ratingPrompt() {
        return ((Step.Ask) builtIn("satisfaction_survey").step("rating")).prompt();
    }

    @ParameterizedTest
    @CsvSource({"stop calling me, opt_out, OPTED_OUT", "wrong number, wrong_person, WRONG_PERSON",
            "a human, agent, TRANSFERRED"})
    void yesActsAndStoresTheReason(String phrase, String intent, Outcome outcome) {
        a = run.onInput(say(phrase, 0.99));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_" + intent)), templates(a));
        Action.Listen l = one(a, Action.Listen.class);
        assertEquals("yes_no", l.grammar());
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state());
        assertNull(run.outcome());

        a = run.onInput(say("yes"));
        assertEquals(new Action.Decision("rating", intent, true, "confirmed by voice"), one(a, Action.Decision.class));
        assertEquals(outcome, run.outcome());
        if (outcome == Outcome.OPTED_OUT) {
            assertEquals(new Action.OptOut("rating", "caller said: stop calling me (confirmed by voice)"), a.get(0),
                    "the opt-out is recorded first");
        }
    }

    @ParameterizedTest
    @CsvSource({"remove my number, opt_out", "wrong person, wrong_person", "a human, agent"})
    void noGoesBackToTheInterruptedStep(String phrase, String intent) {
        run.onInput(say(phrase, 0.99));
        a = run.onInput(say("no"));
        assertEquals(new Action.Decision("rating", intent, false, "caller said no"), one(a, Action.Decision.class));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_global_no"), ratingPrompt()), templates(a));
        assertEquals("rating", listensAt(a));
        assertEquals(DialogRun.State.LISTENING, run.state());
        assertTrue(of(a, Action.OptOut.class).isEmpty());
        a = run.onInput(say("four"));
        assertEquals("4", run.answers().get("rating"), "the step goes on as if nothing happened");
        assertEquals("recommend", listensAt(a));
    }

    @Test
    void keyTwoIsNoAndNoMatchAsksAgainThenGivesUp() {
        run.onInput(say("stop calling me", 0.99));
        a = run.onInput(new Input.Speech("", 0.3)); // rejected by the recognizer
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("no_match"), Dialog.DEFAULT_MESSAGES.get("confirm_opt_out")),
                templates(a));
        a = run.onInput(new Input.NoInput());
        assertEquals(new Action.Decision("rating", "opt_out", false, "not confirmed after 2 tries"),
                one(a, Action.Decision.class));
        assertEquals("rating", listensAt(a));
        assertNull(run.outcome(), "never acts on a doubtful confirmation");

        run.onInput(say("stop calling me", 0.99));
        a = run.onInput(keys("2"));
        assertEquals(new Action.Decision("rating", "opt_out", false, "caller pressed no"),
                one(a, Action.Decision.class));
    }

    @Test
    void sayingItAgainConfirms() {
        run.onInput(say("stop calling me", 0.8));
        a = run.onInput(say("stop calling me"));
        assertEquals(Outcome.OPTED_OUT, run.outcome());
        assertEquals("confirmed by voice", one(a, Action.Decision.class).reason());
    }

    @Test
    void keypadActsWithoutConfirmation() {
        a = run.onInput(keys("0"));
        assertEquals(new Action.Decision("rating", "agent", true, "keypad"), one(a, Action.Decision.class));
        assertEquals(Outcome.TRANSFERRED, run.outcome());
    }

    @Test
    void longClearPhraseActsWithoutConfirmation() {
        a = run.onInput(say("please take me off your list", 0.97));
        assertEquals(Outcome.OPTED_OUT, run.outcome());
        assertEquals(new Action.Decision("rating", "opt_out", true, "long clear phrase 6 words 0.97"),
                one(a, Action.Decision.class));
        assertEquals("caller said: please take me off your list (long clear phrase 6 words 0.97)",
                one(a, Action.OptOut.class).reason());
    }

    @Test
    void longButUnclearOrShortButClearIsConfirmed() {
        run.onInput(say("please take me off your list", 0.9));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state(), "long, confidence under 0.95");
        run.onInput(say("no"));
        run.onInput(say("remove my number", 1.0));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state(), "clear, but three words");
    }

    @Test
    void globalDuringAReadBackGoesBackToTheReadBack() {
        a = run.onInput(say("two", 0.3));
        assertEquals(DialogRun.State.CONFIRMING, run.state());
        String readBack = templates(a).get(0);
        run.onInput(say("wrong person"));
        a = run.onInput(say("no"));
        assertEquals(DialogRun.State.CONFIRMING, run.state());
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_global_no"), readBack), templates(a));
        a = run.onInput(say("yes"));
        assertEquals("2", run.answers().get("rating"));
    }

    @Test
    void rejectedSpeechIsANoMatchReprompt() {
        Step.Ask rating = (Step.Ask) builtIn("satisfaction_survey").step("rating");
        assertNotEquals(rating.noMatch(), rating.noInput());
        a = run.onInput(new Input.Speech("", 0.2));
        assertEquals(List.of(rating.noMatch().get(0)), templates(a));
        assertEquals("rating", listensAt(a));
        assertEquals(Turn.Mode.SPEECH, run.turns().get(run.turns().size() - 1).mode());
        a = run.onInput(new Input.NoInput());
        assertEquals(List.of(rating.noInput().get(1)), templates(a), "only silence is a no-input");
    }

    @Test
    void perDialogPolicyOverridesTheDefault() {
        Dialog d = loader().parse("policy.yaml", """
                name: policy
                confirm_globals:
                  opt_out: {confirm: always}
                  agent: {confirm: never}
                  wrong_person: {min_words: 2, min_confidence: 0.8}
                steps:
                  - id: q
                    ask: Did it work?
                    grammar: yes_no
                    next: bye
                  - id: bye
                    hangup: completed
                """);
        assertEquals(new GlobalPolicy(GlobalPolicy.Mode.ALWAYS, 4, 0.95), d.globalPolicies().get(GlobalIntent.OPT_OUT));

        DialogRun r = run(d);
        r.start(Map.of());
        r.onInput(say("please take me off your list", 1.0));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, r.state(), "always: even a long clear phrase");

        r = run(d);
        r.start(Map.of());
        a = r.onInput(say("agent", 0.4));
        assertEquals("confirmation off", one(a, Action.Decision.class).reason());
        assertEquals(Outcome.TRANSFERRED, r.outcome());

        r = run(d);
        r.start(Map.of());
        a = r.onInput(say("wrong number", 0.85));
        assertEquals("long clear phrase 2 words 0.85", one(a, Action.Decision.class).reason());

        Dialog back = loader().parse("again.yaml", ScriptWriter.toYaml(d));
        assertEquals(d.globalPolicies(), back.globalPolicies(), "written back and read again");
    }

    @Test
    void badPolicyIsReportedWithItsField() {
        DialogException e = assertThrows(DialogException.class, () -> loader().parse("bad.yaml", """
                name: bad
                confirm_globals:
                  repeat: {confirm: always}
                  opt_out: {confirm: sometimes, min_words: 0, colour: red}
                steps:
                  - id: bye
                    hangup: completed
                """));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("bad.yaml: confirm_globals.repeat: not a destructive global intent"), all);
        assertTrue(all.contains("confirm_globals.opt_out.confirm: must be always, unless_clear or never, got 'sometimes'"),
                all);
        assertTrue(all.contains("confirm_globals.opt_out.min_words: must be a whole number from 1 to 20"), all);
        assertTrue(all.contains("confirm_globals.opt_out.colour: unknown field"), all);
    }
}
