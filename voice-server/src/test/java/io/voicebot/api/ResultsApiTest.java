package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.ResultsSeed;
import io.voicebot.store.Role;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/campaigns/{id}/results and /export.csv: five contacts called by the real dialer through the simulated
 * Asterisk (a promise, a refusal, a wrong person, a busy line, a hang-up at the second question), then 500 more
 * contacts stored as their calls would have stored them; every count checked exactly.
 */
class ResultsApiTest {
    private static final String DIALOG = """
            name: results_check
            description: two questions for the results tests
            steps:
              - id: identity
                ask: "Hello, this is Example Bank. Am I speaking with ${name}? Press one for yes, two for no."
                slot: yes_no
                key: identity_confirmed
                on: {"yes": pay, "no": wrong}
              - id: pay
                ask: "Can you pay this week? Press one for yes, two for no."
                slot: yes_no
                key: can_pay
                next: bye
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
              - id: wrong
                hangup: wrong_person
                say: "Sorry for the trouble. Goodbye."
            """;
    private static final String RULES = """
            default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
            caps: {per_day: 5, per_week: 10, per_month: 20, count: answered}
            """;

    private static SimulationFixture fixture;
    private static Simulation sim;
    private static String operator;
    private static String agent;
    private static final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.startCampaigns("results-test", Map.of("results_check", DIALOG), RULES,
                Clock.systemUTC(), (dir, o) -> o.put("campaign.originate.timeout.ms", "5000"));
        sim = fixture.simulation();
        operator = ApiServer.token(sim.server(), Role.OPERATOR);
        agent = ApiServer.token(sim.server(), Role.AGENT);
        sim.answerWith(oc -> new SimulatedCaller(replies.getOrDefault(oc.number(), List.of(new Reply.HangUp())),
                1500, 30_000));
        // The fixed prompts ready in the cache, as they are soon after start-up: on a busy machine a prompt still
        // being synthesized is a silence a caller could take for the end of the question.
        for (String fixed : List.of("Can you pay this week? Press one for yes, two for no.", "Thank you. Goodbye.",
                "Sorry for the trouble. Goodbye.")) {
            sim.voice(fixed);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return ApiServer.send(sim.server().httpPort(), "GET", path, token, null, null);
    }

    @Test
    void resultsCountEveryOutcomeAndTheFunnelExactly() throws Exception {
        String promise = "+12025550101";
        String refuses = "+12025550102";
        String wrong = "+12025550103";
        String busy = "+12025550104";
        String hangsUp = "+12025550105";
        replies.put(promise, List.of(new Reply.Keys("1"), new Reply.Keys("1")));
        replies.put(refuses, List.of(new Reply.Keys("1"), new Reply.Keys("2")));
        replies.put(wrong, List.of(new Reply.Keys("2")));
        replies.put(hangsUp, List.of(new Reply.Keys("1"), new Reply.HangUp()));
        sim.ami().script(busy, AmiPeer.Outcome.BUSY, Duration.ofMillis(200));
        ListStore ls = sim.server().listStore();
        long list = ls.createList("results-list");
        List<ListStore.ContactRow> rows = new ArrayList<>();
        for (String p : List.of(promise, refuses, wrong, busy, hangsUp)) {
            rows.add(new ListStore.ContactRow(p, "Ann Lee", Map.of(), "UTC"));
        }
        assertEquals(List.of(), ls.addContacts(list, rows).rejected());
        HttpResponse<String> created = ApiServer.send(sim.server().httpPort(), "POST", "/api/campaigns", operator,
                "application/json", """
                        {"name": "results", "dialog": "results_check", "lists": [%d], "max_concurrent_calls": 5,
                         "max_calls_per_second": 10,
                         "window": {"start": "00:00", "end": "23:59",
                                    "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                         "retry": {"max_attempts": 1}}
                        """.formatted(list));
        assertEquals(201, created.statusCode(), created.body());
        long id = ApiServer.json(created).path("id").asLong();
        HttpResponse<String> started = ApiServer.send(sim.server().httpPort(), "POST",
                "/api/campaigns/" + id + "/start", operator, null, null);
        assertEquals(200, started.statusCode(), started.body());
        await("the five contacts to be settled", Duration.ofSeconds(120), () -> {
            Map<String, Integer> c = sim.server().campaignReports().progress(id).contacts();
            return c.getOrDefault("done", 0) + c.getOrDefault("exhausted", 0) == 5;
        });

        String path = "/api/campaigns/" + id + "/results?positive=can_pay%3Dyes";
        HttpResponse<String> r = get(path, agent);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode res = ApiServer.json(r);
        JsonNode calls = res.path("calls");
        assertEquals(5, calls.path("attempts").asInt(), r.body());
        assertEquals(5, calls.path("dialed").asInt(), r.body());
        assertEquals(4, calls.path("answered").asInt(), r.body());
        assertEquals(0, calls.path("machine").asInt(), r.body());
        assertEquals(2, calls.path("completed").asInt(), r.body());
        assertEquals(0, calls.path("transferred").asInt(), r.body());
        assertEquals(0, calls.path("opted_out").asInt(), r.body());
        assertEquals(1, calls.path("failed").path("busy").asInt(), r.body());
        assertEquals(0, calls.path("failed").path("no_answer").asInt(), r.body());
        JsonNode funnel = res.path("funnel");
        assertEquals(List.of(5, 4, 3, 2, 1), funnelCounts(funnel), r.body());
        assertEquals("can_pay=yes", funnel.path("positive_answers").asText());
        assertEquals(Map.of("identity_confirmed", Map.of("yes", 3, "no", 1), "can_pay", Map.of("yes", 1, "no", 1)),
                distribution(res), r.body());
        assertEquals(Map.of("identity", 1, "pay", 1), dropOff(res), r.body());

        // volume: 500 more contacts stored as their calls would have stored them, 100 of each kind
        ResultsSeed.Kind[] kinds = ResultsSeed.Kind.values();
        ResultsSeed.seed(sim.server().database(), id, list, 500, 1_000_000, i -> kinds[i % kinds.length],
                i -> "Contact " + i, i -> null);
        res = ApiServer.json(get(path, agent));
        calls = res.path("calls");
        assertEquals(505, calls.path("attempts").asInt(), res.toString());
        assertEquals(505, calls.path("dialed").asInt(), res.toString());
        assertEquals(404, calls.path("answered").asInt(), res.toString());
        assertEquals(202, calls.path("completed").asInt(), res.toString());
        assertEquals(101, calls.path("failed").path("busy").asInt(), res.toString());
        assertEquals(List.of(505, 404, 303, 202, 101), funnelCounts(res.path("funnel")), res.toString());
        assertEquals(Map.of("identity_confirmed", Map.of("yes", 303, "no", 101),
                "can_pay", Map.of("yes", 101, "no", 101)), distribution(res), res.toString());
        assertEquals(Map.of("identity", 101, "pay", 101), dropOff(res), res.toString());
        assertEquals(404, res.path("contacts").path("done").asInt(), res.toString());
        assertEquals(101, res.path("contacts").path("exhausted").asInt(), res.toString());

        // the default last stage is a promise date, which this dialog never asks for
        JsonNode byDefault = ApiServer.json(get("/api/campaigns/" + id + "/results", agent)).path("funnel");
        assertEquals(0, byDefault.path("positive").asInt(), byDefault.toString());
        assertEquals("promise_date=*", byDefault.path("positive_answers").asText());

        HttpResponse<String> bad = get("/api/campaigns/" + id + "/results?positive=can_pay", agent);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(ApiServer.json(bad).path("error").asText().startsWith("positive: 'can_pay'"), bad.body());
        assertEquals(404, get("/api/campaigns/999999/results", agent).statusCode());
        assertEquals(401, get(path, null).statusCode());

        // the export: one row per contact, real calls and stored ones alike
        assertEquals(403, get("/api/campaigns/" + id + "/export.csv", agent).statusCode(),
                "the export is for operators");
        HttpResponse<String> csv = get("/api/campaigns/" + id + "/export.csv", operator);
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("content-type").orElse("").startsWith("text/csv"), csv.headers().toString());
        assertEquals("chunked", csv.headers().firstValue("transfer-encoding").orElse(""), csv.headers().toString());
        List<CSVRecord> records = parse(csv.body());
        assertEquals(505, records.size());
        CSVRecord first = records.stream().filter(x -> x.get("phone").equals(promise)).findFirst().orElseThrow();
        assertEquals("done", first.get("state"));
        assertEquals("completed", first.get("last_outcome"));
        assertEquals("1:completed", first.get("attempt_outcomes"));
        assertEquals("yes", first.get("answer.identity_confirmed"));
        assertEquals("yes", first.get("answer.can_pay"));
        CSVRecord busyRow = records.stream().filter(x -> x.get("phone").equals(busy)).findFirst().orElseThrow();
        assertEquals("1:busy", busyRow.get("attempt_outcomes"));
        assertEquals("", busyRow.get("answer.can_pay"));
        HttpResponse<String> masked = get("/api/campaigns/" + id + "/export.csv?phones=masked", operator);
        assertTrue(parse(masked.body()).stream().noneMatch(x -> x.get("phone").equals(promise)),
                "masked numbers must not appear in full");
        assertEquals(400, get("/api/campaigns/" + id + "/export.csv?phones=some", operator).statusCode());
    }

    @Test
    void theExportQuotesNamesWithCommasQuotesAndNonAsciiLetters() throws Exception {
        CampaignStore cs = sim.server().campaignStore();
        long list = sim.server().listStore().createList("quoting-list");
        long campaign = cs.createCampaign(new CampaignStore.CampaignSpec("quoting", "results_check", list,
                LocalTime.MIN, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 1, Duration.ofHours(1), 1));
        List<String> names = List.of("Smith, John", "Dwayne \"The Rock\" O'Neil", "Zoë Ünal 日本語", "line\nbreak");
        ResultsSeed.seed(sim.server().database(), campaign, list, names.size(), 2_000_000,
                i -> ResultsSeed.Kind.PROMISE, names::get, i -> i == 0 ? "slow, but \"fine\"" : null);
        HttpResponse<String> csv = get("/api/campaigns/" + campaign + "/export.csv", operator);
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.body().contains("\"Smith, John\""), csv.body());
        assertTrue(csv.body().contains("\"Dwayne \"\"The Rock\"\" O'Neil\""), csv.body());
        List<CSVRecord> records = parse(csv.body());
        assertEquals(names, records.stream().map(x -> x.get("name")).toList());
        assertEquals("slow, but \"fine\"", records.get(0).get("answer.feedback"));
        assertEquals(List.of("contact_id", "phone", "name", "state", "attempts", "last_outcome", "first_attempt_at",
                "last_attempt_at", "attempt_outcomes", "answer.identity_confirmed", "answer.can_pay", "answer.feedback"),
                records.get(0).getParser().getHeaderNames());
    }

    private static List<CSVRecord> parse(String body) throws Exception {
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body))) {
            return p.getRecords();
        }
    }

    private static List<Integer> funnelCounts(JsonNode f) {
        return List.of(f.path("contacts_called").asInt(), f.path("reached").asInt(),
                f.path("identity_confirmed").asInt(), f.path("completed").asInt(), f.path("positive").asInt());
    }

    private static Map<String, Map<String, Integer>> distribution(JsonNode res) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (JsonNode q : res.path("questions")) {
            Map<String, Integer> values = new HashMap<>();
            q.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asInt()));
            out.put(q.path("key").asText(), values);
        }
        return out;
    }

    private static Map<String, Integer> dropOff(JsonNode res) {
        Map<String, Integer> out = new HashMap<>();
        res.path("drop_off").forEach(d -> out.put(d.path("step").asText(), d.path("calls").asInt()));
        return out;
    }
}
