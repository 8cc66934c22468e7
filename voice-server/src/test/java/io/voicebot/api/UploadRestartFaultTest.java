package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.dialog.Dialog;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: "an upload answered 201 can be skipped at the next restart". Every kind of upload answered 201 (a YAML
 * dialog, a JSON dialog, a CSV questionnaire with quotes, colons and non-ASCII text, a call list) is there again
 * after the server is stopped and started on the same database and data directory, with the same content.
 */
class UploadRestartFaultTest {
    static final String JSON_SCRIPT = """
            {"name": "json_check", "description": "JSON: with a colon, \\"quotes\\" and é",
             "steps": [
               {"id": "ok", "ask": "Is ${name} the right person: yes or no?", "slot": "yes_no", "key": "ok",
                "next": "bye"},
               {"id": "bye", "hangup": "completed", "say": "Merci. Goodbye #1!"}]}
            """;
    static final String QUESTIONNAIRE = """
            question,type,choices,required,key
            "Was it solved: yes or no?",yes_no,,yes,solved
            "How would you rate us, from one to five? (5 = ""great"")",rating,,yes,score
            Über alles zufrieden?,yes_no,,no,happy
            """;

    static TestDatabase tdb;
    static VoicebotServer server;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutdown();
        }
        tdb.close();
    }

    static VoicebotServer boot() throws Exception {
        return ApiServer.start(tdb, Map.of("data.dir", dataDir.toString()));
    }

    @Test
    void everyUploadAnswered201IsThereAfterARestart() throws Exception {
        server = boot();
        String operator = ApiServer.token(server, Role.OPERATOR);
        int port = server.httpPort();
        assertEquals(201, ApiServer.send(port, "POST", "/api/dialogs", operator, "application/yaml",
                DialogRoutesTest.SCRIPT).statusCode());
        HttpResponse<String> json = ApiServer.send(port, "POST", "/api/dialogs", operator, "application/json",
                JSON_SCRIPT);
        assertEquals(201, json.statusCode(), json.body());
        HttpResponse<String> q = ApiServer.send(port, "POST", "/api/questionnaires?name=restart_survey", operator,
                "text/csv", QUESTIONNAIRE);
        assertEquals(201, q.statusCode(), q.body());
        HttpResponse<String> list = ApiServer.send(port, "POST", "/api/lists?name=restart_list", operator,
                "text/csv", "phone,name\n+12125550101,Ann\n+12125550102,Bob\n");
        assertEquals(201, list.statusCode(), list.body());
        Map<String, String> before = Map.of(
                "api_check", read(port, operator, "api_check"),
                "json_check", read(port, operator, "json_check"),
                "restart_survey", read(port, operator, "restart_survey"));
        Dialog surveyBefore = server.dialogs().get("restart_survey");

        server.shutdown();
        server = boot();
        operator = ApiServer.token(server, Role.OPERATOR);
        port = server.httpPort();

        for (Map.Entry<String, String> e : before.entrySet()) {
            assertTrue(server.dialogs().find(e.getKey()).isPresent(), e.getKey() + " is not loaded after restart");
            assertEquals(e.getValue(), read(port, operator, e.getKey()), e.getKey() + " changed over the restart");
        }
        Dialog survey = server.dialogs().get("restart_survey");
        assertEquals(surveyBefore.steps().keySet(), survey.steps().keySet());
        assertEquals("Is ${name} the right person: yes or no?",
                ((io.voicebot.dialog.Step.Ask) server.dialogs().get("json_check").step("ok")).prompt());
        JsonNode lists = ApiServer.json(ApiServer.send(port, "GET", "/api/lists", operator, null, null));
        boolean found = false;
        for (JsonNode l : lists.get("lists")) {
            if (l.get("name").asText().equals("restart_list")) {
                found = true;
                assertEquals(2, l.get("imported").asInt(), l.toString());
            }
        }
        assertTrue(found, lists.toString());
    }

    static String read(int port, String token, String name) throws Exception {
        HttpResponse<String> r = ApiServer.send(port, "GET", "/api/dialogs/" + name, token, null, null);
        assertEquals(200, r.statusCode(), name + ": " + r.body());
        return r.body();
    }
}
