package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.Step;
import io.voicebot.store.DialogStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/dialogs, /api/questionnaires and /api/calls over a real socket against a started server. */
class DialogRoutesTest {
    static final String SCRIPT = """
            name: api_check
            description: Uploaded through the API
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

    static TestDatabase tdb;
    static VoicebotServer server;
    static String operator;
    static String agent;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        server = ApiServer.start(tdb);
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

    static List<String> problems(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        ApiServer.json(r).path("problems").forEach(p -> out.add(p.asText()));
        return out;
    }

    static String prompt(Dialog d, String stepId) {
        return ((Step.Ask) d.step(stepId)).prompt();
    }

    @Test
    void uploadedScriptIsStoredAndRunsAtOnce() throws Exception {
        HttpResponse<String> r = send("POST", "/api/dialogs", operator, "application/yaml", SCRIPT);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode b = ApiServer.json(r);
        assertEquals("api_check", b.get("name").asText());
        assertEquals(1, b.get("version").asInt());
        assertTrue(b.get("warnings").isArray());

        Dialog d = server.dialogs().find("api_check").orElseThrow();
        assertEquals("Is everything fine with your account?", prompt(d, "fine"));
        DialogStore.StoredDialog stored = server.dialogStore().findDialog("api_check").orElseThrow();
        assertEquals("yaml", stored.format());
        assertEquals(SCRIPT, stored.body());

        JsonNode list = ApiServer.json(send("GET", "/api/dialogs", agent, null, null)).get("dialogs");
        JsonNode entry = null;
        for (JsonNode n : list) {
            if (n.get("name").asText().equals("api_check")) {
                entry = n;
            }
        }
        assertTrue(entry != null, list.toString());
        assertEquals("database", entry.get("source").asText());
        assertEquals(1, entry.get("version").asInt());
        boolean fileDialogListed = false;
        for (JsonNode n : list) {
            if (n.get("name").asText().equals("satisfaction_survey")) {
                fileDialogListed = n.get("source").asText().equals("file") && n.get("version").isNull();
            }
        }
        assertTrue(fileDialogListed, list.toString());
    }

    @Test
    void jsonScriptIsSniffedWithoutContentType() throws Exception {
        String json = "{\"name\": \"api_json\", \"steps\": [{\"id\": \"bye\", \"hangup\": \"completed\","
                + " \"say\": \"Goodbye.\"}]}";
        HttpResponse<String> r = send("POST", "/api/dialogs", operator, null, json);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("json", server.dialogStore().findDialog("api_json").orElseThrow().format());
        assertEquals(415, send("POST", "/api/dialogs", operator, "text/csv", json).statusCode());
    }

    @Test
    void brokenScriptIs400WithEveryProblemAndChangesNothing() throws Exception {
        String broken = """
                name: api_broken
                steps:
                  - id: first
                    ask: "Pick one"
                    slot: colour
                    volume: loud
                    next: last
                  - id: last
                    hangup: maybe
                """;
        HttpResponse<String> r = send("POST", "/api/dialogs", operator, "application/yaml", broken);
        assertEquals(400, r.statusCode(), r.body());
        List<String> problems = problems(r);
        assertTrue(problems.size() >= 3, problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.startsWith("upload.yaml: ")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("upload.yaml: step 'first': slot: ")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("upload.yaml: step 'first': volume: ")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("upload.yaml: step 'last': hangup: ")),
                problems.toString());
        assertTrue(ApiServer.json(r).get("error").asText().contains(problems.size() + " problem"));
        assertTrue(server.dialogs().find("api_broken").isEmpty());
        assertTrue(server.dialogStore().findDialog("api_broken").isEmpty());

        HttpResponse<String> notYaml = send("POST", "/api/dialogs", operator, "application/yaml", "name: [unclosed");
        assertEquals(400, notYaml.statusCode());
        assertTrue(problems(notYaml).get(0).startsWith("upload.yaml:"), notYaml.body());
        assertEquals(400, send("POST", "/api/dialogs", operator, "application/yaml", "").statusCode());
    }

    @Test
    void uploadNeedsAnOperatorToken() throws Exception {
        HttpResponse<String> none = send("POST", "/api/dialogs", null, "application/yaml", SCRIPT);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, send("POST", "/api/dialogs", "not-a-token", "application/yaml", SCRIPT).statusCode());
        HttpResponse<String> agentTry = send("POST", "/api/dialogs", agent, "application/yaml", SCRIPT);
        assertEquals(403, agentTry.statusCode(), agentTry.body());
        assertEquals(403, send("POST", "/api/questionnaires?name=x", agent, "text/csv", "a").statusCode());
        assertEquals(401, send("GET", "/api/dialogs", null, null, null).statusCode());
    }

    @Test
    void scriptIsViewedAsYamlEditedAndUploadedAgain() throws Exception {
        HttpResponse<String> get = send("GET", "/api/dialogs/satisfaction_survey", agent, null, null);
        assertEquals(200, get.statusCode(), get.body());
        assertTrue(get.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
        String yaml = get.body();
        assertTrue(yaml.startsWith("name: satisfaction_survey\n"), yaml);
        assertTrue(yaml.contains("Would you recommend ${bank_name} to a friend?"), yaml);

        String edited = yaml.replace("Would you recommend ${bank_name} to a friend?",
                "Would you recommend ${bank_name} to your family?");
        HttpResponse<String> put = send("POST", "/api/dialogs", operator, "application/yaml", edited);
        assertEquals(201, put.statusCode(), put.body());
        assertEquals("Would you recommend ${bank_name} to your family?",
                prompt(server.dialogs().get("satisfaction_survey"), "recommend"));
        String again = send("GET", "/api/dialogs/satisfaction_survey", agent, null, null).body();
        assertEquals(edited, again, "the edited script reads back as uploaded (ScriptWriter round trip)");

        assertEquals(404, send("GET", "/api/dialogs/no_such_dialog", agent, null, null).statusCode());
    }

    @Test
    void csvQuestionnaireCompilesIntoACatalogDialog() throws Exception {
        String csv = """
                question,type,choices,required,key
                Was your problem solved?,yes_no,,yes,solved
                "How would you rate us, from one to five?",rating,,yes,score
                """;
        HttpResponse<String> r = send("POST", "/api/questionnaires?name=api_survey", operator, "text/csv", csv);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode b = ApiServer.json(r);
        assertEquals("api_survey", b.get("name").asText());
        String yaml = b.get("dialog").asText();
        assertTrue(yaml.startsWith("name: api_survey\n"), yaml);
        assertTrue(yaml.contains("Was your problem solved?"), yaml);

        Dialog d = server.dialogs().get("api_survey");
        assertEquals("Was your problem solved?", prompt(d, "solved"));
        assertTrue(d.steps().containsKey("score"));
        assertEquals(yaml, server.dialogStore().findDialog("api_survey").orElseThrow().body());
        DialogStore.StoredQuestionnaire q = server.dialogStore().findQuestionnaire("api_survey").orElseThrow();
        assertEquals("csv", q.source());
        assertEquals(csv, q.body());
        assertEquals(server.dialogStore().findDialog("api_survey").orElseThrow().id(), q.dialogId());
        assertEquals(yaml, send("GET", "/api/dialogs/api_survey", agent, null, null).body());
    }

    @Test
    void jsonQuestionnaireTakesTheNameFromTheQuery() throws Exception {
        String json = "{\"name\": \"ignored_name\", \"identity_check\": false, \"questions\": ["
                + "{\"key\": \"happy\", \"text\": \"Are you happy with us?\", \"type\": \"yes_no\"}]}";
        HttpResponse<String> r = send("POST", "/api/questionnaires?name=api_json_survey", operator,
                "application/json", json);
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(server.dialogs().find("api_json_survey").isPresent());
        assertTrue(server.dialogs().find("ignored_name").isEmpty());
        assertEquals("json", server.dialogStore().findQuestionnaire("api_json_survey").orElseThrow().source());
    }

    @Test
    void brokenCsvListsEveryRowAndColumn() throws Exception {
        String csv = """
                question,type,choices,required,key
                Was it good?,yes_nope,,yes,good
                Which card?,choice,Gold,maybe,which
                ,rating,,yes,score
                """;
        HttpResponse<String> r = send("POST", "/api/questionnaires?name=api_bad", operator, "text/csv", csv);
        assertEquals(400, r.statusCode(), r.body());
        List<String> p = problems(r);
        assertTrue(p.contains("api_bad.csv: line 2, column 'type': unknown type 'yes_nope' (one of: yes_no, rating, "
                + "number, choice, date, free_text)"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("api_bad.csv: line 3, column 'required': ")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("api_bad.csv: line 3, column 'choices': ")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("api_bad.csv: line 4, column 'question': ")), p.toString());
        assertEquals(4, p.size(), p.toString());
        assertTrue(server.dialogs().find("api_bad").isEmpty());
        assertTrue(server.dialogStore().findQuestionnaire("api_bad").isEmpty());

        HttpResponse<String> noName = send("POST", "/api/questionnaires", operator, "text/csv", csv);
        assertEquals(400, noName.statusCode());
        assertTrue(ApiServer.json(noName).get("error").asText().contains("'name'"), noName.body());
        HttpResponse<String> badName = send("POST", "/api/questionnaires?name=Bad-Name", operator, "text/csv", csv);
        assertEquals(400, badName.statusCode());
        assertTrue(ApiServer.json(badName).get("error").asText().contains("Bad-Name"), badName.body());
    }

    @Test
    void unknownCallIs404AndAMalformedIdIs400() throws Exception {
        HttpResponse<String> r = send("GET", "/api/calls/" + UUID.randomUUID(), agent, null, null);
        assertEquals(404, r.statusCode(), r.body());
        assertEquals(400, send("GET", "/api/calls/not-a-uuid", agent, null, null).statusCode());
        assertEquals(401, send("GET", "/api/calls/" + UUID.randomUUID(), null, null, null).statusCode());
        assertFalse(send("GET", "/api/calls/" + UUID.randomUUID(), agent, null, null).body().isEmpty());
    }

    /** Issue 13: a word the Sphinx dictionary lacks used to be only logged when speech was prepared. */
    @Test
    void aPhraseWordTheRecognizerCannotSayIsRefusedAtUploadNamingStepAndWord() throws Exception {
        String script = """
                name: api_unspeakable
                steps:
                  - id: pick
                    ask: "Which card?"
                    choices: [gold, platinumish, zorblax]
                    next: bye
                  - id: bye
                    hangup: completed
                """;
        HttpResponse<String> r = send("POST", "/api/dialogs", operator, "application/yaml", script);
        assertEquals(400, r.statusCode(), r.body());
        List<String> problems = problems(r);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("upload.yaml: step 'pick': the sphinx recognizer cannot recognize "
                + "'platinumish', 'zorblax'"), problems.get(0));
        assertEquals(404, send("GET", "/api/dialogs/api_unspeakable", agent, null, null).statusCode(),
                "a refused script is not stored");
        String fixed = script.replace("platinumish, zorblax", "platinum, silver");
        assertEquals(201, send("POST", "/api/dialogs", operator, "application/yaml", fixed).statusCode());

        String csv = "question,type,choices,required,key\nWhich colour?,choice,red|qwxzy,yes,colour\n";
        HttpResponse<String> q = send("POST", "/api/questionnaires?name=api_unspeakable_q", operator, "text/csv", csv);
        assertEquals(400, q.statusCode(), q.body());
        assertTrue(problems(q).get(0).contains("cannot recognize 'qwxzy'"), q.body());
    }
}
