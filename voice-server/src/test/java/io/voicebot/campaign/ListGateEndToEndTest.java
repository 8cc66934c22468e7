package io.voicebot.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.campaign.lists.InterruptedImports;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dialer calls only lists whose import completed. A list is imported as the importer does it, through the
 * store (started, a batch stored, finished or failed), so that a campaign can be started in the middle; campaigns
 * go through the HTTP API, calls through the in-process Asterisk, whose Originates are counted per number.
 */
class ListGateEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NODE = "listgate-node";
    private static final String DIALOG = """
            name: list_gate
            steps:
              - id: ask
                ask: "Hello, this is a test call. Press one to confirm."
                slot: yes_no
                key: confirmed
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;

    private static SimulationFixture fixture;
    private static Simulation sim;
    private static String operator;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.startCampaigns("list-gate", Map.of("list_gate", DIALOG), """
                default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
                """, Clock.systemUTC(), (dir, o) -> {
                    o.put("campaign.node.id", NODE);
                    o.put("campaign.originate.timeout.ms", "5000");
                });
        sim = fixture.simulation();
        operator = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("ops", Role.OPERATOR)
                .secret();
        sim.answerWith(oc -> new SimulatedCaller(List.of(new SimulatedCaller.Reply.Keys("1"))));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aCampaignWaitsForAListStillImportingThenDialsItsContactsOnce() throws Exception {
        String ready = "+12025550301";
        String early = "+12025550302";
        String late = "+12025550303";
        answer(ready, early, late);
        long readyList = readyList("gate-ready", ready);
        long importing = importing("gate-importing", early);

        long id = create("gate-wait", readyList, importing);
        JsonNode started = api("POST", "/api/campaigns/" + id + "/start", null);
        assertEquals("running", started.path("state").asText(), started.toString());
        JsonNode waiting = listState(started, importing);
        assertEquals("importing", waiting.path("state").asText(), started.toString());

        // the ready list is dialed; the half-imported one is not, and the campaign does not complete without it
        await("the ready list's call", Duration.ofSeconds(60),
                () -> "completed".equals(lastOutcome(id, readyList, ready)));
        long ticks = sim.ami().received("Originate").size();
        Thread.sleep(1500); // seven dialer ticks
        assertEquals(0, originatesTo(early), "a contact of a list still importing was dialed");
        assertEquals(ticks, sim.ami().received("Originate").size());
        assertEquals("running", campaign(id).path("state").asText());

        // the rest of the file arrives (with a number the ready list has too), then the import completes
        store(importing, 3, late, ready);
        assertEquals(0, originatesTo(late));
        sim.server().listStore().finishImport(importing);
        await("the campaign to complete", Duration.ofSeconds(60),
                () -> "completed".equals(campaign(id).path("state").asText()));
        assertEquals(1, originatesTo(early));
        assertEquals(1, originatesTo(late));
        assertEquals(1, originatesTo(ready), "a number on both lists is called once");
        JsonNode done = campaign(id);
        assertEquals(3, done.path("progress").path("contacts").path("done").asInt(), done.toString());
        assertEquals("ready", listState(done, importing).path("state").asText());
    }

    @Test
    void aFailedListIsNeverDialedWhileTheOtherListIsAndNoCampaignStartsOnIt() throws Exception {
        String ready = "+12025550311";
        String lost1 = "+12025550312";
        String lost2 = "+12025550313";
        answer(ready, lost1, lost2);
        long readyList = readyList("fail-ready", ready);
        long broken = importing("fail-broken", lost1, lost2);
        long running = create("fail-running", readyList, broken);
        long draft = create("fail-draft", broken);
        JsonNode started = api("POST", "/api/campaigns/" + running + "/start", null);
        assertEquals("running", started.path("state").asText(), started.toString());

        // the server restarts mid-import: its start-up repair fails the list, keeping the two contacts stored
        assertEquals(1, InterruptedImports.failLeftBehind(sim.server().listStore(), NODE));

        await("the campaign to complete", Duration.ofSeconds(60),
                () -> "completed".equals(campaign(running).path("state").asText()));
        assertEquals(1, originatesTo(ready));
        assertEquals(0, originatesTo(lost1), "a contact of a failed list was dialed");
        assertEquals(0, originatesTo(lost2), "a contact of a failed list was dialed");
        JsonNode failed = listState(campaign(running), broken);
        assertEquals("failed", failed.path("state").asText(), failed.toString());
        assertTrue(failed.path("error").asText().contains("import interrupted by a restart"), failed.toString());
        assertEquals(2, sim.server().listStore().contacts(broken).size(), "the imported rows are kept");

        // a draft on the failed list cannot start; a new campaign on it is refused; both name the list
        HttpResponse<String> refused = send("POST", "/api/campaigns/" + draft + "/start", null);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("list " + broken + " 'fail-broken' is failed"), refused.body());
        assertTrue(refused.body().contains("import the file again as a new list"), refused.body());
        assertEquals("draft", campaign(draft).path("state").asText());
        HttpResponse<String> rejected = send("POST", "/api/campaigns", body("fail-new", broken));
        assertEquals(400, rejected.statusCode(), rejected.body());
        assertTrue(rejected.body().contains("list " + broken + " (fail-broken) is failed: import interrupted"),
                rejected.body());
        Thread.sleep(600); // a few more ticks: still nothing for the failed list
        assertEquals(0, originatesTo(lost1) + originatesTo(lost2));
    }

    private static void answer(String... numbers) {
        for (String n : numbers) {
            sim.ami().script(n, AmiPeer.Outcome.ANSWER, Duration.ofMillis(200));
        }
    }

    /**
     * A list whose import has started and stored {@code phones} (lines 2...), as the importer does; no owner, as
     * a version before owners were stored (any node's start-up fails it).
     */
    private static long importing(String name, String... phones) {
        long id = sim.server().listStore().startImport(new ListStore.ListSpec(name, "US", null, List.of(), "UTF-8"));
        store(id, 2, phones);
        return id;
    }

    /** Stores one batch of the file as the importer does: {@code phones} from line {@code firstLine} on. */
    private static void store(long list, int firstLine, String... phones) {
        List<ListStore.NewContact> rows = new ArrayList<>();
        for (int i = 0; i < phones.length; i++) {
            rows.add(new ListStore.NewContact(firstLine + i, phones[i], null, Map.of(), "UTC", "US"));
        }
        sim.server().listStore().addBatch(list, new ListStore.Batch(phones.length, rows, List.of(), 0, 0));
    }

    private static long readyList(String name, String phone) {
        long id = importing(name, phone);
        sim.server().listStore().finishImport(id);
        return id;
    }

    private static String body(String name, long... lists) {
        StringBuilder ids = new StringBuilder();
        for (long l : lists) {
            ids.append(ids.length() == 0 ? "" : ", ").append(l);
        }
        return """
                {"name": "%s", "dialog": "list_gate", "lists": [%s],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "max_concurrent_calls": 2, "max_calls_per_second": 5}
                """.formatted(name, ids);
    }

    private static long create(String name, long... lists) throws Exception {
        HttpResponse<String> created = send("POST", "/api/campaigns", body(name, lists));
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).path("id").asLong();
    }

    private static JsonNode campaign(long id) throws Exception {
        return api("GET", "/api/campaigns/" + id, null);
    }

    private static JsonNode listState(JsonNode campaign, long list) {
        for (JsonNode l : campaign.path("progress").path("lists")) {
            if (l.path("id").asLong() == list) {
                return l;
            }
        }
        throw new AssertionError("list " + list + " is not in " + campaign);
    }

    /** The outcome of the last attempt on the list's contact with {@code phone} in the campaign, or null. */
    private static String lastOutcome(long campaign, long list, String phone) {
        long contact = sim.server().listStore().contacts(list).stream().filter(c -> c.phone().equals(phone))
                .findFirst().orElseThrow().id();
        return sim.server().campaignReports().entry(campaign, contact).map(e -> e.lastOutcome()).orElse(null);
    }

    private static int originatesTo(String number) {
        return (int) sim.ami().received("Originate").stream()
                .filter(m -> m.get("Channel").contains("/" + number + "@")).count();
    }

    private static JsonNode api(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                + path)).header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
