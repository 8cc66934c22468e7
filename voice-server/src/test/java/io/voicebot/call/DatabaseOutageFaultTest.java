package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.CallPlacer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.CallStore;
import io.voicebot.store.OutageDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the database goes away for more than 30 s in the middle of a call (the connection to it is cut by a
 * relay in front of MariaDB, or of H2 in server mode). The call carries on to its normal end (never
 * VOICEBOT_NEXT=error), and when the database is back every turn, answer and the outcome of the call are stored.
 */
class DatabaseOutageFaultTest {
    private static final Pattern EXEC = Pattern.compile("EXEC \"AudioSocket\" \"([0-9a-fA-F-]{36}),");

    private OutageDatabase db;
    private Simulation sim;

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.restore();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** db.* settings that reach the database through the relay. */
    private Map<String, String> throughProxy() throws Exception {
        db = OutageDatabase.start();
        Map<String, String> o = new HashMap<>(db.overrides());
        o.put("db.connection.timeout.ms", "1000");
        o.put("campaign.enabled", "false");
        o.put("data.dir", Files.createTempDirectory("voicebot-outage-").toString());
        return o;
    }

    @Test
    void aCallCarriesOnThroughA30SecondOutageAndEverythingItSaidIsStoredAfterwards() throws Exception {
        sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty("voicebot.home", "..")),
                throughProxy());
        SimulatedCaller caller = new SimulatedCaller(sim.replies(List.of("yes", "yes", "four", "no")), 1200, 60_000);
        SimulatedCall call = new CallPlacer("127.0.0.1", sim.server().agiPort(), sim.server().audioSocketPort())
                .outbound("satisfaction_survey", Map.of("name", "Jo King"), "+15550100020", caller);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sim.server().callService().activeSessions() == 0) { // the call is stored and waits for audio
            assertTrue(System.nanoTime() < deadline, "the call never started");
            Thread.sleep(10);
        }
        db.cut();
        long cutAt = System.nanoTime();

        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(120));
        assertEquals("completed", r.variables().get("VOICEBOT_OUTCOME"), r.variables().toString());
        assertEquals("hangup", r.variables().get("VOICEBOT_NEXT"), r.variables().toString());
        UUID id = null;
        for (String c : call.commands()) {
            Matcher m = EXEC.matcher(c);
            if (m.find()) {
                id = UUID.fromString(m.group(1));
            }
        }
        assertNotNull(id);
        assertTrue(sim.server().journal().pending() >= 5, "the call's writes were not kept: "
                + sim.server().journal().pending()); // answers and turns given during the outage, its end
        long outage = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        if (outage < 30_000) {
            Thread.sleep(30_000 - outage);
        }
        db.restore();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sim.server().journal().pending() > 0) {
            assertTrue(System.nanoTime() < deadline, sim.server().journal().pending() + " writes still waiting");
            Thread.sleep(50);
        }

        CallStore store = sim.server().callStore();
        CallStore.CallRecord stored = store.findCall(id.toString()).orElseThrow();
        assertEquals("completed", stored.outcome());
        assertNotNull(stored.endedAt());
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "no"),
                store.answers(stored.id()).stream().collect(Collectors.toMap(CallStore.Answer::questionKey,
                        CallStore.Answer::value)));
        List<CallStore.Turn> turns = store.turns(stored.id());
        assertEquals(4, turns.size(), "a turn per question: " + turns);
        for (int i = 0; i < turns.size(); i++) {
            assertEquals(i + 1, turns.get(i).seq(), "turns in order without gaps: " + turns);
        }
    }
}
