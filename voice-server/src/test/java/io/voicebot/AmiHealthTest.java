package io.voicebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.AmiPeer;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A wrong AMI secret does not stop the server: /health says why AMI is down until a login works. */
class AmiHealthTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthShowsTheAmiLoginFailureUntilTheSecretIsFixed() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh(); AmiPeer asterisk = new AmiPeer("voicebot", "the-real-one")) {
            int amiPort = asterisk.start(0);
            Map<String, String> o = new HashMap<>(tdb.overrides());
            for (String listener : new String[] {"http", "agi", "audiosocket"}) {
                o.put(listener + ".bind", "127.0.0.1");
                o.put(listener + ".port", "0");
            }
            o.put("ami.enabled", "true");
            o.put("ami.port", Integer.toString(amiPort));
            o.put("ami.secret", "a-wrong-one");
            o.put("ami.reconnect.max.backoff.ms", "500");
            o.put("campaign.enabled", "false");
            o.put("shutdown.drain.timeout.s", "1");
            VoicebotServer s = new VoicebotServer(VoicebotConfig.defaults(
                    Path.of(System.getProperty("voicebot.home", ".")), o));
            try {
                s.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (asterisk.connectionCount() < 2) {
                    if (System.nanoTime() > deadline) {
                        fail("the refused login was not retried");
                    }
                    Thread.sleep(20);
                }
                HttpResponse<String> down = health(s);
                assertEquals(503, down.statusCode(), down.body());
                JsonNode body = new ObjectMapper().readTree(down.body());
                assertEquals("unavailable", body.get("status").asText());
                assertEquals("down", body.get("listeners").get("ami").asText());
                assertEquals("authentication failed (check ami.username and ami.secret)",
                        body.get("reasons").get("ami").asText(), down.body());
                assertFalse(down.body().contains("a-wrong-one") || down.body().contains("the-real-one"));

                asterisk.secret("a-wrong-one"); // manager.conf edited and reloaded
                HttpResponse<String> up = health(s);
                while (up.statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    up = health(s);
                }
                assertEquals(200, up.statusCode(), up.body());
                assertTrue(up.body().contains("\"ami\":\"up\"") && !up.body().contains("reasons"), up.body());
            } finally {
                s.shutdown();
            }
        }
    }

    private HttpResponse<String> health(VoicebotServer s) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
