package io.voicebot.dialog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class PaymentReminderTest {
    private static final Map<String, String> CONTACT =
            Map.of("name", "Mary Jones", "amount", "250.00", "due_date", "2026-02-25");
    private DialogRun run;
    private List<Action> a;

    @BeforeEach
    void start() {
        run = run(builtIn("payment_reminder"));
        a = run.start(CONTACT);
    }

    private void pastDisclosure() {
        a = run.onInput(new Input.PlaybackFinished("disclosure", true));
    }

    @Test
    void disclosureIsNonInterruptibleAndWaitedFor() {
        assertEquals(1, a.size(), "nothing but the disclosure until it has played: " + a);
        Action.Say d = (Action.Say) a.get(0);
        assertTrue(d.nonInterruptible());
        assertFalse(d.bargeIn());
        assertTrue(d.template().contains("This call is recorded"));
        assertEquals(DialogRun.State.PLAYING_DISCLOSURE, run.state());
        assertEquals(List.of(), run.onInput(say("stop calling me")), "speech cannot interrupt the disclosure");
        assertEquals(List.of(), run.onInput(new Input.PlaybackFinished("identity", true)));
        pastDisclosure();
        assertEquals("identity", listensAt(a));
        Turn t = run.turns().get(0);
        assertEquals(Turn.Mode.PLAYBACK, t.mode());
        assertEquals("disclosure", t.stepId());
        assertEquals("non-interruptible prompt played in full", t.note());
        assertTrue(t.prompt().contains("This call is recorded"));
    }

    @Test
    void disclosureCutShortIsPlayedAgainThenTheCallFails() {
        a = run.onInput(new Input.PlaybackFinished("disclosure", false));
        assertTrue(((Action.Say) a.get(0)).nonInterruptible());
        a = run.onInput(new Input.PlaybackFinished("disclosure", false));
        assertEquals(Outcome.FAILED, hangupOutcome(a));
    }

    @Test
    void hangUpDuringDisclosure() {
        run.onInput(new Input.Hangup());
        assertEquals(Outcome.HUNG_UP, run.outcome());
        assertTrue(run.turns().stream().noneMatch(t -> t.mode() == Turn.Mode.PLAYBACK));
    }

    @Test
    void promiseToPayWithADate() {
        pastDisclosure();
        a = run.onInput(say("yes"));
        Action.Say reminder = one(a, Action.Say.class);
        assertTrue(reminder.template().contains("${amount:money}") && reminder.template().contains("${due_date:date}"));
        assertEquals("250.00", reminder.vars().get("amount"));
        assertEquals("2026-02-25", reminder.vars().get("due_date"));
        assertEquals("promise_date", listensAt(run.onInput(say("yes I will pay"))));
        a = run.onInput(say("next friday"));
        // a weekday is read back with its date, even when heard clearly
        Action.Say readBack = one(a, Action.Say.class);
        assertEquals("I heard ${heard}. Is that the date you will pay?", readBack.template());
        assertEquals("Friday, March 6", readBack.vars().get("heard"));
        a = run.onInput(say("yes"));
        Action.CreateTask task = one(a, Action.CreateTask.class);
        assertEquals("promise_to_pay", task.type());
        assertEquals(Map.of("amount", "250.00", "promise_date", "2026-03-06"), task.details());
        assertEquals(Outcome.COMPLETED, hangupOutcome(a));
        assertEquals("promise", run.answers().get("response"));
    }

    @Test
    void unsureDateIsConfirmedAndFarDateRejected() {
        pastDisclosure();
        run.onInput(say("yes"));
        run.onInput(keys("1"));
        a = run.onInput(say("the fifteenth of june"));
        assertEquals(List.of("Please say a date within the next thirty days, for example, tomorrow, or the fifteenth."),
                templates(a));
        a = run.onInput(say("on the fifteenth", 0.5));
        Action.Say c = one(a, Action.Say.class);
        assertEquals("I heard ${heard}. Is that the date you will pay?", c.template());
        assertEquals("Sunday, March 15", c.vars().get("heard"));
        a = run.onInput(say("yes"));
        assertEquals(new Action.RecordAnswer("promise_date", "promise_date", "2026-03-15", 0.5, true),
                one(a, Action.RecordAnswer.class));
        assertEquals(Outcome.COMPLETED, run.outcome());
    }

    @Test
    void aWeekdayHeardWrongIsCaughtByTheReadBack() {
        pastDisclosure();
        run.onInput(say("yes"));
        run.onInput(keys("1"));
        // the caller said "sunday"; the recognizer heard "monday" at 0.99
        a = run.onInput(say("monday", 0.99));
        assertEquals("Monday, March 9", one(a, Action.Say.class).vars().get("heard"));
        assertTrue(a.stream().noneMatch(x -> x instanceof Action.RecordAnswer), a.toString());
        a = run.onInput(say("no"));
        assertEquals("promise_date", listensAt(a));
        assertTrue(run.answers().get("promise_date") == null, run.answers().toString());
        a = run.onInput(say("sunday", 0.99));
        assertEquals("Sunday, March 8", one(a, Action.Say.class).vars().get("heard"));
        a = run.onInput(say("yes"));
        assertEquals(new Action.RecordAnswer("promise_date", "promise_date", "2026-03-08", 0.99, true),
                one(a, Action.RecordAnswer.class));
        // a date said without a weekday, heard clearly, is kept at once
        DialogRun r2 = reminderAtPayment(CONTACT);
        r2.onInput(keys("1"));
        List<Action> b = r2.onInput(say("tomorrow", 0.95));
        assertEquals("2026-03-03", one(b, Action.RecordAnswer.class).value());
    }

    @Test
    void anAnswerOneNegationFromTheOppositeIsReadBack() {
        pastDisclosure();
        run.onInput(say("yes"));
        // the caller said "i can't pay"; the recognizer heard "i can pay" at 0.99
        a = run.onInput(say("i can pay", 0.99));
        assertEquals("i can pay", one(a, Action.Say.class).vars().get("heard"));
        assertTrue(a.stream().noneMatch(x -> x instanceof Action.RecordAnswer), "no promise recorded: " + a);
        assertEquals("a negation away from another answer; confirming", run.turns().get(run.turns().size() - 1)
                .note());
        a = run.onInput(say("no"));
        assertEquals("reminder", listensAt(a));
        a = run.onInput(say("i can't pay", 0.99));
        assertEquals("i can't pay", one(a, Action.Say.class).vars().get("heard"));
        a = run.onInput(say("yes"));
        assertEquals("cannot", one(a, Action.RecordAnswer.class).value());
        // "i will pay" has no negated twin among the answers: kept at once
        DialogRun r2 = reminderAtPayment(CONTACT);
        List<Action> b = r2.onInput(say("i will pay", 0.99));
        assertEquals("promise", one(b, Action.RecordAnswer.class).value());
    }

    @Test
    void negationTwinsAreOneNegationApart() {
        assertTrue(NegationTwins.twins("i can pay").containsAll(List.of("i can't pay", "i cannot pay")));
        assertTrue(NegationTwins.twins("that is not right").contains("that is right"));
        assertTrue(NegationTwins.twins("that is right").contains("that is not right"));
        assertTrue(NegationTwins.twins("incorrect").contains("correct"));
        assertFalse(NegationTwins.twins("i will pay").contains("i can't pay"));
    }

    @Test
    void alreadyPaidCreatesFollowUp() {
        pastDisclosure();
        run.onInput(say("yes"));
        a = run.onInput(say("I already paid that last week"));
        assertEquals("verify_payment", one(a, Action.CreateTask.class).type());
        assertEquals(Outcome.COMPLETED, hangupOutcome(a));
        assertTrue(templates(a).get(0).startsWith("Thank you for letting us know"));
    }

    @Test
    void disputeGoesToAnAgentByVoiceOrKey() {
        pastDisclosure();
        run.onInput(say("yes"));
        a = run.onInput(say("I don't owe you anything", 0.97));
        // a long clear phrase acts at once
        assertEquals(new Action.Transfer("dispute", "collections", "dispute"), a.get(a.size() - 1));
        assertEquals(Outcome.TRANSFERRED, run.outcome());

        DialogRun r2 = run(builtIn("payment_reminder"));
        r2.start(CONTACT);
        r2.onInput(new Input.PlaybackFinished("disclosure", true));
        r2.onInput(keys("1"));
        List<Action> b = r2.onInput(keys("4"));
        assertEquals("dispute", ((Action.Transfer) b.get(b.size() - 1)).reason());
    }

    @Test
    void agentRequestUsesTheDialogQueue() {
        pastDisclosure();
        a = run.onInput(say("I want to talk to an agent"));
        assertEquals(List.of(Dialog.DEFAULT_MESSAGES.get("confirm_agent")), templates(a));
        a = run.onInput(say("yes"));
        assertEquals("collections", ((Action.Transfer) a.get(a.size() - 1)).queue());
        assertEquals("Please hold while I connect you with one of our agents.", templates(a).get(0));
    }

    @Test
    void optOutDuringPromiseDate() {
        pastDisclosure();
        run.onInput(say("yes"));
        run.onInput(say("sure"));
        a = run.onInput(say("don't call me again"));
        assertEquals(DialogRun.State.CONFIRMING_GLOBAL, run.state());
        a = run.onInput(keys("1"));
        assertEquals(new Action.OptOut("promise_date", "caller said: don't call me again (confirmed by keypad)"),
                a.get(0));
        assertEquals(Outcome.OPTED_OUT, run.outcome());
        assertEquals(Map.of("identity_confirmed", "yes", "response", "promise"), run.answers());
    }

    @Test
    void noDateAfterThreeTriesGoesToAnAgent() {
        pastDisclosure();
        run.onInput(say("yes"));
        run.onInput(say("yes"));
        run.onInput(say("I don't know"));
        run.onInput(new Input.NoInput());
        a = run.onInput(say("maybe"));
        assertEquals("cannot_pay", ((Action.Transfer) a.get(a.size() - 1)).reason());
    }
}
