package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 6: a request that sends some bearer token has the token looked up from its headers before any of
 * its body is read. A bogus token with a 10 MB body is answered 401 and the connection closed while almost all of
 * the body is still unsent — the server cannot have buffered it. A valid token's body still arrives whole.
 */
class AuthBeforeBodyFaultTest {
    static final int TEN_MB = 10 * 1024 * 1024;
    static TestDatabase tdb;
    static HttpApi api;
    static String agent;
    static String operator;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        ApiTokenStore tokens = new ApiTokenStore(tdb.database(), Clock.systemUTC());
        api = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, TEN_MB, TEN_MB), tokens, new Metrics(),
                new HealthChecks(() -> true, () -> false), new ObjectMapper(), 2,
                Files.createTempDirectory("voicebot-uploads-"));
        api.route("POST", "/api/echo", Role.AGENT, r -> ApiResponse.ok(Map.of("bytes", r.body().length)));
        api.route("POST", "/api/admin-echo", Role.ADMIN, r -> ApiResponse.ok(Map.of("bytes", r.body().length)));
        api.start();
        agent = tokens.create("agent", Role.AGENT).secret();
        operator = tokens.create("operator", Role.OPERATOR).secret();
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.stop(Duration.ofSeconds(2));
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    static String head(String path, String token, long length) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                + token + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    /** Sends the head and the first 64 KB of a 10 MB body, then reads the answer without sending more. */
    static String refusedEarly(String path, String token) throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(head(path, token, TEN_MB).getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            // before the fix this read timed out: the server waited for the other 9.9 MB
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response; // readAllBytes returned: the server closed the connection
        }
    }

    @Test
    void aBogusTokenWithALargeBodyIs401BeforeTheBodyIsRead() throws Exception {
        String r = refusedEarly("/api/echo", "vb_" + "x".repeat(43));
        assertTrue(r.startsWith("HTTP/1.1 401"), r);
        assertTrue(r.contains("\"error\":\"invalid or revoked token\""), r);
        assertTrue(r.contains("\"status\":401"), r);
        assertTrue(r.toLowerCase().contains("connection: close"), r);
    }

    @Test
    void fortyClientsWithBogusTokensAreAllRefusedWithoutSendingTheirBodies() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String token = "vb_bogus" + i;
                answers.add(pool.submit(() -> refusedEarly("/api/echo", token)));
            }
            for (Future<String> f : answers) {
                String r = f.get();
                assertTrue(r.startsWith("HTTP/1.1 401"), r);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenWhoseRoleIsTooLowIs403BeforeTheBodyIsRead() throws Exception {
        String r = refusedEarly("/api/admin-echo", operator);
        assertTrue(r.startsWith("HTTP/1.1 403"), r);
        assertTrue(r.contains("role operator may not POST /api/admin-echo (needs admin)"), r);
    }

    @Test
    void aValidTokensBodyArrivesWholeEvenInPiecesAndPipelined() throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(10000);
            OutputStream out = s.getOutputStream();
            int len = 3 * 1024 * 1024;
            byte[] body = "[\"x\"]".getBytes(StandardCharsets.US_ASCII);
            out.write(head("/api/echo", agent, len).getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            Thread.sleep(200); // the token is looked up meanwhile; the rest comes after
            byte[] rest = new byte[len - 1000];
            java.util.Arrays.fill(rest, (byte) ' ');
            System.arraycopy(body, 0, rest, rest.length - body.length, body.length);
            out.write(rest);
            // and a second request right behind, in the same stream
            out.write((head("/api/echo", agent, body.length)).getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String first = readResponse(in);
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertTrue(first.endsWith("{\"bytes\":" + len + "}"), first);
            String second = readResponse(in);
            assertTrue(second.startsWith("HTTP/1.1 200"), second);
            assertTrue(second.endsWith("{\"bytes\":" + body.length + "}"), second);
        }
    }

    @Test
    void aRequestWithoutABodyStillGetsItsAnswer() throws Exception {
        var r = ApiServer.send(api.port(), "GET", "/api/whoami", agent, null, null);
        assertEquals(200, r.statusCode(), r.body());
        var bogus = ApiServer.send(api.port(), "GET", "/api/whoami", "vb_nope", null, null);
        assertEquals(401, bogus.statusCode());
    }

    /** One HTTP/1.1 response with a Content-Length body. */
    static String readResponse(InputStream in) throws Exception {
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after: " + headers);
            }
            headers.append((char) b);
        }
        int length = 0;
        for (String line : headers.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
