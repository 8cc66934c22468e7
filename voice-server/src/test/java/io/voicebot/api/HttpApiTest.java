package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Database;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API over a real socket with real tokens in the selected database. */
class HttpApiTest {
    static TestDatabase tdb;
    static HttpApi api;
    static ApiTokenStore tokens;
    static Metrics metrics = new Metrics();
    static final AtomicBoolean agiBound = new AtomicBoolean(true);
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String admin;
    static String operator;
    static String agent;
    static java.nio.file.Path uploads;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        Database db = tdb.database();
        tokens = new ApiTokenStore(db, Clock.systemUTC());
        HealthChecks health = new HealthChecks(() -> db.isHealthy(Duration.ofSeconds(2)), () -> false);
        uploads = java.nio.file.Files.createTempDirectory("voicebot-uploads-");
        api = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, 4096, 1 << 20), tokens, metrics, health, json, 2,
                uploads);
        api.route("POST", "/api/echo/{what}", Role.AGENT,
                r -> ApiResponse.ok(java.util.Map.of("what", r.pathParam("what"), "body", r.jsonBody())));
        // An upload route: answers with what it found in the file, and where the file was.
        api.upload("POST", "/api/uploads", Role.OPERATOR, r -> {
            java.nio.file.Path f = r.bodyFile().orElseThrow();
            byte[] got = java.nio.file.Files.readAllBytes(f);
            return ApiResponse.created(java.util.Map.of("bytes", got.length, "sha256",
                    java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(got)),
                    "file", f.toString(), "inMemoryBody", r.body().length));
        });
        api.start();
        health.listener("http", api::isBound);
        health.listener("agi", agiBound::get);
        admin = tokens.create("root", Role.ADMIN).secret();
        operator = tokens.create("crm", Role.OPERATOR).secret();
        agent = tokens.create("desk-7", Role.AGENT).secret();
    }

    @AfterAll
    static void stop() throws Exception {
        api.stop(Duration.ofSeconds(5));
        tdb.close();
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }

    @Test
    void healthReportsDatabaseAndListeners() throws Exception {
        HttpResponse<String> ok = send("GET", "/health", null, null);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("{\"status\":\"ok\",\"database\":\"up\",\"listeners\":{\"agi\":\"up\",\"http\":\"up\"}}",
                ok.body());
        agiBound.set(false);
        try {
            HttpResponse<String> down = send("GET", "/health", null, null);
            assertEquals(503, down.statusCode());
            assertEquals("unavailable", body(down).get("status").asText());
            assertEquals("down", body(down).get("listeners").get("agi").asText());
        } finally {
            agiBound.set(true);
        }
        assertEquals(405, send("POST", "/health", null, "{}").statusCode());
    }

    @Test
    void healthIs503WhenTheDatabaseIsDown() throws Exception {
        Database closed = tdb.connectUnmigrated();
        closed.close();
        HealthChecks h = new HealthChecks(() -> closed.isHealthy(Duration.ofSeconds(1)), () -> false);
        HttpApi other = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, 4096, 1 << 20), tokens, new Metrics(), h,
                json, 1, uploads);
        other.start();
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + other.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertEquals("down", body(r).get("database").asText());
        } finally {
            other.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void metricsAreServedInPrometheusFormat() throws Exception {
        send("GET", "/api/whoami", agent, null);
        HttpResponse<String> r = send("GET", "/metrics", null, null);
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.body().contains("# TYPE voicebot_http_requests_total counter\n"), r.body());
        assertTrue(r.body().contains(
                "voicebot_http_requests_total{method=\"GET\",route=\"/api/whoami\",status=\"2xx\"} "), r.body());
        assertTrue(r.body().contains("voicebot_http_request_seconds_bucket{method=\"GET\",route=\"/api/whoami\","
                + "status=\"2xx\",le=\"+Inf\"} "), r.body());
    }

    @Test
    void missingWrongAndRevokedTokensGet401() throws Exception {
        HttpResponse<String> none = send("GET", "/api/whoami", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"voicebot\"", none.headers().firstValue("www-authenticate").orElse(""));
        assertTrue(body(none).get("error").asText().contains("missing bearer token"));

        HttpResponse<String> wrong = send("GET", "/api/whoami", agent + "x", null);
        assertEquals(401, wrong.statusCode());
        assertEquals("Bearer realm=\"voicebot\", error=\"invalid_token\"",
                wrong.headers().firstValue("www-authenticate").orElse(""));

        ApiTokenStore.Created temp = tokens.create("temp", Role.AGENT);
        assertEquals(200, send("GET", "/api/whoami", temp.secret(), null).statusCode());
        HttpResponse<String> del = send("DELETE", "/api/tokens/" + temp.token().id(), admin, null);
        assertEquals(204, del.statusCode(), del.body());
        assertEquals(401, send("GET", "/api/whoami", temp.secret(), null).statusCode());
        assertEquals(404, send("DELETE", "/api/tokens/" + temp.token().id(), admin, null).statusCode());
    }

    @Test
    void whoamiNamesTheToken() throws Exception {
        HttpResponse<String> r = send("GET", "/api/whoami", agent, null);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        assertEquals("desk-7", body(r).get("name").asText());
        assertEquals("agent", body(r).get("role").asText());
    }

    @Test
    void onlyAdminsCreateTokensAndTheNewTokenWorks() throws Exception {
        String req = "{\"role\": \"operator\", \"name\": \"campaign-ui\"}";
        HttpResponse<String> forbidden = send("POST", "/api/tokens", operator, req);
        assertEquals(403, forbidden.statusCode());
        assertEquals("role operator may not POST /api/tokens (needs admin)", body(forbidden).get("error").asText());
        assertEquals(403, send("POST", "/api/tokens", agent, req).statusCode());

        HttpResponse<String> created = send("POST", "/api/tokens", admin, req);
        assertEquals(201, created.statusCode(), created.body());
        String secret = body(created).get("token").asText();
        assertEquals("campaign-ui", body(created).get("name").asText());
        HttpResponse<String> me = send("GET", "/api/whoami", secret, null);
        assertEquals("operator", body(me).get("role").asText());
        assertEquals("campaign-ui", body(me).get("name").asText());

        HttpResponse<String> list = send("GET", "/api/tokens", admin, null);
        assertEquals(200, list.statusCode());
        assertFalse(list.body().contains(secret), "secrets are never listed");
        assertFalse(list.body().contains("hash"), list.body());
    }

    @Test
    void badBodiesGet400WithTheReason() throws Exception {
        HttpResponse<String> malformed = send("POST", "/api/tokens", admin, "{\"role\": \"operator\",\n \"name\" x}");
        assertEquals(400, malformed.statusCode());
        String err = body(malformed).get("error").asText();
        assertTrue(err.startsWith("malformed JSON body: Unexpected character ('x'"), err);
        assertTrue(err.endsWith("at line 2, column 9"), err);

        HttpResponse<String> missing = send("POST", "/api/tokens", admin, "{\"name\": \"n\"}");
        assertEquals(400, missing.statusCode());
        assertEquals("field 'role' is required: one of admin, operator, agent", body(missing).get("error").asText());
        HttpResponse<String> badRole = send("POST", "/api/tokens", admin, "{\"role\": \"root\"}");
        assertEquals("field 'role': role must be one of admin, operator, agent; got 'root'",
                body(badRole).get("error").asText());
        HttpResponse<String> extra = send("POST", "/api/tokens", admin, "{\"role\": \"agent\", \"roles\": 1}");
        assertEquals("unknown field 'roles' (allowed: role, name, expires_at, expires_in)",
                body(extra).get("error").asText());
        assertEquals(400, send("POST", "/api/tokens", admin, "").statusCode());
    }

    @Test
    void unknownRoutesGet404AndWrongMethods405() throws Exception {
        assertEquals(404, send("GET", "/api/nothing-here", admin, null).statusCode());
        assertEquals(404, send("GET", "/", null, null).statusCode());
        HttpResponse<String> r = send("PUT", "/api/tokens", admin, "{}");
        assertEquals(405, r.statusCode());
        assertEquals("GET, POST", r.headers().firstValue("allow").orElse(""));
    }

    @Test
    void routesWithPathParametersReceiveThemAndTheBody() throws Exception {
        HttpResponse<String> r = send("POST", "/api/echo/hello", agent, "{\"a\":[1,2]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("hello", body(r).get("what").asText());
        assertEquals(2, body(r).get("body").get("a").size());
    }

    @Test
    void malformedHttpEndsOnlyThatConnection() throws Exception {
        String reply = raw("NOT A REQUEST\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 400 Bad Request"), reply);
        assertTrue(reply.contains("malformed HTTP request"), reply);
        assertEquals(200, send("GET", "/health", null, null).statusCode(), "server still serves");
    }

    @Test
    void bodiesOverTheLimitAreRefused() throws Exception {
        String big = "{\"role\":\"agent\",\"name\":\"" + "x".repeat(5000) + "\"}";
        String reply = raw("POST /api/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin
                + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n" + big);
        assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String one = "GET /api/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + agent + "\r\n\r\n";
        String two = "GET /api/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String reply = raw(one + two);
        int first = reply.indexOf("HTTP/1.1 200 OK");
        int second = reply.indexOf("HTTP/1.1 404 Not Found");
        assertTrue(first >= 0 && second > first, reply);
    }

    @Test
    void uploadRoutesTakeBodiesLargerThanTheLimitIntoAFileAndDeleteIt() throws Exception {
        byte[] big = new byte[300_000];   // the aggregator's limit here is 4096
        new java.util.Random(7).nextBytes(big);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                        + "/api/uploads")).header("Authorization", "Bearer " + operator)
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(big.length, body(r).get("bytes").asInt());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big)),
                body(r).get("sha256").asText());
        assertEquals(0, body(r).get("inMemoryBody").asInt());
        java.nio.file.Path f = java.nio.file.Path.of(body(r).get("file").asText());
        assertEquals(uploads, f.getParent());
        assertFalse(java.nio.file.Files.exists(f), "deleted once answered");
        // chunked, in pieces, on a kept-alive connection that then serves an ordinary request
        String chunked = "POST /api/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + operator
                + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                + "GET /api/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + agent
                + "\r\nConnection: close\r\n\r\n";
        String reply = raw(chunked);
        assertTrue(reply.startsWith("HTTP/1.1 201 Created"), reply);
        assertTrue(reply.contains("\"bytes\":11"), reply);
        assertTrue(reply.contains("\"name\":\"desk-7\""), reply);
    }

    @Test
    void uploadTokensAreCheckedBeforeTheBodyIsRead() throws Exception {
        // With Expect: 100-continue the client waits: the refusal comes from the headers alone.
        String head = "POST /api/uploads HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n"
                + "Expect: 100-continue\r\n";
        String none = raw(head + "\r\n");
        assertTrue(none.startsWith("HTTP/1.1 401 Unauthorized"), none);
        assertTrue(none.toLowerCase(java.util.Locale.ROOT).contains("www-authenticate: bearer realm=\"voicebot\""),
                none);
        String low = raw(head + "Authorization: Bearer " + agent + "\r\n\r\n");
        assertTrue(low.startsWith("HTTP/1.1 403 Forbidden"), low);
        assertTrue(low.contains("role agent may not POST /api/uploads (needs operator)"), low);
        // Declared larger than http.max.upload.bytes (1 MiB here): 413 before any byte of it.
        String large = raw(head + "Authorization: Bearer " + operator + "\r\n\r\n");
        assertTrue(large.startsWith("HTTP/1.1 413"), large);
        assertTrue(large.contains("upload larger than http.max.upload.bytes (1048576 bytes)"), large);
        // A small body sent without waiting is read and dropped, so the client gets its answer.
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/api/uploads")).POST(HttpRequest.BodyPublishers.ofString("phone\n1\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals("missing bearer token (send Authorization: Bearer <token>)", body(r).get("error").asText());
        assertTrue(send("GET", "/metrics", null, null).body()
                .contains("voicebot_http_requests_total{method=\"POST\",route=\"/api/uploads\",status=\"4xx\"} "));
    }

    @Test
    void anUploadGrowingPastTheLimitIsCutOff() throws Exception {
        // Chunked, so its size is only known as it arrives.
        StringBuilder req = new StringBuilder("POST /api/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + operator + "\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
        String chunk = "x".repeat(65_536);
        for (int i = 0; i < 20; i++) {
            req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        req.append("0\r\n\r\n");
        String reply = raw(req.toString());
        assertTrue(reply.contains("HTTP/1.1 413"), reply.substring(0, Math.min(300, reply.length())));
        try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(uploads)) {
            assertEquals(0, left.count(), "the partial file is removed");
        }
    }

    /** Writes bytes on a fresh connection and reads until the server closes it. */
    private static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            int n;
            while ((n = in.read(b)) >= 0) {
                buf.write(b, 0, n);
            }
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
