package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.call.DialogCatalog;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.Knowledge;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.metrics.Metrics;
import io.voicebot.net.WebhookTargets;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Database;
import io.voicebot.store.DialogStore;
import io.voicebot.store.OutageDatabase;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API on a bad day: the database down (503 with a JSON reason, /health answers within about a second), a
 * body over the limit (413 naming it, in JSON), a token name that would forge log lines, a dialog whose webhook
 * points at the cloud's metadata service or a private address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiFaultTest {
    static OutageDatabase odb;
    static Database db;
    static HttpApi api;
    static String admin;
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        odb = OutageDatabase.start();
        db = odb.connect(Duration.ofSeconds(5)); // the default db.connection.timeout.ms
        ApiTokenStore tokens = new ApiTokenStore(db, Clock.systemUTC());
        HealthChecks health = new HealthChecks(() -> db.isHealthy(Duration.ofSeconds(2)), () -> false);
        api = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, 4096, 1 << 20), tokens, new Metrics(), health,
                json, 2, Files.createTempDirectory("voicebot-uploads-"));
        api.route("POST", "/api/echo", Role.AGENT, r -> ApiResponse.ok(Map.of("body", r.jsonBody())));
        Path home = Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize();
        DialogLoader loader = new DialogLoader(GrammarLibrary.load(home.resolve("grammars")), Knowledge.EMPTY);
        new DialogRoutes(loader, new DialogStore(db, Clock.systemUTC()), new DialogCatalog(Map.of()), d -> { })
                .webhookTargets(WebhookTargets.parse("10.9.0.0/16")).register(api);
        api.start();
        health.listener("http", api::isBound);
        admin = tokens.create("root", Role.ADMIN).secret();
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.stop(Duration.ofSeconds(2));
        }
        if (db != null) {
            db.close();
        }
        if (odb != null) {
            odb.close();
        }
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + admin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void aBodyOverTheLimitIs413WithAJsonBodyNamingTheLimit() throws Exception {
        HttpResponse<String> r = send("POST", "/api/echo", "application/json",
                "{\"x\":\"" + "a".repeat(5000) + "\"}");
        assertEquals(413, r.statusCode());
        JsonNode n = json.readTree(r.body());
        assertEquals(413, n.path("status").asInt());
        assertTrue(n.path("error").asText().contains("4096 bytes (http.max.body.bytes)"), r.body());
    }

    @Test
    @Order(2)
    void anAnonymousBodyIsRefusedBeforeItIsRead() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(5000);
            // declares 10 MB and sends none of it: the answer must not wait for the body
            s.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10000000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 401"), response);
            assertTrue(response.contains("\"error\":\"missing bearer token"), response);
        }
    }

    @Test
    @Order(3)
    void tokenNamesWithControlCharactersAreRefused() throws Exception {
        for (String name : List.of("crm\n12:00:00.000 INFO forged line", "tab\there", "cr\r", "ls\u2028x")) {
            HttpResponse<String> r = send("POST", "/api/tokens", "application/json",
                    json.writeValueAsString(Map.of("role", "agent", "name", name)));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(json.readTree(r.body()).path("error").asText().contains("field 'name' must not contain "
                    + "control characters"), r.body());
        }
        assertEquals(201, send("POST", "/api/tokens", "application/json",
                "{\"role\": \"agent\", \"name\": \"desk 7\"}").statusCode());
    }

    private static String dialog(String url) {
        return """
                name: hook_check
                steps:
                  - id: fetch
                    webhook: "%s"
                    next: bye
                  - id: bye
                    say: "Goodbye."
                    hangup: completed
                """.formatted(url);
    }

    @Test
    @Order(4)
    void aDialogThatLoopsForeverIsRefusedAtUploadNamingTheSteps() throws Exception {
        String loop = """
                name: spinner
                steps:
                  - id: hello
                    say: "Hello."
                    next: again
                  - id: again
                    say: "Still here."
                    next: tick
                  - id: tick
                    set: {n: "1"}
                    next: again
                """;
        HttpResponse<String> r = send("POST", "/api/dialogs", "application/yaml", loop);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("step loop without a question or branch, the call would never leave it: "
                + "again -> tick -> again"), r.body());
        // a question asked again is no such loop
        String asks = """
                name: asker
                steps:
                  - id: q
                    ask: "Yes or no?"
                    key: answer
                    slot: yes_no
                    on: {"yes": bye}
                    next: bye
                    fallback: sorry
                  - id: sorry
                    say: "Sorry."
                    next: q
                  - id: bye
                    say: "Goodbye."
                    hangup: completed
                """;
        HttpResponse<String> ok = send("POST", "/api/dialogs", "application/yaml", asks);
        assertEquals(201, ok.statusCode(), ok.body());
    }

    @Test
    @Order(4)
    void webhooksToInternalAddressesAreRefusedAtUploadNamingTheStep() throws Exception {
        HttpResponse<String> metadata = send("POST", "/api/dialogs", "application/yaml",
                dialog("http://169.254.169.254/latest/meta-data/"));
        assertEquals(400, metadata.statusCode(), metadata.body());
        assertTrue(metadata.body().contains("step 'fetch': webhook: http://169.254.169.254/latest/meta-data/ points "
                + "to a link-local address 169.254.169.254"), metadata.body());
        for (String url : List.of("http://127.0.0.1:8080/api/tokens", "http://10.0.0.5/x", "http://[::1]/x",
                "http://192.168.1.1/", "http://100.64.0.1/")) {
            HttpResponse<String> r = send("POST", "/api/dialogs", "application/yaml", dialog(url));
            assertEquals(400, r.statusCode(), url + ": " + r.body());
            assertTrue(r.body().contains("step 'fetch': webhook: "), r.body());
        }
        // listed in webhook.allow: accepted; a public address: accepted; a URL from a variable: checked at call time
        assertEquals(201, send("POST", "/api/dialogs", "application/yaml", dialog("http://10.9.3.4/balance"))
                .statusCode());
        assertEquals(201, send("POST", "/api/dialogs", "application/yaml", dialog("https://93.184.216.34/x"))
                .statusCode());
    }

    @Test
    @Order(5)
    void withTheDatabaseDownHealthAnswersQuicklyAndTheApiAnswers503() throws Exception {
        odb.cut();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> h = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/health")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, h.statusCode(), h.body());
            assertEquals("down", json.readTree(h.body()).path("database").asText(), h.body());
            assertTrue(ms < 2500, "/health took " + ms + " ms with the database down");

            HttpResponse<String> r = send("GET", "/api/tokens", null, null);
            assertEquals(503, r.statusCode(), r.body());
            JsonNode n = json.readTree(r.body());
            assertEquals("database unavailable, try again later", n.path("error").asText(), r.body());
            assertEquals(503, n.path("status").asInt());
        } finally {
            odb.restore();
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        int status;
        do {
            Thread.sleep(600); // a pooled connection idle for 500 ms is checked before use; H2's broken ones go
            status = send("GET", "/api/tokens", null, null).statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertEquals(200, status, "the API did not recover");
    }
}
