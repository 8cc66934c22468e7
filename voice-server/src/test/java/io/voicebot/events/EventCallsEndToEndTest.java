package io.voicebot.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.voicebot.campaign.ShiftedClock;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.DialQueueStore.EntryState;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Business events through the HTTP API against a full server and the in-process Asterisk: an event's call runs end
 * to end, duplicates and idempotency-key replays call once, a resolving event cancels a queued call, an event
 * outside the calling window is called when it opens, blocked numbers are never dialled; follow-up tasks for each
 * reason are listed, claimed and closed, and the webhook hears of them. The server's clock starts at 03:00 UTC.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventCallsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant START = Instant.parse("2026-12-02T03:00:00Z");
    private static final String DIALOG = """
            name: event_nudge
            description: a short nudge after a business event
            steps:
              - id: ask
                ask: "Hello, please verify your registration. Press one if you will, or two if you need help."
                slot: yes_no
                key: will_verify
                on: {"yes": bye, "no": help}
              - id: help
                task: verify_help
                details: {topic: "registration"}
                next: help_bye
              - id: help_bye
                hangup: completed
                say: "Someone from the bank will call you. Goodbye."
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;
    private static final String RULES = """
            default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
            caps: {per_day: 5, per_week: 10, per_month: 20, count: answered}
            """;
    private static final String EVENTS = """
            types:
              late_payment:
                campaign: events-window
                dedupe: 1h
                resolved_by: [payment_received]
            """;

    private static SimulationFixture fixture;
    private static ShiftedClock clock;
    private static Simulation sim;
    private static String operator;
    private static String agent1;
    private static String agent2;
    private static long now;
    private static long window;
    private static HttpServer hook;
    private static final List<JsonNode> hooked = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/tasks", x -> {
            hooked.add(JSON.readTree(x.getRequestBody().readAllBytes()));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        clock = new ShiftedClock(START);
        fixture = SimulationFixture.startCampaigns("events-test", Map.of("event_nudge", DIALOG), RULES, clock,
                (dir, o) -> {
                    Files.writeString(dir.resolve("events.yaml"), EVENTS);
                    o.put("events.file", dir.resolve("events.yaml").toString());
                    o.put("tasks.webhook.url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/tasks");
                    // a long tick: a call that goes out at once was woken by its event, not by the next tick
                    o.put("campaign.tick.ms", "5000");
                    o.put("campaign.node.id", "events-node");
                    o.put("campaign.originate.timeout.ms", "5000");
                });
        sim = fixture.simulation();
        operator = fixture.token("ops", Role.OPERATOR);
        agent1 = fixture.token("agent-ann", Role.AGENT);
        agent2 = fixture.token("agent-bob", Role.AGENT);
        sim.answerWith(oc -> oc.number().endsWith("0319")
                ? new SimulatedCaller(List.of(new Reply.Keys("2")))
                : new SimulatedCaller(List.of(new Reply.Keys("1"))));

        now = campaign("events-now", "00:00", "23:59");
        HttpResponse<String> put = api("PUT", "/api/event-types/registered_not_verified", operator, """
                {"campaign": %d, "dedupe": "1h", "resolved_by": ["registration_verified"]}
                """.formatted(now), null);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("api", JSON.readTree(put.body()).path("source").asText());
        start(now);
        window = campaign("events-window", "09:00", "17:00");
        start(window);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (hook != null) {
            hook.stop(0);
        }
    }

    /** A draft campaign over an empty list (events fill it), one attempt per number. */
    private static long campaign(String name, String from, String to) throws Exception {
        long list = sim.server().listStore().createList(name + "-list");
        HttpResponse<String> r = api("POST", "/api/campaigns", operator, """
                {"name": "%s", "dialog": "event_nudge", "lists": [%d], "max_concurrent_calls": 3,
                 "max_calls_per_second": 5,
                 "window": {"start": "%s", "end": "%s", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 1}}
                """.formatted(name, list, from, to), null);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asLong();
    }

    private static void start(long id) throws Exception {
        HttpResponse<String> r = api("POST", "/api/campaigns/" + id + "/start", operator, null, null);
        assertEquals(200, r.statusCode(), r.body());
    }

    private static HttpResponse<String> api(String method, String path, String token, String body, String key)
            throws Exception {
        HttpRequest.Builder b = fixture.apiRequest(method, path, token, body);
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GET {@code path} as {@code token}; the body as JSON. */
    private static JsonNode getJson(String path, String token) throws Exception {
        return JSON.readTree(api("GET", path, token, null, null).body());
    }

    private static JsonNode event(String type, String customer, String phone, String tz, String key)
            throws Exception {
        HttpResponse<String> r = api("POST", "/api/events", operator, """
                {"type": "%s", "customer": "%s", "phone": "%s", "fields": {"name": "Ann"}, "timezone": "%s"}
                """.formatted(type, customer, phone, tz), key);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static int originatesTo(String number) {
        return (int) sim.ami().received("Originate").stream()
                .filter(m -> m.get("Channel").contains("/" + number + "@")).count();
    }

    private static CampaignReports.Entry entry(long campaign, JsonNode event) {
        return sim.server().campaignReports().entry(campaign, event.path("contact_id").asLong()).orElseThrow();
    }

    @Test
    @Order(1)
    void anEventCallsAtOnceAndTheCallRunsEndToEnd() throws Exception {
        String phone = "+12025550301";
        long t0 = System.nanoTime();
        JsonNode r = event("registered_not_verified", "C-301", phone, "UTC", null);
        assertEquals("queued", r.path("result").asText(), r.toString());
        assertEquals(now, r.path("campaign_id").asLong());
        await("the originate", Duration.ofSeconds(4), () -> originatesTo(phone) == 1);
        // the tick is 5 s: an originate this soon was woken by the event
        assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
        await("the call to complete", Duration.ofSeconds(60), () -> entry(now, r).state() == EntryState.DONE);
        assertEquals("completed", entry(now, r).lastOutcome());
        JsonNode stored = getJson("/api/events/" + r.path("event_id").asLong(), operator);
        assertEquals("queued", stored.path("result").asText());
        assertEquals(phone, stored.path("phone").asText());
        // a campaign fed by events stays running with an empty queue
        Thread.sleep(300);
        assertEquals("running", getJson("/api/campaigns/" + now, operator).path("state").asText());
    }

    @Test
    @Order(2)
    void duplicatesAndReplaysCallOnce() throws Exception {
        JsonNode again = event("registered_not_verified", "C-301", "+12025550301", "UTC", null);
        assertEquals("duplicate", again.path("result").asText(), again.toString());
        assertEquals("dedupe", again.path("rule").asText());

        String phone = "+12025550302";
        JsonNode first = event("registered_not_verified", "C-302", phone, "UTC", "key-302");
        assertEquals("queued", first.path("result").asText(), first.toString());
        JsonNode replay = event("registered_not_verified", "C-302", phone, "UTC", "key-302");
        assertEquals(first, replay, "a replayed key answers the same");
        JsonNode bodyKey = JSON.readTree(api("POST", "/api/events", operator, """
                {"type": "registered_not_verified", "customer": "C-302", "phone": "%s", "idempotencyKey": "key-302"}
                """.formatted(phone), null).body());
        assertEquals(first, bodyKey);
        await("the call", Duration.ofSeconds(60), () -> entry(now, first).state() == EntryState.DONE);
        Thread.sleep(500);
        assertEquals(1, originatesTo(phone));
        assertEquals(1, originatesTo("+12025550301"));
    }

    @Test
    @Order(3)
    void aResolvingEventCancelsTheQueuedCallAndAnEventOutsideTheWindowIsCalledWhenItOpens() throws Exception {
        // 03:xx in London: outside 09:00-17:00, so both wait
        String resolved = "+12025550311";
        String waits = "+12025550312";
        JsonNode a = event("late_payment", "C-311", resolved, "Europe/London", null);
        JsonNode b = event("late_payment", "C-312", waits, "Europe/London", null);
        assertEquals("queued", a.path("result").asText(), a.toString());
        assertEquals("queued", b.path("result").asText(), b.toString());
        assertEquals(window, a.path("campaign_id").asLong());
        await("the gate to hold the calls", Duration.ofSeconds(10),
                () -> !sim.server().campaignReports().decisions(window, b.path("contact_id").asLong()).isEmpty());
        assertEquals(EntryState.PENDING, entry(window, b).state());
        assertEquals(Instant.parse("2026-12-02T09:00:00Z"), entry(window, b).nextAt());

        JsonNode paid = event("payment_received", "C-311", resolved, "Europe/London", null);
        assertEquals("cancelled", paid.path("result").asText(), paid.toString());
        assertEquals(EntryState.CANCELLED, entry(window, a).state());
        assertTrue(entry(window, a).lastReason().contains("payment_received"), entry(window, a).lastReason());
        JsonNode nothing = event("payment_received", "C-999", "+12025550399", "UTC", null);
        assertEquals("ignored", nothing.path("result").asText(), nothing.toString());

        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-12-02T09:00:01Z")));
        await("the call when the window opens", Duration.ofSeconds(60),
                () -> entry(window, b).state() == EntryState.DONE);
        assertEquals(1, originatesTo(waits));
        assertEquals(0, originatesTo(resolved), "a cancelled call was dialled");
    }

    @Test
    @Order(4)
    void blockedNumbersAreStoredWithTheirReasonAndNeverDialledAndBadBodiesNameTheField() throws Exception {
        String dnc = "+12025550321";
        assertEquals(201, api("POST", "/api/dnc", operator, "{\"phone\": \"" + dnc + "\", \"reason\": \"letter\"}",
                null).statusCode());
        JsonNode blocked = event("registered_not_verified", "C-321", dnc, "UTC", null);
        assertEquals("blocked", blocked.path("result").asText(), blocked.toString());
        assertEquals("dnc", blocked.path("rule").asText());
        assertTrue(blocked.path("reason").asText().contains("letter"), blocked.toString());
        JsonNode invalid = event("registered_not_verified", "C-322", "12", "UTC", null);
        assertEquals("blocked", invalid.path("result").asText(), invalid.toString());
        assertEquals("invalid_number", invalid.path("rule").asText());
        JsonNode stored = getJson("/api/events/" + blocked.path("event_id").asLong(), operator);
        assertEquals("blocked", stored.path("result").asText());
        assertTrue(stored.path("reason").asText().startsWith("dnc: "), stored.toString());
        Thread.sleep(300);
        assertEquals(0, originatesTo(dnc));

        for (String[] c : new String[][] {
                {"{\"type\": \"registered_not_verified\", \"phone\": \"+12025550323\"}", "customer"},
                {"{\"type\": \"nope\", \"customer\": \"C\", \"phone\": \"+12025550323\"}", "type"},
                {"{\"type\": \"registered_not_verified\", \"customer\": \"C\", \"phone\": \"+12025550323\", "
                        + "\"timezone\": \"Mars/Base\"}", "timezone"},
                {"{\"type\": \"registered_not_verified\", \"customer\": \"C\", \"phone\": \"+12025550323\", "
                        + "\"fields\": {\"a\": {\"b\": 1}}}", "fields.a"},
                {"{\"type\": \"registered_not_verified\", \"customer\": \"C\", \"phone\": \"+1\", \"colour\": 1}",
                        "colour"}}) {
            HttpResponse<String> r = api("POST", "/api/events", operator, c[0], null);
            assertEquals(400, r.statusCode(), r.body());
            assertEquals(c[1], JSON.readTree(r.body()).path("field").asText(), r.body());
        }
        assertEquals(403, api("POST", "/api/events", agent1, "{}", null).statusCode());
        HttpResponse<String> badType = api("PUT", "/api/event-types/x1", operator,
                "{\"campaign\": 424242, \"dedupe\": \"soon\"}", null);
        assertEquals(400, badType.statusCode(), badType.body());
        assertTrue(badType.body().contains("dedupe"), badType.body());
        assertEquals(409, api("DELETE", "/api/event-types/late_payment", operator, null, null).statusCode());
        JsonNode types = getJson("/api/event-types", operator);
        assertEquals(2, types.path("event_types").size(), types.toString());
    }

    @Test
    @Order(5)
    void tasksForEveryReasonAreListedClaimedAndClosed() throws Exception {
        // the last (only) attempt is not answered: a task for people
        String silent = "+12025550318";
        sim.ami().script(silent, AmiPeer.Outcome.NO_ANSWER, Duration.ofMillis(300));
        JsonNode e1 = event("registered_not_verified", "C-318", silent, "UTC", null);
        // the dialog asks for a task (the callee presses 2: needs help)
        JsonNode e2 = event("registered_not_verified", "C-319", "+12025550319", "UTC", null);
        long transfer = sim.server().tasks().transferFoundNobody(null, "+12025550330", "voicebot-agents",
                "all agents busy");
        await("both calls to settle", Duration.ofSeconds(60), () -> entry(now, e1).state() == EntryState.EXHAUSTED
                && entry(now, e2).state() == EntryState.DONE);
        await("the tasks", Duration.ofSeconds(10), () -> {
            try {
                return getJson("/api/tasks?state=open", operator).path("tasks").size() >= 3;
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        JsonNode exhausted = getJson("/api/tasks?reason=attempts_exhausted&campaign=" + now, operator)
                .path("tasks");
        assertEquals(1, exhausted.size(), exhausted.toString());
        assertEquals("no_answer", exhausted.get(0).path("kind").asText());
        assertEquals(silent, exhausted.get(0).path("phone").asText());
        assertEquals(e1.path("contact_id").asLong(), exhausted.get(0).path("contact_id").asLong());
        JsonNode dialog = getJson("/api/tasks?reason=dialog", operator).path("tasks");
        assertEquals(1, dialog.size(), dialog.toString());
        assertEquals("verify_help", dialog.get(0).path("kind").asText());
        assertEquals(now, dialog.get(0).path("campaign_id").asLong());
        assertTrue(dialog.get(0).path("call").asText().startsWith("/api/calls/"), dialog.toString());
        assertEquals(200, api("GET", dialog.get(0).path("call").asText(), agent1, null, null).statusCode());
        JsonNode nobody = getJson("/api/tasks?reason=transfer_no_agent", agent1).path("tasks");
        assertEquals(transfer, nobody.get(0).path("id").asLong());
        assertFalse(nobody.get(0).path("phone").asText().equals("+12025550330"), "agents see numbers masked");
        // paging: newest first, one at a time
        List<Long> all = new java.util.ArrayList<>();
        getJson("/api/tasks?state=open", agent1).path("tasks").forEach(t -> all.add(t.path("id").asLong()));
        List<Long> paged = new java.util.ArrayList<>();
        String cursor = "";
        do {
            JsonNode p = getJson("/api/tasks?state=open&limit=1" + cursor, agent1);
            p.path("tasks").forEach(t -> paged.add(t.path("id").asLong()));
            cursor = p.path("next_cursor").isNull() ? null : "&cursor=" + p.path("next_cursor").asText();
        } while (cursor != null && paged.size() < 10);
        assertEquals(all, paged, "pages of one give every task, newest first");
        assertEquals(all.stream().sorted(java.util.Comparator.reverseOrder()).toList(), all);
        assertEquals(0, getJson("/api/tasks?until=2000-01-01T00:00:00Z", agent1).path("tasks").size());
        assertEquals(400, api("GET", "/api/tasks?since=yesterday", agent1, null, null).statusCode());

        String claim = "/api/tasks/" + transfer + "/claim";
        HttpResponse<String> mine = api("POST", claim, agent1, null, null);
        assertEquals(200, mine.statusCode(), mine.body());
        assertEquals("agent-ann", JSON.readTree(mine.body()).path("claimed_by").asText());
        HttpResponse<String> theirs = api("POST", claim, agent2, null, null);
        assertEquals(409, theirs.statusCode(), theirs.body());
        assertEquals("agent-ann", JSON.readTree(theirs.body()).path("claimed_by").asText());
        assertEquals(409, api("POST", "/api/tasks/" + transfer + "/close", agent2, "{\"note\": \"x\"}", null)
                .statusCode());
        HttpResponse<String> closed = api("POST", "/api/tasks/" + transfer + "/close", agent1,
                "{\"note\": \"called back, resolved\"}", null);
        assertEquals(200, closed.statusCode(), closed.body());
        JsonNode c = JSON.readTree(closed.body());
        assertEquals("closed", c.path("state").asText());
        assertEquals("called back, resolved", c.path("close_note").asText());
        assertNotNull(c.path("closed_at").textValue());
        assertEquals(409, api("POST", claim, agent1, null, null).statusCode());
        assertEquals(404, api("POST", "/api/tasks/999999/claim", agent1, null, null).statusCode());
        assertNull(getJson("/api/tasks?state=closed&reason=transfer_no_agent", agent1).path("next_cursor")
                .textValue());

        // the webhook heard of every new task
        await("the webhook", Duration.ofSeconds(10), () -> hooked.stream().map(h -> h.path("task").path("reason")
                .asText()).distinct().count() >= 3);
        for (JsonNode h : hooked) {
            assertEquals("task.created", h.path("event").asText());
        }
    }
}
