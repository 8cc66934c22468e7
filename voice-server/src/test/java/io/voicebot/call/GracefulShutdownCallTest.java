package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown (what SIGTERM triggers) while a real call is in progress: the call is not cut and ends with its
 * outcome stored; a call that arrives while the server drains is refused and routed to the agents.
 */
class GracefulShutdownCallTest {

    @Test
    void callInProgressFinishesWhileTheServerDrains() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh()) {
            Map<String, String> o = new HashMap<>(tdb.overrides());
            o.put("shutdown.drain.timeout.s", "120");
            Path home = Path.of(System.getProperty("voicebot.home", ".."));
            try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), home, o)) {
                SimulatedCaller caller = new SimulatedCaller(sim.replies(List.of("yes", "yes", "four", "no")), 1200,
                        60_000);
                CompletableFuture<Simulation.CallReport> call = CompletableFuture.supplyAsync(() -> {
                    try {
                        return sim.outbound("satisfaction_survey", Map.of("name", "Jo King"), "+15550100020", caller,
                                Duration.ofMinutes(3));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (sim.server().calls().active() == 0) {
                    assertTrue(System.nanoTime() < deadline, "the call never started");
                    Thread.sleep(20);
                }
                CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> sim.server().shutdown());
                while (!sim.server().calls().isDraining()) {
                    Thread.sleep(10);
                }
                // A new call while draining is refused (VOICEBOT_NEXT=error: the hotline dialplan sends it to a person).
                SimulatedCaller late = new SimulatedCaller(List.of(), 1200, 5_000);
                Exception refused = null;
                try {
                    sim.inbound("hotline", "+15550100021", late, Duration.ofSeconds(20));
                } catch (IllegalStateException e) {
                    refused = e; // voicebot never ran AudioSocket for it
                }
                assertTrue(refused != null && refused.getMessage().contains("shutting down"),
                        "late call refused: " + refused);
                assertFalse(shutdown.isDone(), "shutdown waits for the call in progress");

                Simulation.CallReport r = call.get(3, TimeUnit.MINUTES);
                assertEquals("completed", r.outcome(), Simulation.transcript("drained call", r));
                assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "no"),
                        r.answers().stream().collect(java.util.stream.Collectors.toMap(a -> a.questionKey(),
                                a -> a.value())));
                shutdown.get(60, TimeUnit.SECONDS);
                assertEquals(0, sim.server().calls().active());
            }
        }
    }
}
