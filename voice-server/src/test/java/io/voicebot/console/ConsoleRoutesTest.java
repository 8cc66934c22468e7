package io.voicebot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's server side through HTTP: its files under /console (types, security headers, nothing outside
 * the folder), the dashboard summary before and after a call, and test calls placed through the server's own
 * FastAGI and AudioSocket listeners, with their input checked field by field.
 */
class ConsoleRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DIALOG = """
            name: console_probe
            description: one question
            steps:
              - id: identity
                ask: "Am I speaking with ${name}?"
                slot: yes_no
                key: identity_confirmed
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;

    private static SimulationFixture fixture;
    private static Simulation sim;
    private static String operator;
    private static String agent;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("console-routes", Map.of("console_probe", DIALOG));
        sim = fixture.simulation();
        ApiTokenStore tokens = new ApiTokenStore(sim.server().database(), Clock.systemUTC());
        operator = tokens.create("operator", Role.OPERATOR).secret();
        agent = tokens.create("agent", Role.AGENT).secret();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                + path)).timeout(Duration.ofSeconds(30)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void consoleFilesAreServedWithTheirTypesAndNothingOutsideTheirFolder() throws Exception {
        HttpResponse<String> bare = send("GET", "/console", null, null);
        assertEquals(301, bare.statusCode());
        assertEquals("/console/", bare.headers().firstValue("Location").orElse(""));
        HttpResponse<String> index = send("GET", "/console/", null, null);
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(index.body().contains("<script type=\"module\" src=\"js/app.js\">"), index.body());
        String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("media-src 'self' blob:"), csp);
        HttpResponse<String> js = send("GET", "/console/js/pages/campaigns.js", null, null);
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("/api/campaigns"));
        assertEquals("text/css; charset=utf-8", send("GET", "/console/console.css", null, null).headers()
                .firstValue("Content-Type").orElse(""));
        for (String bad : new String[] {"/console/../logback.xml", "/console/%2e%2e/logback.xml",
                "/console/js/../../logback.xml", "/console/nothing.js", "/console/.hidden.js"}) {
            HttpResponse<String> r = send("GET", bad, null, null);
            assertEquals(404, r.statusCode(), bad + ": " + r.body());
            assertTrue(r.body().contains("no such page"), r.body());
        }
        HttpResponse<String> head = send("HEAD", "/console/", null, null);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(index.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                head.headers().firstValue("Content-Length").orElse(""));
        assertEquals("", head.body());
        HttpResponse<String> post = send("POST", "/console/", operator, "{}");
        assertEquals(405, post.statusCode());
    }

    @Test
    void testCallsAreCheckedThenRunAndTheDashboardCountsThem() throws Exception {
        HttpResponse<String> before = send("GET", "/api/console/summary", agent, null);
        assertEquals(200, before.statusCode(), before.body());
        JsonNode s0 = JSON.readTree(before.body());
        assertEquals(0, s0.get("calls_in_progress").asInt());
        assertEquals(30, s0.get("calls_per_minute").size());
        int today0 = s0.get("calls_today").asInt();

        assertEquals(403, send("POST", "/api/dialogs/console_probe/test-calls", agent, "{}").statusCode());
        HttpResponse<String> missing = send("POST", "/api/dialogs/no_such_dialog/test-calls", operator, "{}");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("no dialog named 'no_such_dialog'"), missing.body());
        HttpResponse<String> bad = send("POST", "/api/dialogs/console_probe/test-calls", operator,
                "{\"replies\": [\"yes\", \"#1x\", 3], \"variables\": {\"Bad Name\": \"x\"}, \"colour\": 1}");
        assertEquals(400, bad.statusCode(), bad.body());
        JsonNode problems = JSON.readTree(bad.body()).get("problems");
        String all = problems.toString();
        assertEquals(4, problems.size(), all);
        assertTrue(all.contains("replies[1]") && all.contains("replies[2]") && all.contains("variables.Bad Name")
                && all.contains("colour: unknown field"), all);

        HttpResponse<String> started = send("POST", "/api/dialogs/console_probe/test-calls", operator,
                "{\"replies\": [\"yes\"], \"variables\": {\"name\": \"Ann Lee\"}}");
        assertEquals(202, started.statusCode(), started.body());
        String id = JSON.readTree(started.body()).get("id").asText();
        JsonNode status;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        do {
            Thread.sleep(250);
            status = JSON.readTree(send("GET", "/api/test-calls/" + id, operator, null).body());
            assertTrue(System.nanoTime() < deadline, "test call still " + status);
        } while (status.get("state").asText().matches("queued|running"));
        assertEquals("done", status.get("state").asText(), status.toString());
        JsonNode call = JSON.readTree(send("GET", "/api/calls/" + status.get("callId").asText(), agent, null)
                .body());
        assertEquals("completed", call.get("outcome").asText(), call.toString());
        assertEquals("Am I speaking with Ann Lee?", call.get("turns").get(0).get("prompt").asText());
        assertEquals("yes", call.get("answers").get(0).get("value").asText(), call.toString());
        assertEquals(404, send("GET", "/api/test-calls/nope", operator, null).statusCode());

        JsonNode s1 = JSON.readTree(send("GET", "/api/console/summary", agent, null).body());
        assertEquals(today0 + 1, s1.get("calls_today").asInt(), s1.toString());
        assertEquals(1, s1.get("outcomes_today").path("completed").asInt(), s1.toString());
        int perMinute = 0;
        for (JsonNode n : s1.get("calls_per_minute")) {
            perMinute += n.asInt();
        }
        assertEquals(1, perMinute, s1.toString());
        JsonNode lat = s1.get("turn_latency");
        assertTrue(lat.get("turns").asInt() >= 1, s1.toString());
        assertTrue(lat.get("average_ms").asLong() > 0 && lat.get("p95_ms").asLong() >= lat.get("average_ms")
                .asLong() / 2 && lat.get("max_ms").asLong() >= lat.get("p95_ms").asLong(), s1.toString());
    }
}
