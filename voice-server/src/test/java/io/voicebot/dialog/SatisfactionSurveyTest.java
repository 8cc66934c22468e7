package io.voicebot.dialog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class SatisfactionSurveyTest {
    private DialogRun run;
    private List<Action> a;

    @BeforeEach
    void start() {
        run = run(builtIn("satisfaction_survey"));
        a = run.start(Map.of("name", "John Smith"));
    }

    @Test
    void happyPathBySpeech() {
        Action.Say greet = one(a, Action.Say.class);
        assertTrue(greet.template().contains("Am I speaking with ${name}?"));
        assertEquals("John Smith", greet.vars().get("name"), "the TTS side gets the contact fields");
        assertEquals(Action.Listen.class, a.get(1).getClass());
        Action.Listen l = (Action.Listen) a.get(1);
        assertEquals(SlotType.YES_NO, l.slot());
        assertTrue(l.dtmfAllowed());
        assertTrue(l.phrases().contains("yes") && l.phrases().contains("stop calling me"),
                "listen phrases bias to the answers and the global intents: " + l.phrases());

        assertEquals("resolved", listensAt(run.onInput(say("yes"))));
        a = run.onInput(say("yes it was"));
        assertEquals("rating", listensAt(a));
        assertEquals(new Action.RecordAnswer("resolved", "resolved", "yes", 0.9, false),
                one(a, Action.RecordAnswer.class));
        assertEquals("recommend", listensAt(run.onInput(say("four stars"))));
        a = run.onInput(say("yeah"));
        assertEquals(Outcome.COMPLETED, hangupOutcome(a));
        assertTrue(templates(a).get(0).startsWith("Thank you for your answers"));
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "yes"),
                run.answers());
        assertEquals(DialogRun.State.ENDED, run.state());
        assertEquals(Outcome.COMPLETED, run.outcome());
        assertEquals(4, run.turns().size());
        Turn t = run.turns().get(2);
        assertEquals("rating", t.stepId());
        assertEquals("four stars", t.transcript());
        assertEquals("4", t.intent());
        assertEquals(Turn.Mode.SPEECH, t.mode());
        assertTrue(t.prompt().startsWith("On a scale of one to five"));
        assertEquals(NOW.toInstant(), t.at());
    }

    @Test
    void answersByKeypad() {
        run.onInput(keys("1"));
        run.onInput(keys("2"));
        run.onInput(keys("5"));
        a = run.onInput(keys("2"));
        assertEquals(Outcome.COMPLETED, hangupOutcome(a));
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "no", "rating", "5", "recommend", "no"),
                run.answers());
        assertEquals(Turn.Mode.DTMF, run.turns().get(2).mode());
    }

    @Test
    void noInputEscalatesThenGivesUpWithPartialAnswers() {
        run.onInput(say("yes"));
        a = run.onInput(new Input.NoInput());
        assertEquals(List.of("Sorry, I did not hear you. Was your issue resolved?"), templates(a));
        assertEquals("resolved", listensAt(a));
        a = run.onInput(new Input.NoInput());
        assertEquals(List.of("You can also press one for yes or two for no. Was your issue resolved?"), templates(a));
        a = run.onInput(new Input.NoInput());
        assertEquals(Outcome.PARTIAL, hangupOutcome(a));
        assertEquals(Dialog.DEFAULT_MESSAGES.get("give_up"), templates(a).get(0));
        assertEquals(Map.of("identity_confirmed", "yes"), run.answers());
    }

    @Test
    void silenceFromTheStartEndsAsNoInput() {
        run.onInput(new Input.NoInput());
        a = run.onInput(new Input.Speech("  ", 0.2));
        assertEquals(((Step.Ask) builtIn("satisfaction_survey").step("identity")).noMatch().get(0), templates(a).get(0),
                "speech the recognizer rejected gets the no-match reprompt, not the no-input one");
        assertEquals(Outcome.NO_INPUT, hangupOutcome(run.onInput(new Input.NoInput())));
    }

    @Test
    void noMatchAndOutOfRangeReprompt() {
        run.onInput(say("yes"));
        run.onInput(say("no"));
        a = run.onInput(say("purple elephants"));
        assertEquals(List.of("Please say a number from one to five, where five is the best."), templates(a));
        a = run.onInput(keys("7"));
        assertEquals(List.of("Please press a key from one to five on your phone."), templates(a));
        assertEquals("rating", listensAt(a));
        a = run.onInput(say("three"));
        assertEquals("recommend", listensAt(a));
        assertEquals("3", run.answers().get("rating"));
        assertEquals("no match", run.turns().get(2).note());
    }

    @Test
    void lowConfidenceAnswerIsReadBackAndConfirmed() {
        run.onInput(say("yes"));
        run.onInput(say("yes"));
        a = run.onInput(say("four", 0.4));
        Action.Say confirm = one(a, Action.Say.class);
        assertEquals("I heard ${heard}. Is that right?", confirm.template());
        assertEquals("4", confirm.vars().get("heard"));
        assertEquals(SlotType.YES_NO, ((Action.Listen) a.get(1)).slot());
        assertEquals(DialogRun.State.CONFIRMING, run.state());
        a = run.onInput(say("no"));
        assertEquals("rating", listensAt(a));
        assertEquals(0, of(a, Action.RecordAnswer.class).size());
        a = run.onInput(say("five", 0.45));
        assertEquals(DialogRun.State.CONFIRMING, run.state());
        a = run.onInput(keys("1"));
        assertEquals(new Action.RecordAnswer("rating", "rating", "5", 0.45, true), one(a, Action.RecordAnswer.class));
        assertEquals("recommend", listensAt(a));
    }

    @Test
    void agentRequestMidDialogTransfers() {
        run.onInput(say("yes"));
        a = run.onInput(say("can I speak to an agent please"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_agent")), templates(a), "confirmed first");
        a = run.onInput(say("yes"));
        assertEquals(new Action.Decision("resolved", "agent", true, "confirmed by voice"),
                one(a, Action.Decision.class));
        assertEquals(new Action.Transfer("resolved", "", "caller asked for an agent"), a.get(a.size() - 1));
        assertEquals(Outcome.TRANSFERRED, run.outcome());
        assertEquals("agent", run.turns().get(1).intent());
        assertEquals(List.of(), run.onInput(say("hello?")), "input after the end is ignored");
    }

    @Test
    void keyZeroAsksForAnAgent() {
        a = run.onInput(keys("0"));
        assertEquals(Action.Transfer.class, a.get(a.size() - 1).getClass());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void optOutAtAnyStepIsRecordedFirst(int answered) {
        List<Input> answers = List.of(say("yes"), say("yes"), say("four"));
        for (int i = 0; i < answered; i++) {
            run.onInput(answers.get(i));
        }
        a = run.onInput(say("no, please stop calling me"));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state());
        assertEquals(List.of(), of(a, Action.OptOut.class), "nothing recorded before the caller confirms");
        a = run.onInput(say("yes"));
        Action.OptOut opt = (Action.OptOut) a.get(0);
        assertTrue(opt.reason().contains("stop calling me"));
        assertEquals(Outcome.OPTED_OUT, hangupOutcome(a));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("opt_out")), templates(a));
    }

    @Test
    void optOutWhileConfirming() {
        run.onInput(say("yes"));
        run.onInput(say("yes"));
        run.onInput(say("two", 0.3));
        a = run.onInput(say("take me off your list"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_opt_out")), templates(a));
        a = run.onInput(say("yes"));
        assertEquals(Action.OptOut.class, a.get(0).getClass());
        assertEquals(Outcome.OPTED_OUT, run.outcome());
    }

    @Test
    void wrongPersonByAnswerOrPhrase() {
        assertEquals(List.of("I heard ${heard}. Is that right?"), templates(run.onInput(say("no"))));
        assertEquals(Outcome.WRONG_PERSON, hangupOutcome(run.onInput(say("yes"))));
        DialogRun other = run(builtIn("satisfaction_survey"));
        other.start(Map.of("name", "John Smith"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_wrong_person")),
                templates(other.onInput(say("sorry you have the wrong number"))));
        assertEquals(Outcome.WRONG_PERSON, hangupOutcome(other.onInput(say("yeah"))));
    }

    @Test
    void callMeLaterWithATimeInTheSameBreath() {
        a = run.onInput(say("can you call me back tomorrow at three"));
        Action.ScheduleCallback cb = one(a, Action.ScheduleCallback.class);
        assertEquals(ZonedDateTime.of(2026, 3, 3, 15, 0, 0, 0, ZONE).toInstant(), cb.at());
        Action.Say bye = one(a, Action.Say.class);
        assertEquals("tomorrow at 3 PM", bye.vars().get("callback_time"));
        assertEquals(Outcome.CALLBACK_REQUESTED, hangupOutcome(a));
    }

    @Test
    void callMeLaterAsksWhenThenParses() {
        run.onInput(say("yes"));
        a = run.onInput(say("I'm busy"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("callback_ask")), templates(a));
        assertEquals(DialogRun.State.ASKING_CALLBACK_TIME, run.state());
        a = run.onInput(say("hmm let me think"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("callback_retry")), templates(a));
        a = run.onInput(say("in two hours"));
        assertEquals(NOW.plusHours(2).toInstant(), one(a, Action.ScheduleCallback.class).at());
        assertEquals(Outcome.CALLBACK_REQUESTED, run.outcome());
        assertEquals(Map.of("identity_confirmed", "yes"), run.answers());
    }

    @Test
    void callMeLaterMondayMorning() {
        run.onInput(say("call me back on monday morning"));
        // Monday 2 March 10:00 now: "Monday" is the next one
        assertEquals(Outcome.CALLBACK_REQUESTED, run.outcome());
        assertEquals("on Monday, March 9 at 9 AM", run.vars().get("callback_time"));
    }

    @Test
    void callMeLaterWithoutATimeStillSchedules() {
        run.onInput(say("not a good time"));
        run.onInput(new Input.NoInput());
        a = run.onInput(say("whenever"));
        Action.ScheduleCallback cb = one(a, Action.ScheduleCallback.class);
        assertNull(cb.at());
        assertEquals("whenever", cb.text());
        assertEquals(Outcome.CALLBACK_REQUESTED, hangupOutcome(a));
    }

    @Test
    void hangUpMidQuestionKeepsAnswersSoFar() {
        run.onInput(say("yes"));
        run.onInput(say("no"));
        assertEquals(List.of(), run.onInput(new Input.Hangup()));
        assertEquals(Outcome.PARTIAL, run.outcome());
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "no"), run.answers());
        assertEquals(Turn.Mode.HANGUP, run.turns().get(run.turns().size() - 1).mode());
    }

    @Test
    void hangUpBeforeAnyAnswer() {
        run.onInput(new Input.Hangup());
        assertEquals(Outcome.HUNG_UP, run.outcome());
    }

    @Test
    void repeatSaysTheLastPromptAgain() {
        run.onInput(say("yes"));
        a = run.onInput(say("yes"));
        String rating = templates(a).get(0);
        a = run.onInput(say("sorry can you repeat that"));
        assertEquals(List.of(rating), templates(a));
        assertEquals("rating", listensAt(a));
        assertEquals("recommend", listensAt(run.onInput(say("two"))));
    }

    @Test
    void exactAnswerWinsOverGlobalPhrase() {
        // "no" alone is an answer, and "no thank you" too, even though neither is a global intent
        a = run.onInput(say("yes"));
        assertEquals("rating", listensAt(run.onInput(say("no thank you"))));
        assertEquals("no", run.answers().get("resolved"));
    }

    @Test
    void optOutWhileAskedWhenToCallBack() {
        run.onInput(say("call me later"));
        a = run.onInput(say("what did you say"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("callback_ask")), templates(a), "repeat works here too");
        a = run.onInput(say("actually just stop calling me"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_opt_out")), templates(a));
        a = run.onInput(say("yes"));
        assertEquals(new Action.OptOut("callback_time",
                "caller said: actually just stop calling me (confirmed by voice)"), a.get(0));
        assertEquals(Outcome.OPTED_OUT, run.outcome());
    }

    @Test
    void recognizerIntentHintIsUsed() {
        run.onInput(new Input.Speech("mumble", 0.9, "opt_out"));
        a = run.onInput(new Input.Speech("mumble", 0.9, "yes"));
        assertEquals(Action.OptOut.class, a.get(0).getClass());
        DialogRun other = run(builtIn("satisfaction_survey"));
        other.start(Map.of("name", "X"));
        assertEquals("resolved", listensAt(other.onInput(new Input.Speech("mumble", 0.9, "yes"))));
    }

    @Test
    void startTwiceIsAnError() {
        assertThrows(IllegalStateException.class, () -> run.start(Map.of()));
    }
}
