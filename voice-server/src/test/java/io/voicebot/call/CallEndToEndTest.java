package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.Simulation.CallReport;
import io.voicebot.store.CallStore;
import io.voicebot.store.DecisionStore;
import io.voicebot.store.FollowupStore;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in dialogs end to end: a voicebot server on embedded defaults, the in-process Asterisk placing calls
 * through FastAGI, AudioSocket and AMI, and a caller who answers with synthesized speech, keys, silence or by
 * hanging up. Each test checks what the store holds and what the dialplan is told to do next. The calls run in
 * real time, so they are all placed at once when the class starts and each test waits for its own.
 */
class CallEndToEndTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(4);
    private static final Map<String, String> REMINDER_FIELDS = Map.of("amount", "125.50", "due_date", "2026-11-20");

    private static TestDatabase tdb;
    private static Simulation sim;
    private static ExecutorService pool;
    private static final Map<String, CompletableFuture<CallReport>> calls = new LinkedHashMap<>();
    private static final Map<String, SimulatedCaller> callers = new LinkedHashMap<>();

    @BeforeAll
    static void placeAllCalls() throws Exception {
        tdb = TestDatabase.fresh();
        Path home = Path.of(System.getProperty("voicebot.home", ".."));
        sim = Simulation.start(Settings.load(null, Map.of()), home, tdb.overrides());
        pool = Executors.newCachedThreadPool();

        // Payment reminder: the production outbound path (stored attempt, AMI Originate, answered, AGI).
        place("reminder-happy", caller(say("yes"), say("i will pay"), say("next friday"), say("yes")),
                c -> sim.originate("payment_reminder", "+15550100001", "Ann Lee", REMINDER_FIELDS, c, CALL_TIMEOUT));
        // MaryTTS "i dispute" is far from Sphinx4's models (confidence about 0.5 < confirm_below 0.7): it is read back.
        place("reminder-dispute", caller(say("yes"), say("i dispute"), say("yes")),
                c -> sim.originate("payment_reminder", "+15550100002", "Bo Chan", REMINDER_FIELDS, c, CALL_TIMEOUT));
        // Opt-out and agent requests are confirmed ("Just to be sure: ...?") before the robot acts.
        place("reminder-optout", caller(say("yes"), say("stop calling me"), say("yes")),
                c -> sim.originate("payment_reminder", "+15550100003", "Cy Diaz", REMINDER_FIELDS, c, CALL_TIMEOUT));
        place("reminder-hangup", caller(say("yes"), new Reply.HangUp()),
                c -> sim.originate("payment_reminder", "+15550100004", "Di Eng", REMINDER_FIELDS, c, CALL_TIMEOUT));
        // "No" at "Am I speaking with ...?" ends the call as wrong person: a short spoken answer is read back first.
        place("reminder-wrong-person", caller(say("no"), say("yes")),
                c -> sim.originate("payment_reminder", "+15550100005", "Ed Fox", REMINDER_FIELDS, c, CALL_TIMEOUT));

        // Satisfaction survey: an outbound call started by the dialplan with the dialog and contact variables.
        place("survey-dtmf", caller(say("yes"), say("yes"), keys("4"), say("no")),
                c -> sim.outbound("satisfaction_survey", Map.of("name", "Flo Gray"), "+15550100006", c,
                        CALL_TIMEOUT));
        place("survey-noinput-nomatch", caller(new Reply.Silence(), say("yes"), keys("9"), say("no"), say("four"),
                        say("yes")),
                c -> sim.outbound("satisfaction_survey", Map.of("name", "Gus Hill"), "+15550100007", c,
                        CALL_TIMEOUT));
        // An unrelated sentence at "Am I speaking with ...?" is a no-match: asked again, the reason in the turn log.
        place("survey-unrelated", caller(say("my card was stolen last week"), say("yes"), say("yes"), keys("4"),
                        say("no")),
                c -> sim.outbound("satisfaction_survey", Map.of("name", "Gil Hart"), "+15550100012", c,
                        CALL_TIMEOUT));
        place("survey-bargein", caller(say("yes"), say("yes"), new Reply.BargeIn("four", sim.voice("four"), 1500),
                        say("yes")),
                c -> sim.outbound("satisfaction_survey", Map.of("name", "Hal Ives"), "+15550100008", c,
                        CALL_TIMEOUT));
        // "Not sure" at "Am I speaking with ...?" answers nothing: asked again, never taken as "sure", a yes. Placed
        // once the barge-in call has ended, so that the barge-in's timing shares the cores with no more calls than
        // before this one was added.
        place("survey-unsure", caller(say("not sure"), say("yes"), say("yes"), keys("4"), say("no")),
                c -> {
                    calls.get("survey-bargein").handle((r, e) -> r).get(CALL_TIMEOUT.toMillis() + 60_000,
                            TimeUnit.MILLISECONDS);
                    return sim.outbound("satisfaction_survey", Map.of("name", "Gwen Hale"), "+15550100013", c,
                            CALL_TIMEOUT);
                });
        // "Hang on" at the identity question, then silence past the usual no-input timeout: the robot waits, then asks
        // the question again without "did not hear you". Placed after the barge-in call too.
        place("survey-hold", caller(say("hang on"), new Reply.Silence(), say("yes"), say("yes"), keys("4"), say("no")),
                c -> {
                    calls.get("survey-bargein").handle((r, e) -> r).get(CALL_TIMEOUT.toMillis() + 60_000,
                            TimeUnit.MILLISECONDS);
                    return sim.outbound("satisfaction_survey", Map.of("name", "Hal Moss"), "+15550100014", c,
                            CALL_TIMEOUT);
                });
        place("survey-agent", caller(say("yes"), say("agent"), say("no"), say("no"), say("agent"), say("yes")),
                c -> sim.outbound("satisfaction_survey", Map.of("name", "Ida Jones"), "+15550100009", c,
                        CALL_TIMEOUT));

        // Inbound hotline: intent, a question answered from the knowledge file, then an agent.
        place("hotline", caller(say("my card"), say("no"), say("when will my card arrive"), say("yes"),
                        say("agent")),
                c -> sim.inbound("hotline", "+15550100010", c, CALL_TIMEOUT));
        // An account number typed on the keypad, each key its own turn, ended by '#': sent as a burst, so keys arrive
        // while the robot is between two turns.
        place("hotline-account-keys", caller(keys("1"), new Reply.Keys("20481632#", 0)),
                c -> sim.inbound("hotline", "+15550100011", c, CALL_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (sim != null) {
            sim.close();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private interface Placement {
        CallReport place(SimulatedCaller caller) throws Exception;
    }

    private static void place(String name, SimulatedCaller caller, Placement placement) {
        callers.put(name, caller);
        Callable<CallReport> task = () -> placement.place(caller);
        CompletableFuture<CallReport> f = new CompletableFuture<>();
        pool.submit(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        calls.put(name, f);
    }

    private static SimulatedCaller caller(Reply... replies) {
        return new SimulatedCaller(List.of(replies), 1200, 60_000);
    }

    /** The call's stored decisions on destructive requests, without their times. */
    private static List<DecisionStore.Decision> decisions(CallReport r) {
        return sim.server().callStore().decisions().forCall(r.call().id()).stream()
                .map(d -> new DecisionStore.Decision(d.callId(), d.stepId(), d.intent(), d.acted(), d.reason(), null))
                .toList();
    }

    private static Reply say(String text) throws Exception {
        return new Reply.Speak(text, sim.voice(text));
    }

    private static Reply keys(String digits) {
        return new Reply.Keys(digits);
    }

    private static CallReport report(String name) throws Exception {
        return calls.get(name).get(CALL_TIMEOUT.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    }

    private static Map<String, String> answers(CallReport r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.answers().forEach(a -> m.put(a.questionKey(), a.value()));
        return m;
    }

    private static List<String> heard(CallReport r) {
        List<String> out = new ArrayList<>();
        for (CallStore.Turn t : r.turns()) {
            if (t.inputMode() != CallStore.InputMode.NONE || t.transcript() != null) {
                out.add(t.inputMode() + ":" + t.transcript() + "->" + t.intent());
            }
        }
        return out;
    }

    @Test
    void paymentReminderPromiseToPay() throws Exception {
        CallReport r = report("reminder-happy");
        String why = Simulation.transcript("reminder-happy", r);
        assertEquals("completed", r.outcome(), why);
        Map<String, String> a = answers(r);
        assertEquals("yes", a.get("identity_confirmed"), why);
        assertEquals("promise", a.get("response"), why);
        LocalDate nextFriday = LocalDate.now().with(TemporalAdjusters.next(DayOfWeek.FRIDAY));
        assertTrue(a.get("promise_date").equals(nextFriday.toString())
                || a.get("promise_date").equals(nextFriday.plusWeeks(1).toString()), why);
        assertTrue(r.call().disclosurePlayed(), "the legal disclosure was played in full");
        assertEquals("hangup", r.agi().dialplanNext());
        // The first turn is the disclosure, played to the end before anything else.
        assertTrue(r.turns().get(0).promptText().contains("This call is recorded"), why);
        // The promise became a task for the back office, and the campaign attempt has its outcome.
        List<FollowupStore.Followup> tasks = new FollowupStore(sim.server().database(), Clock.systemUTC())
                .forCall(r.call().id());
        assertTrue(tasks.stream().anyMatch(t -> t.kind().equals("promise_to_pay")), tasks.toString());
        AttemptStore.Attempt attempt = sim.server().attemptStore().attempt(r.call().attemptId()).orElseThrow();
        assertEquals("completed", attempt.outcome());
        // The amount and date were spoken as words, not digits.
        assertTrue(r.turns().stream().anyMatch(t -> t.promptText() != null
                && t.promptText().contains("one hundred twenty five dollars and fifty cents")), why);
    }

    @Test
    void paymentReminderDisputeGoesToCollectionsQueue() throws Exception {
        CallReport r = report("reminder-dispute");
        String why = Simulation.transcript("reminder-dispute", r);
        assertEquals("transferred", r.outcome(), why);
        assertEquals("collections", r.call().transferQueue(), why);
        assertEquals("queue:collections", r.agi().dialplanNext(), why);
        assertEquals("queue", r.agi().variables().get("VOICEBOT_NEXT"));
        assertEquals("dispute", answers(r).get("response"), why);
    }

    @Test
    void optOutIsConfirmedThenRecorded() throws Exception {
        CallReport r = report("reminder-optout");
        String why = Simulation.transcript("reminder-optout", r) + heard(r);
        assertEquals("opted_out", r.outcome(), why);
        assertTrue(r.turns().stream().anyMatch(t -> "Just to be sure: you want us to stop calling this number?"
                .equals(t.promptText()) && "yes".equals(t.intent())), "the robot asked first: " + why);
        assertTrue(sim.server().dncStore().isBlocked("+15550100003", java.time.Instant.now()),
                "number on the do-not-call list");
        io.voicebot.store.DncStore.Entry dnc = sim.server().dncStore().find("+15550100003").orElseThrow();
        assertEquals("dialog", dnc.source());
        assertEquals("caller said: stop calling me (confirmed by voice)", dnc.reason());
        assertEquals(List.of(new DecisionStore.Decision(r.call().id(), "reminder", "opt_out", true,
                "confirmed by voice", null)), decisions(r), why);
        assertEquals("hangup", r.agi().dialplanNext());
    }

    @Test
    void hangUpMidQuestionKeepsAnswersSoFar() throws Exception {
        CallReport r = report("reminder-hangup");
        String why = Simulation.transcript("reminder-hangup", r);
        assertEquals("partial", r.outcome(), why);
        assertEquals(Map.of("identity_confirmed", "yes"), answers(r), why);
        assertEquals("HANGUP", r.agi().agiStatus());
        assertTrue(r.call().endedAt() != null);
    }

    @Test
    void wrongPersonEndsPolitely() throws Exception {
        CallReport r = report("reminder-wrong-person");
        String why = Simulation.transcript("reminder-wrong-person", r);
        assertEquals("wrong_person", r.outcome(), why);
        assertEquals("hangup", r.agi().dialplanNext());
    }

    @Test
    void surveyWithKeypadRating() throws Exception {
        CallReport r = report("survey-dtmf");
        String why = Simulation.transcript("survey-dtmf", r) + heard(r);
        assertEquals("completed", r.outcome(), why);
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "no"),
                answers(r), why);
        assertTrue(r.turns().stream().anyMatch(t -> t.inputMode() == CallStore.InputMode.DTMF
                && "4".equals(t.transcript())), why);
    }

    @Test
    void surveyRepromptsOnNoInputAndNoMatch() throws Exception {
        CallReport r = report("survey-noinput-nomatch");
        String why = Simulation.transcript("survey-noinput-nomatch", r) + heard(r);
        assertEquals("completed", r.outcome(), why);
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "no", "rating", "4", "recommend", "yes"),
                answers(r), why);
        List<String> prompts = r.turns().stream().map(CallStore.Turn::promptText).toList();
        assertTrue(prompts.stream().anyMatch(p -> p != null && p.startsWith("Sorry, I did not hear you.")), why);
        assertTrue(prompts.stream().anyMatch(p -> p != null && p.startsWith("Please say yes or no.")), why);
    }

    @Test
    void anUnrelatedSentenceIsANoMatchAndTheTurnLogSaysWhy() throws Exception {
        CallReport r = report("survey-unrelated");
        String why = Simulation.transcript("survey-unrelated", r) + heard(r);
        assertEquals("completed", r.outcome(), why);
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "no"),
                answers(r), why);
        CallStore.Turn rejected = r.turns().stream().filter(t -> t.note() != null
                && t.note().startsWith("rejected: no match")).findFirst().orElseThrow(() -> new AssertionError(why));
        assertEquals("identity", rejected.stepId(), why);
        assertEquals(CallStore.InputMode.SPEECH, rejected.inputMode(), why);
        // which of the recognizer's checks threw the words away, and by how much
        assertTrue(rejected.note().matches("rejected: no match \\(confidence 0\\.[0-2][0-9] below 0\\.30: .+\\)"),
                rejected.note());
        assertTrue(r.turns().stream().anyMatch(t -> t.promptText() != null
                && t.promptText().startsWith("Please say yes or no, or press one for yes")), why);
    }

    @Test
    void notSureIsAskedAgainAndNotTakenAsAYes() throws Exception {
        CallReport r = report("survey-unsure");
        String why = Simulation.transcript("survey-unsure", r) + heard(r);
        assertEquals("completed", r.outcome(), why);
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "no"),
                answers(r), why);
        CallStore.Turn unsure = r.turns().stream().filter(t -> "unsure".equals(t.intent())).findFirst()
                .orElseThrow(() -> new AssertionError(why));
        assertEquals("identity", unsure.stepId(), why);
        assertEquals("not sure", unsure.transcript(), why);
        assertEquals("not sure; asking again", unsure.note(), why);
        int i = r.turns().indexOf(unsure);
        assertEquals("No problem, take your time. Please say yes or no, or press one for yes and two for no. Am I"
                + " speaking with Gwen Hale?", r.turns().get(i + 1).promptText(), why);
        assertTrue(decisions(r).isEmpty(), "no decision on doubt: " + why);
    }

    @Test
    void hangOnWaitsLongerAndAsksAgainWithoutAFailure() throws Exception {
        CallReport r = report("survey-hold");
        String why = Simulation.transcript("survey-hold", r) + heard(r) + callers.get("survey-hold").events();
        assertEquals("completed", r.outcome(), why);
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "no"),
                answers(r), why);
        List<CallStore.Turn> t = r.turns();
        CallStore.Turn hold = t.stream().filter(x -> "hold".equals(x.intent())).findFirst()
                .orElseThrow(() -> new AssertionError(why));
        assertEquals("identity", hold.stepId(), why);
        assertEquals("hang on", hold.transcript(), why);
        int i = t.indexOf(hold);
        CallStore.Turn silent = t.get(i + 1);
        assertEquals("Sure, I will wait. Take your time.", silent.promptText(), why);
        assertEquals("no input", silent.note(), why);
        // the wait after "hang on" is Asking.HOLD_WAIT (20 s), not the step's 5 s; then the question itself again
        CallStore.Turn again = t.get(i + 2);
        long waited = java.time.Duration.between(silent.startedAt(), again.startedAt()).toMillis();
        assertTrue(waited >= 20_000, "waited " + waited + " ms: " + why);
        assertEquals(t.get(0).promptText(), again.promptText(), "the question, no 'did not hear you': " + why);
        assertEquals("yes", again.transcript(), why);
        assertTrue(decisions(r).isEmpty(), why);
    }

    @Test
    void bargeInStopsThePromptAndTheAnswerCounts() throws Exception {
        CallReport r = report("survey-bargein");
        String why = Simulation.transcript("survey-bargein", r) + callers.get("survey-bargein").events();
        assertEquals("completed", r.outcome(), why);
        assertEquals("4", answers(r).get("rating"), why);
        List<Long> cuts = callers.get("survey-bargein").bargeInStops();
        assertEquals(1, cuts.size(), why);
        // The rating prompt is about 5 s long; the caller spoke 1.5 s into it. Speech must be heard for
        // speech.bargein.min.speech.ms (120) before the prompt stops; the issue allows 250 ms from onset.
        assertTrue(cuts.get(0) < 250 + 60, "robot kept talking " + cuts.get(0) + " ms after the caller started: "
                + why);
        assertEquals(List.of("barge_in"), r.turns().stream().map(CallStore.Turn::cutBy)
                .filter(java.util.Objects::nonNull).toList(), "the robot stopped the rating prompt itself: " + why);
    }

    @Test
    void agentRequestIsConfirmedAndANoGoesBackToTheQuestion() throws Exception {
        CallReport r = report("survey-agent");
        String why = Simulation.transcript("survey-agent", r) + heard(r);
        assertEquals("transferred", r.outcome(), why);
        // "agent" -> "Just to be sure?" -> "no": the question again, answered "no"; then "agent" -> "yes".
        assertEquals(List.of(new DecisionStore.Decision(r.call().id(), "resolved", "agent", false, "caller said no",
                null), new DecisionStore.Decision(r.call().id(), "rating", "agent", true, "confirmed by voice", null),
                // then the warm transfer's own decision (docs/transfer.md): no queue in the simulated Asterisk
                new DecisionStore.Decision(r.call().id(), "transfer_check", "transfer", true, "queue check failed: "
                        + "Asterisk has no queue named 'voicebot-agents'; handed over without a check", null)),
                decisions(r), why);
        assertEquals("no", answers(r).get("resolved"), why);
        assertEquals("queue:voicebot-agents", r.agi().dialplanNext(), why);

    }

    @Test
    void hotlineAnswersAQuestionThenHandsOverToAnAgent() throws Exception {
        CallReport r = report("hotline");
        String why = Simulation.transcript("hotline", r) + heard(r);
        assertEquals("transferred", r.outcome(), why);
        assertEquals("queue:hotline-agents", r.agi().dialplanNext(), why);
        assertEquals(CallStore.Direction.INBOUND, r.call().direction());
        assertEquals("+15550100010", r.call().callerNumber());
        // The knowledge-file answer was spoken before "anything else?".
        assertTrue(r.turns().stream().anyMatch(t -> t.promptText() != null
                && t.promptText().contains("A new card arrives by post")), why);
        assertFalse(r.latenciesMs().isEmpty(), "turn latencies were measured");
    }

    @Test
    void anAccountNumberTypedOnTheKeypadIsTakenWholeNotOnlyItsLastKey() throws Exception {
        CallReport r = report("hotline-account-keys");
        String why = Simulation.transcript("hotline-account-keys", r) + heard(r);
        assertEquals("20481632", answers(r).get("account_number"), why);
    }
}
