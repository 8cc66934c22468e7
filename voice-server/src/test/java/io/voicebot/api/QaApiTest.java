package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transcript QA over real simulated calls: a caller who speaks over the recording notice and one who complains are
 * flagged with the rule and the turn; a clean call is checked and not flagged; bad rules are refused naming the
 * field, and the rules in force stay.
 */
class QaApiTest {
    private static final String DIALOG = """
            name: qa_check
            description: one notice, two questions
            steps:
              - id: greeting
                ask: "Hello. This call is recorded for quality purposes. Do you have a minute? Please say yes or no."
                slot: yes_no
                key: has_minute
                on: {"yes": topic, "no": bye}
              - id: topic
                ask: "Would you like to make a complaint, or is everything fine?"
                slot: choice
                choices: ["make a complaint", "everything is fine"]
                key: topic
                next: bye
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;
    private static final String RULES = """
            rules:
              - {name: recording_notice, kind: required_disclosure, text: "This call is recorded for quality purposes"}
              - {name: complaint, kind: caller_words, phrases: ["complaint", "supervisor"]}
              - {name: no_guarantees, kind: prohibited_phrase, phrases: ["guaranteed"]}
              - {name: not_understood, kind: repeated_no_match, count: 3}
              - {name: dead_air, kind: long_silence, max_ms: 20000}
            """;

    /** Without answering-machine detection a barge-in stops the prompt at once (with it, not before the verdict). */
    private static final AttemptStore.MachinePolicy NO_AMD =
            new AttemptStore.MachinePolicy(AttemptStore.MachinePolicy.Action.OFF, null, 30);

    private static SimulationFixture fixture;
    private static Simulation sim;
    private static String operator;
    private static String agent;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("qa-test", Map.of("qa_check", DIALOG));
        sim = fixture.simulation();
        operator = ApiServer.token(sim.server(), Role.OPERATOR);
        agent = ApiServer.token(sim.server(), Role.AGENT);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        return ApiServer.send(sim.server().httpPort(), method, path, token, body == null ? null : "application/yaml",
                body);
    }

    @Test
    void flagsASkippedDisclosureAndAComplaintButNotACleanCall() throws Exception {
        HttpResponse<String> put = api("PUT", "/api/qa/rules", operator, RULES);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(5, ApiServer.json(put).path("rules").size());

        // three calls at once, as they would come in a campaign
        SimulatedCaller overNotice = new SimulatedCaller(List.of(new Reply.BargeIn("yes", sim.voice("yes"), 700),
                new Reply.Speak("everything is fine", sim.voice("everything is fine"))), 1200, 30_000);
        SimulatedCaller complains = new SimulatedCaller(sim.replies(List.of("yes", "make a complaint")), 1200, 30_000);
        SimulatedCaller fine = new SimulatedCaller(sim.replies(List.of("yes", "everything is fine")), 1200, 30_000);
        CompletableFuture<Simulation.CallReport> a = call("+12025550201", "Ann Lee", overNotice);
        CompletableFuture<Simulation.CallReport> b = call("+12025550202", "Bo Li", complains);
        CompletableFuture<Simulation.CallReport> c = call("+12025550203", "Cy Ho", fine);
        Simulation.CallReport skipped = a.get(3, TimeUnit.MINUTES);
        Simulation.CallReport complaint = b.get(3, TimeUnit.MINUTES);
        Simulation.CallReport clean = c.get(3, TimeUnit.MINUTES);
        for (Simulation.CallReport r : List.of(skipped, complaint, clean)) {
            assertEquals("completed", r.outcome(), r.turns() + "\n" + r.callerEvents());
        }
        long skippedCampaign = campaignOf(skipped);
        long complaintCampaign = campaignOf(complaint);
        long cleanCampaign = campaignOf(clean);
        for (long id : List.of(skippedCampaign, complaintCampaign, cleanCampaign)) {
            awaitChecked(id);
        }

        // the notice was cut by the caller's barge-in, on the first turn
        JsonNode notice = flags("?rule=recording_notice");
        assertEquals(1, notice.size(), notice.toString());
        assertEquals(skipped.id().toString(), notice.get(0).path("call").asText());
        assertEquals(skippedCampaign, notice.get(0).path("campaign_id").asLong());
        assertEquals("required_disclosure", notice.get(0).path("kind").asText());
        assertEquals(1, notice.get(0).path("turn").asInt(), notice.toString());
        assertTrue(notice.get(0).path("detail").asText().contains("the caller spoke over it"), notice.toString());

        JsonNode complained = flags("?rule=complaint");
        assertEquals(1, complained.size(), complained.toString());
        assertEquals(complaint.id().toString(), complained.get(0).path("call").asText());
        int turn = complained.get(0).path("turn").asInt();
        CallTurn t = turnOf(complaint, turn);
        assertEquals("topic", t.step, complained.toString());
        assertTrue(t.transcript.contains("complaint"), t.transcript);

        // nothing else was flagged: the clean call was checked and passed every rule
        JsonNode all = flags("");
        assertEquals(2, all.size(), all.toString());
        assertEquals(0, flags("?campaign=" + cleanCampaign).size());
        JsonNode cleanSummary = ApiServer.json(api("GET", "/api/campaigns/" + cleanCampaign + "/qa", agent, null));
        assertEquals(1, cleanSummary.path("checked").asInt(), cleanSummary.toString());
        assertEquals(0, cleanSummary.path("flagged").asInt(), cleanSummary.toString());
        JsonNode skippedSummary = ApiServer.json(api("GET", "/api/campaigns/" + skippedCampaign + "/qa", agent, null));
        assertEquals(1, skippedSummary.path("flagged").asInt(), skippedSummary.toString());
        assertEquals(1, skippedSummary.path("per_rule").path("recording_notice").asInt(), skippedSummary.toString());
        assertEquals(0, flags("?since=2099-01-01T00:00:00Z").size());
        assertEquals(1, flags("?limit=1").size());
        assertEquals(400, api("GET", "/api/qa?since=yesterday", agent, null).statusCode());
    }

    @Test
    void badRulesAreRefusedNamingTheFieldAndTheRulesInForceStay() throws Exception {
        HttpResponse<String> ok = api("PUT", "/api/qa/rules", operator,
                "rules:\n  - {name: complaint, kind: caller_words, phrases: [complaint]}\n");
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> bad = api("PUT", "/api/qa/rules", operator, """
                rules:
                  - {name: notice, kind: required_disclosure}
                  - {name: words, kind: swearing, phrases: [damn]}
                  - {name: quiet, kind: long_silence, max_ms: soon}
                  - {name: quiet, kind: repeated_no_match, count: 3, colour: red}
                """);
        assertEquals(400, bad.statusCode(), bad.body());
        List<String> problems = new ArrayList<>();
        ApiServer.json(bad).path("problems").forEach(p -> problems.add(p.asText()));
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("rules[0].text: required"), problems.toString());
        assertTrue(problems.get(1).startsWith("rules[1].kind: unknown kind 'swearing'"), problems.toString());
        assertTrue(problems.get(2).startsWith("rules[2].max_ms: must be a whole number"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("rules[3].colour: unknown field")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("rules[3].name: 'quiet' is used by another rule")),
                problems.toString());
        HttpResponse<String> notYaml = api("PUT", "/api/qa/rules", operator, "rules: [unclosed");
        assertEquals(400, notYaml.statusCode(), notYaml.body());
        assertTrue(ApiServer.json(notYaml).path("problems").get(0).asText().contains("line"), notYaml.body());

        JsonNode inForce = ApiServer.json(api("GET", "/api/qa/rules", operator, null)).path("rules");
        assertEquals(1, inForce.size(), inForce.toString());
        assertEquals("complaint", inForce.get(0).path("name").asText());
        assertEquals(403, api("PUT", "/api/qa/rules", agent, RULES).statusCode());
        // the flag tests run with their own rules whatever the order
        assertEquals(200, api("PUT", "/api/qa/rules", operator, RULES).statusCode());
    }

    private static CompletableFuture<Simulation.CallReport> call(String phone, String name, SimulatedCaller caller) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return sim.originate("qa_check", phone, name, Map.of(), caller, Duration.ofMinutes(2), NO_AMD);
            } catch (Exception e) {
                throw new IllegalStateException("call to " + phone + " failed: " + e, e);
            }
        }, Executors.newSingleThreadExecutor());
    }

    private static JsonNode flags(String query) throws Exception {
        HttpResponse<String> r = api("GET", "/api/qa" + query, agent, null);
        assertEquals(200, r.statusCode(), r.body());
        return ApiServer.json(r).path("flags");
    }

    private static void awaitChecked(long campaign) throws Exception {
        SimulationFixture.await("the QA check of campaign " + campaign + "'s call", Duration.ofSeconds(30),
                () -> ApiServer.json(api("GET", "/api/campaigns/" + campaign + "/qa", agent, null)).path("checked")
                        .asInt() >= 1);
    }

    private static long campaignOf(Simulation.CallReport r) {
        return sim.server().database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT campaign_id FROM call_attempts WHERE id = ?")) {
                ps.setLong(1, r.call().attemptId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private record CallTurn(String step, String transcript) {}

    private static CallTurn turnOf(Simulation.CallReport r, int seq) {
        return r.turns().stream().filter(t -> t.seq() == seq).findFirst()
                .map(t -> new CallTurn(t.stepId(), t.transcript() == null ? "" : t.transcript())).orElseThrow();
    }
}
