package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.Main;
import io.voicebot.VoicebotServer;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log through the HTTP API and the CLI: each kind of change (tokens, dialogs, questionnaires, lists,
 * campaigns, event types, do-not-call) leaves one entry with who, what and the target; reads and refused changes
 * leave none; a created token's secret is nowhere in the log; GET /api/audit is for admins only, filters and pages.
 */
class AuditLogTest {
    private static final String DIALOG = """
            name: audit_check
            description: Uploaded for the audit test
            steps:
              - id: fine
                ask: "Is everything fine with your account?"
                slot: yes_no
                key: fine
                next: bye
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;

    private static TestDatabase tdb;
    private static VoicebotServer server;
    private static long adminId;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        // no AMI: a started campaign's calls fail to originate, which is not what this test looks at
        server = ApiServer.start(tdb);
        ApiTokenStore.Created a = new ApiTokenStore(server.database(), Clock.systemUTC()).create("root", Role.ADMIN);
        adminId = a.token().id();
        admin = a.secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutdown();
        }
        tdb.close();
    }

    private static HttpResponse<String> send(String method, String path, String token, String type, String body)
            throws Exception {
        return ApiServer.send(server.httpPort(), method, path, token, type, body);
    }

    private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return r.body().isEmpty() ? null : ApiServer.json(r);
    }

    /** Every entry of the log, newest first, walked in pages of 4. */
    private static List<JsonNode> log(String filter) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ok(send("GET", "/api/audit?limit=4" + filter + (cursor == null ? "" : "&cursor=" + cursor),
                    admin, null, null), 200);
            page.path("entries").forEach(out::add);
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return out;
    }

    private static JsonNode only(List<JsonNode> entries, String action) {
        List<JsonNode> hits = entries.stream().filter(e -> e.path("action").asText().equals(action)).toList();
        assertEquals(1, hits.size(), action + " in " + entries);
        return hits.get(0);
    }

    @Test
    void everyKindOfChangeIsLoggedWithWhoWhatAndTarget() throws Exception {
        // admin: an operator token for the changes, and a token to revoke
        JsonNode ops = ok(send("POST", "/api/tokens", admin, "application/json",
                "{\"role\": \"operator\", \"name\": \"ops-desk\"}"), 201);
        String operator = ops.path("token").asText();
        long opsId = ops.path("id").asLong();
        long spare = ok(send("POST", "/api/tokens", admin, "application/json", "{\"role\": \"agent\"}"), 201)
                .path("id").asLong();
        ok(send("DELETE", "/api/tokens/" + spare, admin, null, null), 204);

        ok(send("POST", "/api/dialogs", operator, "application/yaml", DIALOG), 201);
        ok(send("POST", "/api/questionnaires?name=audit_survey", operator, "text/csv",
                "question,type,choices,required,key\nWas your problem solved?,yes_no,,yes,solved\n"), 201);
        long list = ok(send("POST", "/api/lists?name=audit-list", operator, "text/csv",
                "phone,name\n+12025550199,Ann Lee\n"), 201).path("id").asLong();
        long campaign = ok(send("POST", "/api/campaigns", operator, "application/json", """
                {"name": "audit-campaign", "dialog": "audit_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list)), 201).path("id").asLong();
        ok(send("POST", "/api/campaigns/" + campaign + "/start", operator, null, null), 200);
        ok(send("PUT", "/api/event-types/audit_event", operator, "application/json",
                "{\"campaign\": " + campaign + "}"), 200);
        ok(send("DELETE", "/api/event-types/audit_event", operator, null, null), 204);
        ok(send("POST", "/api/campaigns/" + campaign + "/pause", operator, null, null), 200);
        ok(send("POST", "/api/campaigns/" + campaign + "/stop", operator, null, null), 200);
        ok(send("POST", "/api/dnc", operator, "application/json", "{\"phone\": \"+12025550177\"}"), 201);
        ok(send("DELETE", "/api/dnc/" + URLEncoder.encode("+12025550177", StandardCharsets.UTF_8), operator, null,
                null), 204);
        // neither reads nor refused changes are changes
        ok(send("GET", "/api/campaigns/" + campaign, operator, null, null), 200);
        assertEquals(400, send("POST", "/api/dnc", operator, "application/json", "{\"phone\": \"nope\"}").statusCode());
        assertEquals(403, send("POST", "/api/tokens", operator, "application/json", "{\"role\": \"admin\"}")
                .statusCode());

        List<JsonNode> all = log("");
        assertEquals(all.size(), new HashSet<>(all.stream().map(e -> e.path("id").asLong()).toList()).size(),
                "paging repeated an entry");
        JsonNode created = only(all, "DELETE /api/tokens/{id}");
        assertEquals("id=" + spare, created.path("target").asText());
        List<JsonNode> tokenPosts = all.stream().filter(e -> e.path("action").asText().equals("POST /api/tokens"))
                .toList();
        assertEquals(2, tokenPosts.size());
        for (JsonNode e : tokenPosts) {
            assertEquals("root", e.path("actor").asText());
            assertEquals(adminId, e.path("tokenId").asLong());
        }
        assertEquals("id=" + opsId, tokenPosts.get(tokenPosts.size() - 1).path("target").asText());
        String[][] byOperator = {
                {"POST /api/dialogs", "audit_check"},
                {"POST /api/questionnaires", "audit_survey"},
                {"POST /api/lists", "id=" + list},
                {"POST /api/campaigns", "id=" + campaign},
                {"POST /api/campaigns/{id}/start", "id=" + campaign},
                {"PUT /api/event-types/{type}", "type=audit_event"},
                {"DELETE /api/event-types/{type}", "type=audit_event"},
                {"POST /api/campaigns/{id}/pause", "id=" + campaign},
                {"POST /api/campaigns/{id}/stop", "id=" + campaign},
                {"POST /api/dnc", null},
                {"DELETE /api/dnc/{phone}", "phone=+12025550177"}};
        for (String[] x : byOperator) {
            JsonNode e = only(all, x[0]);
            assertEquals("ops-desk", e.path("actor").asText(), x[0]);
            assertEquals(opsId, e.path("tokenId").asLong(), x[0]);
            if (x[1] != null) {
                assertTrue(e.path("target").asText().contains(x[1]), x[0] + ": " + e);
            }
            assertTrue(e.path("detail").path("status").asInt() / 100 == 2, e.toString());
            assertFalse(Instant.parse(e.path("at").asText()).isAfter(Instant.now()));
        }
        assertEquals(2 + 1 + byOperator.length, all.stream().filter(e -> !e.path("actor").asText().equals("cli"))
                .count(), all.toString());
        assertFalse(all.toString().contains(operator), "a token's secret is in the audit log");
        assertFalse(all.stream().anyMatch(e -> e.path("action").asText().startsWith("GET")));

        // filters
        List<JsonNode> starts = log("&action=" + URLEncoder.encode("POST /api/campaigns/{id}/start",
                StandardCharsets.UTF_8));
        assertEquals(1, starts.size());
        assertEquals(List.of(), log("&since=" + Instant.now().plusSeconds(60)));
        assertTrue(log("&since=2020-01-01").size() >= all.size());
        assertEquals(400, send("GET", "/api/audit?since=soon", admin, null, null).statusCode());
        assertEquals(400, send("GET", "/api/audit?limit=9999", admin, null, null).statusCode());
    }

    @Test
    void onlyAdminsReadTheLog() throws Exception {
        assertEquals(403, send("GET", "/api/audit", ApiServer.token(server, Role.OPERATOR), null, null).statusCode());
        assertEquals(403, send("GET", "/api/audit", ApiServer.token(server, Role.AGENT), null, null).statusCode());
        assertEquals(401, send("GET", "/api/audit", null, null, null).statusCode());
        assertEquals(200, send("GET", "/api/audit", admin, null, null).statusCode());
    }

    @Test
    void cliChangesAroundTheApiAreLoggedAsCli() throws Exception {
        Map<String, String> env = new HashMap<>();
        tdb.overrides().forEach((k, v) -> env.put("VOICEBOT_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(List.of("token", "create", "--role", "agent", "--name", "from-shell"), env, ps, ps));
        String secret = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("vb_")).findFirst()
                .orElseThrow();
        long id = new ApiTokenStore(server.database(), Clock.systemUTC()).list().stream()
                .filter(t -> t.name().equals("from-shell")).findFirst().orElseThrow().id();
        assertEquals(0, Main.run(List.of("token", "revoke", String.valueOf(id)), env, ps, ps));
        Path csv = Files.createTempFile("audit-cli", ".csv");
        Files.writeString(csv, "phone,name\n+12025550155,Bo Chan\n");
        assertEquals(0, Main.run(List.of("import-list", csv.toString(), "--name", "cli-list"), env, ps, ps));
        Files.delete(csv);

        List<JsonNode> all = log("");
        JsonNode create = only(all, "cli token create");
        assertEquals("cli", create.path("actor").asText());
        assertTrue(create.path("tokenId").isNull());
        assertEquals("id=" + id, create.path("target").asText());
        assertEquals("id=" + id, only(all, "cli token revoke").path("target").asText());
        JsonNode imported = only(all, "cli import-list");
        assertEquals("cli", imported.path("actor").asText());
        assertEquals("cli-list", imported.path("detail").path("name").asText());
        assertEquals(1, imported.path("detail").path("imported").asInt());
        assertFalse(all.toString().contains(secret));
    }
}
