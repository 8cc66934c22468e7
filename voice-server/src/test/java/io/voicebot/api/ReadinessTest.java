package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.VoicebotServer;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Database;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET /health (alive) and GET /ready (alive and speech prepared) over HTTP. */
class ReadinessTest {
    @Test
    void readyWaitsForSpeechWhileHealthSaysAlive() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh()) {
            Database db = tdb.database();
            AtomicBoolean speech = new AtomicBoolean(false);
            AtomicBoolean dbUp = new AtomicBoolean(true);
            HealthChecks health = new HealthChecks(() -> dbUp.get() && db.isHealthy(Duration.ofSeconds(2)),
                    () -> false);
            health.readiness("speech", speech::get);
            HttpApi api = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, 4096, 1 << 20),
                    new ApiTokenStore(db, Clock.systemUTC()), new Metrics(), health, new ObjectMapper(), 1,
                    Files.createTempDirectory("voicebot-uploads-"));
            api.start();
            health.listener("http", api::isBound);
            try {
                int port = api.port();
                assertEquals(200, ApiServer.send(port, "GET", "/health", null, null, null).statusCode());
                HttpResponse<String> starting = ApiServer.send(port, "GET", "/ready", null, null, null);
                assertEquals(503, starting.statusCode());
                assertEquals("{\"status\":\"starting\",\"database\":\"up\",\"speech\":\"loading\"}", starting.body());

                speech.set(true);
                HttpResponse<String> ready = ApiServer.send(port, "GET", "/ready", null, null, null);
                assertEquals(200, ready.statusCode(), ready.body());
                assertEquals("{\"status\":\"ready\",\"database\":\"up\",\"speech\":\"ready\"}", ready.body());

                dbUp.set(false); // speech loaded, database gone: not ready, and /health says so too
                HttpResponse<String> down = ApiServer.send(port, "GET", "/ready", null, null, null);
                assertEquals(503, down.statusCode());
                assertEquals("unavailable", ApiServer.json(down).get("status").asText());
                assertEquals("down", ApiServer.json(down).get("database").asText());
                assertEquals(503, ApiServer.send(port, "GET", "/health", null, null, null).statusCode());

                assertEquals(405, ApiServer.send(port, "POST", "/ready", null, "application/json", "{}")
                        .statusCode());
            } finally {
                api.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void theServerBecomesReadyOnceItsDialogsSpeechIsPrepared() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh()) {
            VoicebotServer s = ApiServer.start(tdb);
            try {
                int port = s.httpPort();
                assertEquals(200, ApiServer.send(port, "GET", "/health", null, null, null).statusCode());
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                HttpResponse<String> r = ApiServer.send(port, "GET", "/ready", null, null, null);
                while (r.statusCode() != 200 && System.nanoTime() < deadline) {
                    assertEquals(503, r.statusCode(), r.body());
                    assertEquals("loading", ApiServer.json(r).get("speech").asText(), r.body());
                    Thread.sleep(200); // polling the background preparation, as a load balancer would
                    r = ApiServer.send(port, "GET", "/ready", null, null, null);
                }
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("ready", ApiServer.json(r).get("speech").asText());
                assertEquals(200, ApiServer.send(port, "GET", "/health", null, null, null).statusCode());
            } finally {
                s.shutdown();
            }
        }
    }
}
