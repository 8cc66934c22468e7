package io.voicebot;

import io.voicebot.call.ActiveCalls;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/** Start order and graceful shutdown of the real server (H2 or the selected MySQL/MariaDB). */
class VoicebotServerTest {
    TestDatabase tdb;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterEach
    void tearDown() {
        tdb.close();
    }

    VoicebotServer server(int drainSeconds) {
        Map<String, String> o = new HashMap<>(tdb.overrides());
        for (String listener : new String[] {"http", "agi", "audiosocket"}) {
            o.put(listener + ".bind", "127.0.0.1");
            o.put(listener + ".port", "0"); // not the defaults: something may already listen on them
        }
        o.put("shutdown.drain.timeout.s", Integer.toString(drainSeconds));
        return new VoicebotServer(VoicebotConfig.defaults(Path.of(System.getProperty("voicebot.home", ".")), o));
    }

    int health(VoicebotServer s) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void callInProgressIsNotCutAndNewCallsAreRefusedWhileDraining() throws Exception {
        VoicebotServer s = server(60);
        s.start();
        assertEquals(200, health(s));
        ActiveCalls.Handle call = s.calls().tryRegister("call-in-progress").orElseThrow();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(s::shutdown);

        // Shutdown waits for the call: the server keeps serving (health says draining) and refuses new calls.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!s.calls().isDraining() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(s.calls().isDraining());
        assertTrue(s.calls().tryRegister("new-call").isEmpty(), "new call refused during drain");
        assertEquals(503, health(s), "health reports draining");
        assertTrue(s.database().isHealthy(Duration.ofSeconds(2)), "database still open for the call in progress");
        assertFalse(shutdown.isDone());

        call.close();
        shutdown.get(30, TimeUnit.SECONDS);
        assertFalse(s.isRunning());
        assertFalse(s.database().isHealthy(Duration.ofSeconds(1)), "pool closed after the drain");
        s.shutdown(); // a second call (e.g. from the shutdown hook) is harmless
    }

    @Test
    void afterTheDrainTimeoutShutdownProceeds() throws Exception {
        VoicebotServer s = server(1);
        s.start();
        s.calls().tryRegister("stuck-call").orElseThrow();
        long t0 = System.nanoTime();
        CompletableFuture.runAsync(s::shutdown).get(30, TimeUnit.SECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 900, "waited for the drain timeout, took " + ms + " ms");
        assertFalse(s.isRunning());
        assertFalse(s.http().isBound());
    }

    @Test
    void failedStartStopsWhatHadStarted() throws Exception {
        VoicebotServer first = server(0);
        first.start();
        try {
            Map<String, String> o = new HashMap<>(tdb.overrides());
            o.put("http.bind", "127.0.0.1");
            o.put("http.port", Integer.toString(first.httpPort()));
            for (String k : List.of("agi", "audiosocket")) {
                o.put(k + ".bind", "127.0.0.1");
                o.put(k + ".port", "0");
            }
            VoicebotServer clash = new VoicebotServer(VoicebotConfig.defaults(Path.of(System.getProperty("voicebot.home", ".")), o));
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, clash::start);
            assertTrue(e.getMessage().startsWith("cannot listen for HTTP on 127.0.0.1:" + first.httpPort()),
                    e.getMessage());
            assertFalse(clash.database().isHealthy(Duration.ofSeconds(1)), "pool closed after the failed start");
            assertEquals(200, health(first));
        } finally {
            first.shutdown();
        }
    }
}
