package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.log.PhoneMask;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/lists and /api/dnc over a real socket against a started server. */
class ListRoutesTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static TestDatabase tdb;
    static VoicebotServer server;
    static String operator;
    static String agent;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        // A small in-memory body limit: list uploads must not be bound by it.
        server = ApiServer.start(tdb, Map.of("http.max.body.bytes", "65536", "data.dir", dataDir.toString()));
        operator = ApiServer.token(server, Role.OPERATOR);
        agent = ApiServer.token(server, Role.AGENT);
    }

    @AfterAll
    static void stop() {
        server.shutdown();
        tdb.close();
    }

    static HttpResponse<String> send(String method, String path, String token, String type, String body)
            throws Exception {
        return ApiServer.send(server.httpPort(), method, path, token, type, body);
    }

    static HttpResponse<String> upload(String query, String token, byte[] csv) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/lists?" + query)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return ApiServer.json(r);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void anUploadedListIsImportedAndReadBack() throws Exception {
        String csv = "Phone;Name;Amount;Due Date\r\n"
                + "(212) 555-0100;Ann Lee;120,50;2024-07-01\r\n"
                + "555-0100;Bob;10;2024-07-01\r\n"
                + "907 555 0100;Cid;;2024-07-02\r\n"
                + "212.555.0100;Ann again;1;2024-07-03\r\n"
                + "+44 121 234 5678;Dee;7;2024-07-04\r\n";
        HttpResponse<String> r = upload("name=march&dialog=payment_reminder", operator,
                csv.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode b = json(r);
        long id = b.get("id").asLong();
        assertEquals("march", b.get("name").asText());
        assertEquals(List.of(5, 2, 3, 1, 0), List.of(b.get("rows").asInt(), b.get("imported").asInt(),
                b.get("rejected").asInt(), b.get("duplicates").asInt(), b.get("do_not_call").asInt()));
        assertEquals("semicolon", b.get("delimiter").asText());
        assertEquals(List.of("3 Phone: is a local number: add the area code",
                        "4 Amount: is empty; dialog 'payment_reminder' needs the contact field 'amount'",
                        "5 Phone: duplicate of line 2"), rejectionLines(b.get("rejections")));
        assertFalse(b.get("rejections_truncated").asBoolean());

        JsonNode one = json(send("GET", "/api/lists/" + id, agent, null, null));
        assertEquals("ready", one.get("state").asText());
        assertEquals("payment_reminder", one.get("dialog").asText());
        assertEquals(List.of("amount", "due_date"), strings(one.get("fields")));
        assertEquals(List.of(5, 2, 3), List.of(one.get("rows").asInt(), one.get("imported").asInt(),
                one.get("rejected").asInt()));
        assertTrue(texts(json(send("GET", "/api/lists", agent, null, null)).get("lists"), "name").contains("march"));

        JsonNode full = json(send("GET", "/api/lists/" + id + "/contacts?limit=1", operator, null, null));
        assertEquals("+12125550100", full.get("contacts").get(0).get("phone").asText());
        assertEquals("America/New_York", full.get("contacts").get(0).get("timezone").asText());
        assertEquals("120,50", full.get("contacts").get(0).get("fields").get("amount").asText());
        long next = full.get("next").asLong();
        JsonNode rest = json(send("GET", "/api/lists/" + id + "/contacts?after=" + next, operator, null, null));
        assertEquals(List.of("+441212345678"), texts(rest.get("contacts"), "phone"));
        JsonNode masked = json(send("GET", "/api/lists/" + id + "/contacts", agent, null, null));
        assertEquals(List.of(PhoneMask.mask("+12125550100"), PhoneMask.mask("+441212345678")),
                texts(masked.get("contacts"), "phone"), "agents see the last four digits");
        assertFalse(masked.toString().contains("2125550100"), masked.toString());

        JsonNode page = json(send("GET", "/api/lists/" + id + "/rejections?limit=2", agent, null, null));
        assertEquals(List.of("3", "4"), texts(page.get("rejections"), "line"));
        JsonNode page2 = json(send("GET", "/api/lists/" + id + "/rejections?after=" + page.get("next").asLong(),
                agent, null, null));
        assertEquals(List.of("5"), texts(page2.get("rejections"), "line"));

        assertEquals(404, send("GET", "/api/lists/999999", agent, null, null).statusCode());
        assertEquals(400, send("GET", "/api/lists/abc/contacts", agent, null, null).statusCode());
        assertEquals("query parameter 'limit' must be 1 to 1000, got '5000'", json(send("GET", "/api/lists/" + id
                + "/contacts?limit=5000", agent, null, null)).get("error").asText());
        assertEquals(409, upload("name=march", operator, csv.getBytes(StandardCharsets.UTF_8)).statusCode(),
                "the name is taken");
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> rejectionLines(JsonNode rejections) {
        List<String> out = new ArrayList<>();
        rejections.forEach(n -> out.add(n.get("line").asText() + " " + n.get("column").asText() + ": "
                + n.get("reason").asText()));
        return out;
    }

    @Test
    void aListLargerThanTheRequestBodyLimitStreamsIn() throws Exception {
        StringBuilder csv = new StringBuilder("phone,name,note\n");
        for (int i = 0; i < 12_000; i++) {
            csv.append(String.format("+1212%07d,Customer %d,%s%n", 2_000_000 + i, i, "x".repeat(40)));
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(body.length > 10 * 65536, "well over http.max.body.bytes");
        HttpResponse<String> r = upload("name=big", operator, body);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(12_000, json(r).get("imported").asInt());
        try (var left = Files.list(dataDir.resolve("uploads"))) {
            assertEquals(0, left.count(), "the spooled body is deleted");
        }
    }

    @Test
    void theAnswerListsAtMostTenThousandRejections() throws Exception {
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < 10_003; i++) {
            csv.append("12\n");
        }
        JsonNode b = json(upload("name=all_bad", operator, csv.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(10_003, b.get("rejected").asInt());
        assertEquals(10_000, b.get("rejections").size());
        assertTrue(b.get("rejections_truncated").asBoolean());
        assertEquals(10_001, b.get("rejections").get(9_999).get("line").asInt());
    }

    @Test
    void badUploadsSayWhatIsWrong() throws Exception {
        byte[] ok = "phone\n2125550100\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("query parameter 'name' is required (?name=march_reminders)",
                json(upload("region=US", operator, ok)).get("error").asText());
        assertEquals("query parameter 'region': 'XX' is not a region code (ISO 3166 alpha-2, e.g. US, GB, DE)",
                json(upload("name=x&region=XX", operator, ok)).get("error").asText());
        assertTrue(json(upload("name=x&dialog=nope", operator, ok)).get("error").asText()
                .startsWith("query parameter 'dialog': no dialog named 'nope' (known: "));
        HttpResponse<String> header = upload("name=x&dialog=payment_reminder", operator, ok);
        assertEquals(400, header.statusCode());
        assertEquals(List.of("upload.csv: line 1: no column for the contact field 'amount', which the dialog needs",
                        "upload.csv: line 1: no column for the contact field 'due_date', which the dialog needs",
                        "upload.csv: line 1: no column for the contact field 'name', which the dialog needs"),
                strings(json(header).get("problems")));
        assertEquals("list rejected: 3 problems", json(header).get("error").asText());
        assertEquals(400, upload("name=x", operator, new byte[0]).statusCode());
        assertEquals(415, send("POST", "/api/lists?name=x", operator, "application/json", "{}").statusCode());
        assertEquals(403, upload("name=x", agent, ok).statusCode());
        assertEquals(401, upload("name=x", null, ok).statusCode());
        assertTrue(json(send("GET", "/api/lists", agent, null, null)).get("lists").findValuesAsText("name")
                .stream().noneMatch("x"::equals), "no list was made");
    }

    @Test
    void doNotCallEntriesAreAddedPagedRemovedAndKeepNumbersOffLists() throws Exception {
        HttpResponse<String> added = send("POST", "/api/dnc", agent, "application/json",
                "{\"phone\": \"(310) 555-0199\", \"reason\": \"asked on the phone\"}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals("+13105550199", json(added).get("phone").asText());
        assertEquals("api", json(added).get("source").asText());
        HttpResponse<String> again = send("POST", "/api/dnc", agent, "application/json",
                "{\"phone\": \"+1 310 555 0199\"}");
        assertEquals(200, again.statusCode());
        assertFalse(json(again).get("changed").asBoolean());
        assertEquals("asked on the phone", json(again).get("reason").asText(), "the first entry is kept");
        assertEquals(201, send("POST", "/api/dnc", agent, "application/json",
                "{\"phone\": \"+12125550111\", \"expires_at\": \"2099-01-31T00:00:00Z\"}").statusCode());

        assertEquals("field 'phone': is not a valid number for region US", json(send("POST", "/api/dnc", agent,
                "application/json", "{\"phone\": \"+1 555 010 0003\"}")).get("error").asText());
        assertEquals("field 'phone' is required: the number, e.g. \"+12125550100\"", json(send("POST", "/api/dnc",
                agent, "application/json", "{\"reason\": \"x\"}")).get("error").asText());
        assertEquals("unknown field 'until' (allowed: phone, reason, expires_at)", json(send("POST", "/api/dnc", agent,
                "application/json", "{\"phone\": \"2125550100\", \"until\": \"x\"}")).get("error").asText());
        assertEquals("field 'expires_at' must be in the future, got 2000-01-01T00:00:00Z", json(send("POST",
                "/api/dnc", agent, "application/json", "{\"phone\": \"2125550100\", \"expires_at\": "
                        + "\"2000-01-01T00:00:00Z\"}")).get("error").asText());

        assertEquals(403, send("GET", "/api/dnc", agent, null, null).statusCode());
        JsonNode p1 = json(send("GET", "/api/dnc?limit=1", operator, null, null));
        assertEquals(List.of("+12125550111"), p1.get("entries").findValuesAsText("phone"));
        assertEquals("2099-01-31T00:00:00Z", p1.get("entries").get(0).get("expires_at").asText());
        JsonNode p2 = json(send("GET", "/api/dnc?after=" + p1.get("next").asText().replace("+", "%2B"), operator,
                null, null));
        assertEquals(List.of("+13105550199"), p2.get("entries").findValuesAsText("phone"));

        JsonNode list = json(upload("name=with_dnc", operator, "phone\n310-555-0199\n212-555-0100\n"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, list.get("do_not_call").asInt());
        assertEquals("is on the do-not-call list", list.get("rejections").get(0).get("reason").asText());

        assertEquals(403, send("DELETE", "/api/dnc/+12125550111", agent, null, null).statusCode());
        assertEquals(204, send("DELETE", "/api/dnc/+12125550111", operator, null, null).statusCode());
        assertEquals(404, send("DELETE", "/api/dnc/+12125550111", operator, null, null).statusCode());
        assertFalse(server.dncStore().find("+12125550111").isPresent());
    }
}
