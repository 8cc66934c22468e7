package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a 9.6 MB call list answered 500 after 35 s. Whatever a large upload holds (one huge value, one line
 * without end, a quote never closed), the answer is a 4xx naming the line, column or limit, and the good rows of
 * a file that is otherwise fine are kept.
 */
class ListUploadLimitFaultTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int BIG = 9_600_000;
    static TestDatabase tdb;
    static VoicebotServer server;
    static String operator;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        server = ApiServer.start(tdb, Map.of("data.dir", dataDir.toString()));
        operator = ApiServer.token(server, Role.OPERATOR);
    }

    @AfterAll
    static void stop() {
        server.shutdown();
        tdb.close();
    }

    static HttpResponse<String> upload(String name, String csv) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/lists?name=" + name)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + operator)
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv.getBytes(StandardCharsets.UTF_8))).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static String big(char c) {
        return String.valueOf(c).repeat(BIG);
    }

    @Test
    void aHugeValueInOneColumnRejectsThatRowAndKeepsTheOthers() throws Exception {
        String csv = "phone,name,timezone\n+12125550101,Ann,\n+12125550102,Bob," + big('x') + "\n+12125550103,Cy,\n";
        HttpResponse<String> r = upload("hugetz", csv);
        assertEquals(201, r.statusCode(), r.body().substring(0, Math.min(500, r.body().length())));
        JsonNode j = ApiServer.json(r);
        assertEquals(2, j.get("imported").asInt());
        assertEquals(1, j.get("rejected").asInt());
        JsonNode rej = j.get("rejections").get(0);
        assertEquals(3, rej.get("line").asInt());
        assertEquals("timezone", rej.get("column").asText());
        assertTrue(rej.get("reason").asText().length() <= 500, rej.get("reason").asText().length() + " chars");
    }

    @Test
    void aHugePhoneValueRejectsThatRow() throws Exception {
        String csv = "phone,name\n+12125550101,Ann\n" + big('9') + ",Bob\n";
        HttpResponse<String> r = upload("hugephone", csv);
        assertEquals(201, r.statusCode(), r.body().substring(0, Math.min(500, r.body().length())));
        JsonNode j = ApiServer.json(r);
        assertEquals(1, j.get("imported").asInt());
        assertEquals(1, j.get("rejected").asInt());
    }

    @Test
    void oneLineWithoutEndIsA400NamingTheLimit() throws Exception {
        HttpResponse<String> r = upload("oneline", "phone,name," + big('a'));
        assertTrue(r.statusCode() == 400 || r.statusCode() == 413, r.statusCode() + " " + r.body());
        String error = ApiServer.json(r).get("error").asText();
        assertTrue(error.contains("line 1"), error);
    }

    @Test
    void aQuoteNeverClosedIsA400NamingItsLine() throws Exception {
        HttpResponse<String> r = upload("unclosed", "phone,name\n+12125550101,Ann\n+12125550102,\"Bob" + big('b'));
        assertEquals(400, r.statusCode(), r.body());
        String error = ApiServer.json(r).get("error").asText();
        assertTrue(error.contains("line 3"), error);
    }
}
