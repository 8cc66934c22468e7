package io.voicebot.transfer;

import io.voicebot.config.Settings;
import io.voicebot.sim.AmiQueue;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.Simulation.CallReport;
import io.voicebot.store.DecisionStore;
import io.voicebot.store.FollowupStore;
import io.voicebot.store.TaskStore;
import io.voicebot.store.TestDatabase;
import io.voicebot.store.TransferStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callers who hang up in the middle of a warm transfer (in-process Asterisk): during the wait announcement (after
 * voicebot decided to hand over, before the dialplan got the channel) and during the callback offer when nobody is
 * free. The call ends hung_up, the transfer row says what happened, and nothing is left open: no queue hand-over,
 * no whisper file, no callback or task for a caller who never accepted one (docs/transfer.md). A caller whose
 * number is withheld is not offered a callback nobody could make.
 */
class TransferHangupTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private static TestDatabase tdb;
    private static Simulation sim;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        Path home = Path.of(System.getProperty("voicebot.home", ".."));
        sim = Simulation.start(Settings.load(null, Map.of()), home, tdb.overrides());
        sim.voice("agent"); // warms the synthesizer
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private static AmiQueue queue(String name, int status, boolean paused) {
        return AmiQueue.of(name, 20, List.of(
                new AmiQueue.Member("agent-1001", "Local/1001@voicebot-agent", status, paused, false),
                new AmiQueue.Member("agent-1002", "Local/1002@voicebot-agent", status, paused, false)), List.of());
    }

    /** Transfer rows already decided (the hand-over recorded, the announcement under way). */
    private static long transfersDecided(String queue) {
        return sim.server().database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM transfers WHERE queue_name = ? AND decision = 'handed_over'")) {
                ps.setString(1, queue);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static TransferStore.Transfer transferOf(CallReport r) {
        List<TransferStore.Transfer> ts = sim.server().transferStore().forCall(r.call().id());
        assertEquals(1, ts.size(), ts.toString());
        return ts.get(0);
    }

    private static List<TaskStore.Task> tasksFor(CallReport r) {
        return sim.server().tasks().page(new TaskStore.Filter(null, null, null, null, null), null, 100).stream()
                .filter(t -> t.callId() != null && t.callId() == r.call().id()).toList();
    }

    @Test
    void callerHangsUpDuringTheWaitAnnouncement() throws Exception {
        sim.ami().queue(queue("hotline-agents", 1, false));
        long before = transfersDecided("hotline-agents");
        CallReport r = sim.inbound("hotline", "+15550100031", new SimulatedCaller(List.of(
                new Reply.Speak("agent", sim.voice("agent")), new Reply.Keys("1"),
                new Reply.HangUpWhen("the wait announcement", () -> transfersDecided("hotline-agents") > before)),
                1200, 60_000), CALL_TIMEOUT);
        String why = Simulation.transcript("hang up during the announcement", r);

        // never reached the queue: the call is not "transferred", and the dialplan got no hand-over
        assertEquals("hung_up", r.outcome(), why);
        assertNull(r.call().transferQueue(), why);
        assertFalse(r.agi().variables().containsKey("__VOICEBOT_CALL_ID"), why);
        TransferStore.Transfer t = transferOf(r);
        assertEquals("handed_over", t.decision(), t.toString());
        assertEquals("abandoned", t.state(), t.toString());
        assertTrue(t.abandoned(), t.toString());
        assertNull(t.channelUniqueId(), t.toString());
        assertTrue(t.endedAt() != null, t.toString());
        assertTrue(t.decisionReason().contains("2 free agent(s)"), t.decisionReason());
        List<DecisionStore.Decision> ds = new DecisionStore(sim.server().database()).forCall(r.call().id());
        assertTrue(ds.stream().anyMatch(d -> d.intent().equals("transfer") && d.acted()), ds.toString());
        assertTrue(ds.stream().anyMatch(d -> d.intent().equals("transfer") && !d.acted()
                && d.reason().contains("caller hung up during the wait announcement")), ds.toString());
        // nothing left behind: no whisper for agents who will never be offered the call, no task
        Path whisper = sim.server().config().transfer().whisperDir().resolve(r.id() + ".wav");
        waitGone(whisper);
        assertTrue(tasksFor(r).isEmpty(), tasksFor(r).toString());
        assertTrue(new FollowupStore(sim.server().database(), Clock.systemUTC()).forCall(r.call().id()).isEmpty());
    }

    @Test
    void callerHangsUpDuringTheCallbackOffer() throws Exception {
        // inbound: every hotline agent paused; campaign call: nobody logged in to collections
        sim.ami().queue(queue("hotline-agents", 1, true));
        sim.ami().queue(queue("collections", 5, false));
        CallReport h = sim.inbound("hotline", "+15550100032", new SimulatedCaller(List.of(
                new Reply.Speak("agent", sim.voice("agent")), new Reply.Keys("1"), new Reply.HangUp()),
                1200, 60_000), CALL_TIMEOUT);
        CallReport rm = sim.originate("payment_reminder", "+15550100033", "Bo Chen",
                Map.of("amount", "80", "due_date", "2026-11-20"), new SimulatedCaller(List.of(
                        new Reply.Keys("1"), new Reply.Keys("0"), new Reply.HangUp()), 1200, 60_000), CALL_TIMEOUT);

        for (CallReport r : List.of(h, rm)) {
            String why = Simulation.transcript("hang up during the callback offer", r);
            assertEquals("hung_up", r.outcome(), why);
            assertEquals("hangup", r.agi().dialplanNext() == null ? "hangup" : r.agi().dialplanNext(), why);
            TransferStore.Transfer t = transferOf(r);
            assertEquals("no_callback", t.decision(), t.toString());
            assertEquals("abandoned", t.state(), t.toString());
            assertTrue(t.abandoned(), t.toString());
            assertTrue(t.decisionReason().contains("caller hung up during the callback offer"), t.decisionReason());
            assertTrue(t.endedAt() != null, t.toString());
            // the caller never accepted: no dialer callback, no task
            assertTrue(tasksFor(r).isEmpty(), why + tasksFor(r));
            assertTrue(new FollowupStore(sim.server().database(), Clock.systemUTC()).forCall(r.call().id()).isEmpty(),
                    why);
            List<DecisionStore.Decision> ds = new DecisionStore(sim.server().database()).forCall(r.call().id());
            assertTrue(ds.stream().anyMatch(d -> d.intent().equals("callback") && !d.acted()
                    && d.reason().contains("caller hung up during the callback offer")), ds.toString());
        }
        assertTrue(transferOf(h).decisionReason().contains("all busy or paused"), transferOf(h).decisionReason());
        assertTrue(transferOf(rm).decisionReason().contains("no agent logged in to collections"),
                transferOf(rm).decisionReason());
    }

    @Test
    void withheldNumberIsNotOfferedACallbackNobodyCouldMake() throws Exception {
        // Asterisk sends agi_callerid "unknown" for a withheld number (seen on the real Asterisk: a task to call
        // back "unknown" was created before)
        sim.ami().queue(queue("hotline-agents", 1, true));
        CallReport r = sim.inbound("hotline", "unknown", new SimulatedCaller(List.of(
                new Reply.Speak("agent", sim.voice("agent")), new Reply.Keys("1"), new Reply.Keys("1")),
                1200, 60_000), CALL_TIMEOUT);
        String why = Simulation.transcript("withheld number, nobody free", r);
        assertEquals("partial", r.outcome(), why);
        assertEquals("hangup", r.agi().dialplanNext(), why);
        assertTrue(r.turns().stream().noneMatch(t -> t.promptText() != null && t.promptText().contains("call you back")),
                why);
        TransferStore.Transfer t = transferOf(r);
        assertEquals("no_callback", t.decision(), t.toString());
        // never handed to the queue: the row is closed, not left 'decided'
        assertEquals(TransferStore.NOT_HANDED_OVER, t.state(), t.toString());
        assertTrue(t.endedAt() != null, t.toString());
        assertTrue(t.decisionReason().contains("withheld or unknown"), t.decisionReason());
        assertTrue(tasksFor(r).isEmpty(), tasksFor(r).toString());
        assertTrue(new FollowupStore(sim.server().database(), Clock.systemUTC()).forCall(r.call().id()).isEmpty());
        List<DecisionStore.Decision> ds = new DecisionStore(sim.server().database()).forCall(r.call().id());
        assertTrue(ds.stream().anyMatch(d -> d.intent().equals("callback") && !d.acted()
                && d.reason().contains("no callback possible")), ds.toString());
    }

    private static void waitGone(Path file) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(file)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("still there: " + file);
            }
            Thread.sleep(50);
        }
    }
}
