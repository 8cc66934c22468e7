package io.voicebot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.Main;
import io.voicebot.config.Settings;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code voicebot simulate-call} through Main.run with an embedded server; option errors. */
class SimulateCallCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    public record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    public static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static Map<String, String> answers(JsonNode doc) {
        Map<String, String> m = new java.util.HashMap<>();
        doc.get("answers").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    @Test
    void embeddedCallPrintsOneJsonDocument() throws Exception {
        Run r = run(Map.of(), "simulate-call", "--dialog", "satisfaction_survey", "--var", "name=Ann Lee",
                "--say", "yes", "--press", "1", "--say", "four", "--press", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = r.json();
        assertEquals("satisfaction_survey", doc.get("dialog").asText());
        assertEquals("embedded", doc.get("server").asText());
        assertEquals("completed", doc.get("outcome").asText(), r.out());
        assertEquals("hangup", doc.get("dialplan").get("route").asText());
        Map<String, String> a = answers(doc);
        assertEquals("yes", a.get("resolved"), r.out());
        assertEquals("4", a.get("rating"), r.out());
        assertEquals("no", a.get("recommend"), r.out());
        JsonNode turns = doc.get("turns");
        assertEquals("speech", turns.get(0).get("mode").asText(), r.out());
        assertEquals("yes", turns.get(0).get("intent").asText(), r.out());
        assertTrue(turns.get(0).hasNonNull("heard"), r.out());
        assertEquals("dtmf", turns.get(1).get("mode").asText(), r.out());
        assertTrue(turns.get(0).get("prompt").asText().endsWith("Am I speaking with Ann Lee?"), r.out());
        assertTrue(doc.get("callId").asText().matches("[0-9a-f-]{36}"));
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run noDialog = run(Map.of(), "simulate-call", "--say", "yes");
        assertEquals(2, noDialog.code());
        assertTrue(noDialog.err().contains("--dialog NAME is required"), noDialog.err());
        Run badVar = run(Map.of(), "simulate-call", "--dialog", "hotline", "--var", "novalue");
        assertEquals(2, badVar.code());
        assertTrue(badVar.err().contains("--var: 'novalue'"), badVar.err());
        // A number written with separators, as call lists accept it, passes; the missing file is what fails (exit 1).
        Run missingWav = run(Map.of(), "simulate-call", "--dialog", "hotline", "--audio", "/no/such/file.wav",
                "--caller", "+44 20 7946-0018");
        assertEquals(1, missingWav.code());
        assertTrue(missingWav.err().startsWith("voicebot simulate-call: --audio /no/such/file.wav"),
                missingWav.err());
        Run badCaller = run(Map.of(), "simulate-call", "--dialog", "hotline", "--caller", "+44 20 79x6");
        assertEquals(2, badCaller.code());
        assertTrue(badCaller.err().contains("--caller: '+44 20 79x6' is not a phone number"), badCaller.err());
        Run badKeys = run(Map.of(), "simulate-call", "--dialog", "hotline", "--press", "12a");
        assertEquals(2, badKeys.code());
        Run tokenWithoutServer = run(Map.of(), "simulate-call", "--dialog", "hotline", "--token", "x");
        assertEquals(2, tokenWithoutServer.code());
        assertTrue(tokenWithoutServer.err().contains("--token needs --server"), tokenWithoutServer.err());
    }
}
