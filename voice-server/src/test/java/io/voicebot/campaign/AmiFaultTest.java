package io.voicebot.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.DialQueueStore.EntryState;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault suite (issue 13): Asterisk's manager interface goes silent, or restarts, in the middle of a campaign. The
 * client notices (no Pong / connection closed), /health shows AMI down, it logs in again when Asterisk answers,
 * the campaign goes on to its end. Calls already connected (AGI and AudioSocket do not go through AMI) finish
 * with their normal outcome; an Originate lost in the fault is reconciled and retried once under the campaign's
 * policy; no contact's phone rings twice.
 */
class AmiFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DIALOG = """
            name: ami_fault
            steps:
              - id: ask
                ask: "Hello, this is a test call about your account. Press one to confirm, or two to be called back."
                slot: yes_no
                key: confirmed
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;
    private static final String RULES = """
            default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
            """;

    private static SimulationFixture fixture;
    private static ShiftedClock clock;
    private static Simulation sim;
    private static String operator;
    /** Calls the simulated Asterisk put through to voicebot (answered and connected), by number. */
    private static final Map<String, AtomicInteger> connected = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        clock = new ShiftedClock(Instant.parse("2026-12-02T10:00:00Z"));
        fixture = SimulationFixture.startCampaigns("ami-fault", Map.of("ami_fault", DIALOG), RULES, clock,
                (dir, o) -> {
                    o.put("campaign.node.id", "ami-fault-node");
                    o.put("campaign.originate.timeout.ms", "4000");
                    o.put("campaign.reconcile.interval.s", "1");
                    o.put("ami.ping.interval.ms", "3000");
                    o.put("ami.command.timeout.ms", "1000");
                    o.put("ami.reconnect.max.backoff.ms", "300");
                });
        sim = fixture.simulation();
        sim.server().dialogStore().saveDialog("ami_fault", "yaml", DIALOG);
        operator = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("ops", Role.OPERATOR)
                .secret();
        sim.answerWith(oc -> {
            connected.computeIfAbsent(oc.number(), k -> new AtomicInteger()).incrementAndGet();
            return new SimulatedCaller(List.of(new Reply.Keys("1")), 900, 60_000);
        });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void asteriskGoingSilentMidCampaignIsNoticedAndNobodyIsCalledTwice() throws Exception {
        String a = "+12025550101";
        String b = "+12025550102";
        String c = "+12025550103";
        String d = "+12025550104";
        String lost = "+12025550105";
        for (String p : List.of(a, b, c, d, lost)) {
            sim.ami().script(p, AmiPeer.Outcome.ANSWER, Duration.ofMillis(200));
        }
        long list = list("silent-list", a, b, c, d);
        long id = campaign("silent", list, 2);
        await("two calls connected", Duration.ofSeconds(60), () -> count(a) + count(b) + count(c) + count(d) == 2);
        List<String> live = liveNumbers(a, b, c, d);

        // Asterisk stops answering right after a Pong: the TCP session stays open, no responses, no events; the
        // next Ping (3 s later) goes unanswered
        int pings = sim.ami().received("Ping").size();
        await("a Ping answered", Duration.ofSeconds(10), () -> sim.ami().received("Ping").size() > pings);
        sim.ami().silence(true);
        // an Originate sent into the silence, before the heartbeat can notice: a second campaign starting now
        long lostList = list("silent-lost", lost);
        long second = campaign("silent-lost", lostList, 1);
        await("an Originate into the silence", Duration.ofSeconds(10), () -> originatesTo(lost) == 1);
        await("the client to notice", Duration.ofSeconds(10), () -> !sim.server().ami().isConnected());
        HttpResponse<String> health = get("/health");
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("down", JSON.readTree(health.body()).path("listeners").path("ami").asText(), health.body());

        // the connected calls go on without AMI and end normally; no one else is dialed while AMI is down
        for (String p : live) {
            long contact = contactId(list, p);
            await("the live call to " + p + " to end", Duration.ofSeconds(60),
                    () -> entry(id, contact).state() == EntryState.DONE);
            assertEquals("completed", entry(id, contact).lastOutcome());
        }
        Thread.sleep(600); // several dialer ticks with free slots and AMI down
        assertEquals(2, count(a) + count(b) + count(c) + count(d), "dialed while AMI was down");

        sim.ami().silence(false);
        await("the client to log in again", Duration.ofSeconds(20), () -> sim.server().ami().isConnected());
        await("health to show AMI up", Duration.ofSeconds(10), () -> get("/health").statusCode() == 200);
        await("the first campaign to complete", Duration.ofSeconds(90), () -> state(id).equals("completed"));

        // the lost Originate: not placed, its outcome unknown to voicebot -> reconciled, then retried once
        long lostContact = contactId(lostList, lost);
        await("the lost attempt to be reconciled", Duration.ofSeconds(30), () -> {
            clock.advance(Duration.ofSeconds(2)); // past the reconciliation's grace, then the retry delay
            return entry(second, lostContact).attempts() >= 1 && entry(second, lostContact).lastOutcome() != null;
        });
        CampaignReports.Entry reconciled = entry(second, lostContact);
        assertEquals("interrupted", reconciled.lastOutcome(), reconciled.toString());
        await("the retry to complete", Duration.ofSeconds(60), () -> {
            clock.advance(Duration.ofSeconds(10));
            return state(second).equals("completed");
        });
        assertEquals(2, originatesTo(lost), "the lost Originate is retried exactly once");
        assertEquals("completed", entry(second, lostContact).lastOutcome());

        for (String p : List.of(a, b, c, d, lost)) {
            assertEquals(1, count(p), p + " was put through " + count(p) + " times");
        }
        for (String p : List.of(a, b, c, d)) {
            assertEquals(1, originatesTo(p), p + " dialed twice");
            assertEquals("completed", entry(id, contactId(list, p)).lastOutcome());
        }
        assertAnswersStored(id, 4);
    }

    @Test
    void asteriskRestartedMidCampaignIsReconciledAndTheCampaignCompletes() throws Exception {
        String a = "+12025550201";
        String b = "+12025550202";
        String ringing = "+12025550203";
        String d = "+12025550204";
        String e = "+12025550205";
        for (String p : List.of(a, b, d, e)) {
            sim.ami().script(p, AmiPeer.Outcome.ANSWER, Duration.ofMillis(200));
        }
        // still ringing when Asterisk restarts: its channel goes with the restart
        sim.ami().script(ringing, AmiPeer.Outcome.ANSWER, Duration.ofSeconds(30));
        long list = list("restart-list", a, b, ringing, d, e);
        long id = campaign("restart", list, 3);
        await("two calls connected and one ringing", Duration.ofSeconds(60),
                () -> count(a) + count(b) == 2 && originatesTo(ringing) == 1);
        List<String> live = liveNumbers(a, b);
        assertEquals(2, live.size(), "both calls still talking at the restart: " + live);
        int logins = sim.ami().loginCount();

        sim.ami().script(ringing, AmiPeer.Outcome.ANSWER, Duration.ofMillis(200)); // answers when called again
        sim.ami().restart();
        await("the client to log in again", Duration.ofSeconds(20),
                () -> sim.ami().loginCount() > logins && sim.server().ami().isConnected());

        for (String p : live) {
            long contact = contactId(list, p);
            await("the live call to " + p + " to end", Duration.ofSeconds(60),
                    () -> entry(id, contact).state() == EntryState.DONE);
            assertEquals("completed", entry(id, contact).lastOutcome(), p);
        }
        long ringingContact = contactId(list, ringing);
        await("the campaign to complete", Duration.ofSeconds(90), () -> {
            clock.advance(Duration.ofSeconds(5)); // reconciliation's grace, then the retry delay
            return state(id).equals("completed");
        });
        List<AttemptStore.Attempt> ringingAttempts = attemptsOf(id, ringingContact);
        assertEquals(2, ringingAttempts.size(), ringingAttempts.toString());
        assertEquals("failed", ringingAttempts.get(0).outcome(), "the attempt whose channel the restart took");
        assertEquals("completed", ringingAttempts.get(1).outcome());
        for (String p : List.of(a, b, ringing, d, e)) {
            assertEquals(1, count(p), p + " was put through " + count(p) + " times");
            assertEquals("completed", entry(id, contactId(list, p)).lastOutcome(), p);
        }
        for (String p : List.of(a, b, d, e)) {
            assertEquals(1, originatesTo(p), p + " dialed twice");
        }
        assertAnswersStored(id, 5);
    }

    /** Every completed call of the campaign has its answer stored. */
    private static void assertAnswersStored(long campaign, int expected) {
        int withAnswer = 0;
        for (AttemptStore.Attempt at : sim.server().campaignReports().attempts(campaign, 0, 100)) {
            if (!"completed".equals(at.outcome())) {
                continue;
            }
            long callId = sim.server().database().query(c -> {
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT id FROM calls WHERE attempt_id = ?")) {
                    ps.setLong(1, at.id());
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next(), "no call stored for completed attempt " + at.id());
                        return rs.getLong(1);
                    }
                }
            });
            List<io.voicebot.store.CallStore.Answer> answers = sim.server().callStore().answers(callId);
            assertTrue(answers.stream().anyMatch(x -> x.questionKey().equals("confirmed") && x.value().equals("yes")),
                    "answers of attempt " + at.id() + ": " + answers);
            withAnswer++;
        }
        assertEquals(expected, withAnswer);
    }

    private static List<AttemptStore.Attempt> attemptsOf(long campaign, long contact) {
        List<AttemptStore.Attempt> out = new ArrayList<>(sim.server().campaignReports().attempts(campaign, 0, 100)
                .stream().filter(x -> x.contactId() == contact).toList());
        out.sort((x, y) -> Long.compare(x.id(), y.id()));
        return out;
    }

    private static int count(String number) {
        AtomicInteger n = connected.get(number);
        return n == null ? 0 : n.get();
    }

    /** The numbers among {@code numbers} whose call is connected and not yet ended. */
    private static List<String> liveNumbers(String... numbers) {
        List<String> out = new ArrayList<>();
        for (String p : numbers) {
            if (count(p) == 1) {
                out.add(p);
            }
        }
        return out;
    }

    private static long list(String name, String... phones) {
        ListStore ls = sim.server().listStore();
        long id = ls.createList(name);
        List<ListStore.ContactRow> rows = new ArrayList<>();
        for (String p : phones) {
            rows.add(new ListStore.ContactRow(p, null, Map.of(), "UTC"));
        }
        assertEquals(List.of(), ls.addContacts(id, rows).rejected());
        return id;
    }

    private static long campaign(String name, long list, int concurrent) throws Exception {
        HttpResponse<String> created = api("POST", "/api/campaigns", """
                {"name": "%s", "dialog": "ami_fault", "lists": [%d], "max_concurrent_calls": %d,
                 "max_calls_per_second": 5,
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 3, "interrupted": "1m", "failed": "1m"}}
                """.formatted(name, list, concurrent));
        assertEquals(201, created.statusCode(), created.body());
        long id = JSON.readTree(created.body()).path("id").asLong();
        HttpResponse<String> started = api("POST", "/api/campaigns/" + id + "/start", null);
        assertEquals(200, started.statusCode(), started.body());
        return id;
    }

    private static HttpResponse<String> api(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort() + path))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String state(long campaign) {
        try {
            JsonNode n = JSON.readTree(api("GET", "/api/campaigns/" + campaign, null).body());
            return n.path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CampaignReports.Entry entry(long campaign, long contact) {
        return sim.server().campaignReports().entry(campaign, contact).orElseThrow();
    }

    private static long contactId(long list, String phone) {
        return sim.server().listStore().contacts(list).stream().filter(x -> x.phone().equals(phone)).findFirst()
                .orElseThrow().id();
    }

    private static int originatesTo(String number) {
        return (int) sim.ami().received("Originate").stream()
                .filter(m -> m.get("Channel").contains("/" + number + "@")).count();
    }
}
