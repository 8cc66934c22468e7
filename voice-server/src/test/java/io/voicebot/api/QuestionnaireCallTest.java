package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.config.Settings;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: a questionnaire uploaded as CSV through the API is run at once as a call (FastAGI + AudioSocket
 * from the simulated Asterisk, the caller speaking synthesized answers), and GET /api/calls/{id} shows the
 * stored turns and answers.
 */
class QuestionnaireCallTest {

    @Test
    void uploadedQuestionnaireRunsAsACallAndItsAnswersAreStored() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh();
             Simulation sim = Simulation.start(Settings.load(null, Map.of()), ApiServer.home(), tdb.overrides())) {
            int port = sim.server().httpPort();
            String operator = ApiServer.token(sim.server(), Role.OPERATOR);
            String csv = """
                    question,type,choices,required,key
                    Was your problem solved?,yes_no,,yes,solved
                    "How would you rate us, from one to five?",rating,,yes,score
                    """;
            HttpResponse<String> up = ApiServer.send(port, "POST", "/api/questionnaires?name=branch_check", operator,
                    "text/csv", csv);
            assertEquals(201, up.statusCode(), up.body());

            // identity check, the two questions; a last "yes" covers a read-back of a low-confidence rating.
            SimulatedCaller caller = new SimulatedCaller(sim.replies(List.of("yes", "yes", "four", "yes")), 1200,
                    30_000);
            Simulation.CallReport report = sim.outbound("branch_check", Map.of("name", "Ann Lee"), "+15550104477",
                    caller, Duration.ofMinutes(3));

            HttpResponse<String> get = ApiServer.send(port, "GET", "/api/calls/" + report.id(),
                    ApiServer.token(sim.server(), Role.AGENT), null, null);
            assertEquals(200, get.statusCode(), get.body());
            JsonNode call = ApiServer.json(get);
            assertEquals(report.id().toString(), call.get("id").asText());
            assertEquals("branch_check", call.get("dialog").asText());
            assertEquals("outbound", call.get("direction").asText());
            assertEquals("+15550104477", call.get("calledNumber").asText(), "numbers are not masked in the API");
            assertEquals("completed", call.get("outcome").asText(), get.body() + "\ncaller: " + report.callerEvents());
            Map<String, String> answers = new HashMap<>();
            call.get("answers").forEach(a -> answers.put(a.get("key").asText(), a.get("value").asText()));
            assertEquals("yes", answers.get("solved"), get.body());
            assertEquals("4", answers.get("score"), get.body());

            JsonNode turns = call.get("turns");
            assertTrue(turns.size() >= 3, get.body());
            assertEquals(1, turns.get(0).get("seq").asInt());
            assertEquals("Hello, this is a short automated survey. Am I speaking with Ann Lee?",
                    turns.get(0).get("prompt").asText());
            assertEquals("yes", turns.get(0).get("intent").asText(), get.body());
            assertTrue(turns.get(0).hasNonNull("transcript"), get.body());
            assertEquals("speech", turns.get(0).get("inputMode").asText());
            assertEquals("Was your problem solved?", turns.get(1).get("prompt").asText());
            assertTrue(turns.get(0).get("promptMs").asInt() > 0, get.body());
            assertTrue(turns.get(0).hasNonNull("startedAt"));
        }
    }
}
