package io.voicebot.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.Settings;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.AmiQueue;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.DialQueueStore.EntryState;
import io.voicebot.store.ListStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Campaigns against the in-process Asterisk: a voicebot server whose dialer originates over AMI, contacts that
 * answer (the simulated dialplan runs the AGI leg and a caller presses keys), are busy or do not answer; the
 * compliance gate's window, caps and do-not-call; pacing. The server's clock starts at 03:00 UTC on a Wednesday
 * and jumps forward where a test needs hours to pass (the test that jumps a day runs last).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DialerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant START = Instant.parse("2026-12-02T03:00:00Z");
    private static final String DIALOG = """
            name: dialer_check
            description: a short outbound check for the dialer tests
            steps:
              - id: ask
                ask: "Hello, this is a test call. Press one to confirm, or two to be called back."
                slot: yes_no
                key: confirmed
                on: {"yes": bye, "no": later}
              - id: later
                callback: "tomorrow at ten"
                next: later_bye
              - id: later_bye
                hangup: callback_requested
                say: "We will call you back. Goodbye."
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;
    private static final String RULES = """
            default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
            countries:
              DE: {weekdays: "09:00-20:00", saturday: "none", sunday: "none", holidays: ["2026-12-25"]}
            caps: {per_day: 1, per_week: 3, per_month: 8, count: answered}
            """;

    private static TestDatabase tdb;
    private static Path dir;
    private static ShiftedClock clock;
    private static Simulation sim;
    private static String operator;
    private static final Map<String, Supplier<SimulatedCaller>> answerers = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        dir = Files.createTempDirectory("dialer-test");
        Files.createDirectories(dir.resolve("dialogs"));
        Files.writeString(dir.resolve("dialogs/dialer_check.yaml"), DIALOG);
        Path home = Path.of(System.getProperty("voicebot.home", ".."));
        Files.copy(home.resolve("config/dialogs/payment_reminder.yaml"), dir.resolve("dialogs/payment_reminder.yaml"));
        Files.writeString(dir.resolve("compliance.yaml"), RULES);
        Map<String, String> o = new HashMap<>(tdb.overrides());
        o.put("dialogs.dir", dir.resolve("dialogs").toString());
        o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        o.put("campaign.tick.ms", "200");
        o.put("campaign.node.id", "test-node");
        o.put("campaign.originate.timeout.ms", "5000");
        clock = new ShiftedClock(START);
        sim = Simulation.start(Settings.load(null, Map.of()), home, o, clock);
        sim.server().dialogStore().saveDialog("dialer_check", "yaml", DIALOG);
        operator = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("ops", Role.OPERATOR)
                .secret();
        sim.answerWith(oc -> {
            Supplier<SimulatedCaller> s = answerers.get(oc.number());
            return s == null ? pressOne() : s.get();
        });
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        tdb.close();
    }

    private static SimulatedCaller pressOne() {
        return new SimulatedCaller(List.of(new Reply.Keys("1")));
    }

    /** A list of {@code phones} (time zone UTC unless "phone|zone"), returns its id. */
    private static long list(String name, String... phones) {
        ListStore ls = sim.server().listStore();
        long id = ls.createList(name);
        List<ListStore.ContactRow> rows = new ArrayList<>();
        for (String p : phones) {
            String[] parts = p.split("\\|");
            rows.add(new ListStore.ContactRow(parts[0], null, Map.of(), parts.length > 1 ? parts[1] : "UTC"));
        }
        ListStore.ContactImport imp = ls.addContacts(id, rows);
        assertEquals(List.of(), imp.rejected());
        return id;
    }

    private static HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                + path)).header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates and starts a campaign through the HTTP API; returns its id. */
    private static long campaign(String json) throws Exception {
        HttpResponse<String> created = api("POST", "/api/campaigns", json);
        assertEquals(201, created.statusCode(), created.body());
        long id = JSON.readTree(created.body()).path("id").asLong();
        HttpResponse<String> started = api("POST", "/api/campaigns/" + id + "/start", null);
        assertEquals(200, started.statusCode(), started.body());
        assertEquals("running", JSON.readTree(started.body()).path("state").asText());
        return id;
    }

    private static CampaignReports.Entry entry(long campaign, long contact) {
        return sim.server().campaignReports().entry(campaign, contact).orElseThrow();
    }

    private static long contactId(long list, String phone) {
        return sim.server().listStore().contacts(list).stream().filter(c -> c.phone().equals(phone)).findFirst()
                .orElseThrow().id();
    }

    private static int originatesTo(String number) {
        return (int) sim.ami().received("Originate").stream()
                .filter(m -> m.get("Channel").contains("/" + number + "@")).count();
    }

    private static String state(long campaign) throws Exception {
        return JSON.readTree(api("GET", "/api/campaigns/" + campaign, null).body()).path("state").asText();
    }

    @Test
    void answeredCallCompletesAndBusyIsRetriedAfterItsDelayThenCompletes() throws Exception {
        String answers = "+12025550001";
        String busy = "+12025550002";
        sim.ami().script(busy, AmiPeer.Outcome.BUSY, Duration.ofMillis(200));
        long list = list("retry-list", answers, busy);
        long id = campaign("""
                {"name": "retry", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "max_concurrent_calls": 2, "max_calls_per_second": 5,
                 "retry": {"max_attempts": 3, "max_attempts_per_day": 3, "busy": "10m", "no_answer": "2h"}}
                """.formatted(list));
        long a = contactId(list, answers);
        long b = contactId(list, busy);
        await("the answered call to complete", Duration.ofSeconds(60), () -> entry(id, a).state() == EntryState.DONE);
        assertEquals("completed", entry(id, a).lastOutcome());
        await("the busy attempt to settle", Duration.ofSeconds(30),
                () -> "busy".equals(entry(id, b).lastOutcome()));
        CampaignReports.Entry waiting = entry(id, b);
        assertEquals(EntryState.PENDING, waiting.state());
        assertEquals("retry", waiting.nextKind());
        Duration wait = Duration.between(clock.instant(), waiting.nextAt());
        assertTrue(wait.compareTo(Duration.ofMinutes(9)) > 0 && wait.compareTo(Duration.ofMinutes(10)) <= 0,
                "busy retry after 10 minutes, got " + wait);
        assertEquals(1, originatesTo(busy));

        // ten minutes later the number answers
        sim.ami().script(busy, AmiPeer.Outcome.ANSWER, Duration.ofMillis(200));
        clock.advance(Duration.ofMinutes(11));
        await("the retry to complete", Duration.ofSeconds(60), () -> entry(id, b).state() == EntryState.DONE);
        assertEquals(2, entry(id, b).attempts());
        assertEquals(2, originatesTo(busy));
        assertEquals(1, originatesTo(answers));
        await("the campaign to complete", Duration.ofSeconds(10), () -> {
            try {
                return state(id).equals("completed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode progress = JSON.readTree(api("GET", "/api/campaigns/" + id, null).body()).path("progress");
        assertEquals(2, progress.path("contacts").path("done").asInt(), progress.toString());
        assertEquals(2, progress.path("outcomes").path("completed").asInt(), progress.toString());
        assertEquals(1, progress.path("outcomes").path("busy").asInt(), progress.toString());
        // every attempt says why the gate let it through
        for (CampaignReports.Decision d : sim.server().campaignReports().decisions(id, b)) {
            assertTrue(d.allowed(), d.toString());
            assertTrue(d.reason().contains("inside the campaign window"), d.reason());
        }
    }

    @Test
    void aContactOutsideItsLocalHoursWaitsForTheWindowThenIsCalled() throws Exception {
        // 03:xx UTC: 12:xx in Tokyo (inside 09:00-17:00), 03:xx in London (outside)
        String tokyo = "+12025550011";
        String london = "+12025550012";
        long list = list("window-list", tokyo + "|Asia/Tokyo", london + "|Europe/London");
        long id = campaign("""
                {"name": "window", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "09:00", "end": "17:00", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "max_concurrent_calls": 2, "max_calls_per_second": 5}
                """.formatted(list));
        long t = contactId(list, tokyo);
        long l = contactId(list, london);
        await("the Tokyo call to complete", Duration.ofSeconds(60), () -> entry(id, t).state() == EntryState.DONE);
        CampaignReports.Entry waiting = entry(id, l);
        assertEquals(EntryState.PENDING, waiting.state());
        assertEquals(0, originatesTo(london));
        Instant nine = Instant.parse("2026-12-02T09:00:00Z");
        assertEquals(nine, waiting.nextAt());
        List<CampaignReports.Decision> ds = sim.server().campaignReports().decisions(id, l);
        assertEquals("window", ds.get(0).rule());
        assertFalse(ds.get(0).allowed());
        assertTrue(ds.get(0).reason().contains("Europe/London") && ds.get(0).reason().contains("09:00-17:00"),
                ds.get(0).reason());

        clock.advance(Duration.between(clock.instant(), nine).plusSeconds(1));
        await("the London call when its window opens", Duration.ofSeconds(60),
                () -> entry(id, l).state() == EntryState.DONE);
        assertEquals(1, originatesTo(london));
        assertTrue(sim.server().campaignReports().decisions(id, l).get(1).allowed());
    }

    @Test
    void capsHoldAcrossCampaigns() throws Exception {
        String phone = "+12025550021";
        long list1 = list("caps-list-1", phone);
        long first = campaign("""
                {"name": "caps-1", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list1));
        long list2 = list("caps-list-2", phone);
        long c1 = contactId(list1, phone);
        await("the first campaign's call", Duration.ofSeconds(60), () -> entry(first, c1).state() == EntryState.DONE);
        Instant answered = sim.server().campaignReports().attempts(first, 0, 1).get(0).startedAt();
        long second = campaign("""
                {"name": "caps-2", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list2));
        long c2 = contactId(list2, phone);
        await("the gate to block the second campaign", Duration.ofSeconds(20),
                () -> !sim.server().campaignReports().decisions(second, c2).isEmpty());
        CampaignReports.Decision d = sim.server().campaignReports().decisions(second, c2).get(0);
        assertFalse(d.allowed());
        assertEquals("cap_day", d.rule());
        assertTrue(d.reason().contains("1 answered call(s) to this number in the last 24 hours (cap 1)"), d.reason());
        Duration wait = Duration.between(answered, entry(second, c2).nextAt());
        assertTrue(wait.compareTo(Duration.ofHours(23)) > 0 && wait.compareTo(Duration.ofHours(25)) < 0,
                "blocked for about a day, got " + wait);
        assertEquals(1, originatesTo(phone));
    }

    @Test
    void aNumberAddedToDoNotCallMidCampaignIsNeverDialled() throws Exception {
        String p1 = "+12025550031";
        String p2 = "+12025550032";
        String p3 = "+12025550033";
        for (String p : List.of(p1, p2, p3)) {
            sim.ami().script(p, AmiPeer.Outcome.NO_ANSWER, Duration.ofMillis(1500));
        }
        long list = list("dnc-list", p1, p2, p3);
        long id = campaign("""
                {"name": "dnc", "dialog": "dialer_check", "lists": [%d], "max_concurrent_calls": 1,
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 1}}
                """.formatted(list));
        await("the first call", Duration.ofSeconds(20), () -> originatesTo(p1) + originatesTo(p2) + originatesTo(p3) > 0);
        HttpResponse<String> dnc = api("POST", "/api/dnc", "{\"phone\": \"" + p3 + "\", \"reason\": \"asked by letter\"}");
        assertEquals(201, dnc.statusCode(), dnc.body());
        long c3 = contactId(list, p3);
        await("the campaign to finish", Duration.ofSeconds(60), () -> {
            try {
                return state(id).equals("completed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, originatesTo(p3), "a number on the do-not-call list was dialled");
        assertEquals(EntryState.BLOCKED, entry(id, c3).state());
        CampaignReports.Decision d = sim.server().campaignReports().decisions(id, c3).get(0);
        assertEquals("dnc", d.rule());
        assertTrue(d.reason().contains("asked by letter"), d.reason());
        assertEquals(EntryState.EXHAUSTED, entry(id, contactId(list, p1)).state());
    }

    @Test
    void concurrencyAndCallsPerSecondBoundTheDialing() throws Exception {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String p = "+1202555004" + i;
            phones.add(p);
            sim.ami().script(p, AmiPeer.Outcome.NO_ANSWER, Duration.ofMillis(1200));
        }
        long list = list("pace-list", phones.toArray(String[]::new));
        long t0 = System.nanoTime();
        long id = campaign("""
                {"name": "pace", "dialog": "dialer_check", "lists": [%d], "max_concurrent_calls": 2,
                 "max_calls_per_second": 2,
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 1}}
                """.formatted(list));
        int maxInFlight = 0;
        while (!state(id).equals("completed")) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            int dialled = phones.stream().mapToInt(DialerEndToEndTest::originatesTo).sum();
            // never more than the rate allows (one tick's worth of burst on top)
            assertTrue(dialled <= 2 * seconds + 2, dialled + " calls in " + seconds + " s");
            maxInFlight = Math.max(maxInFlight, sim.server().dialQueue().inFlight(id));
            assertTrue(seconds < 60, "campaign did not finish within 60 s");
            Thread.sleep(25);
        }
        assertTrue(maxInFlight <= 2, "in flight " + maxInFlight);
        assertEquals(2, maxInFlight);
        for (String p : phones) {
            assertEquals(1, originatesTo(p), p);
        }
    }

    @Test
    void pacingByAgentsWaitsForAFreeAgent() throws Exception {
        String phone = "+12025550051";
        sim.ami().queue(AmiQueue.of("voicebot-agents", 0,
                List.of(new AmiQueue.Member("Agent 1", "PJSIP/agent1", 5, false, false)), List.of()));
        long id = campaign("""
                {"name": "agents", "dialog": "dialer_check", "lists": [%d], "pace_by_agents": true,
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list("agents-list", phone)));
        Thread.sleep(1500);
        assertEquals(0, originatesTo(phone), "dialled with no agent logged in");
        sim.ami().queue(AmiQueue.of("voicebot-agents", 0,
                List.of(new AmiQueue.Member("Agent 1", "PJSIP/agent1", 1, false, false)), List.of()));
        await("a call once an agent is free", Duration.ofSeconds(20), () -> originatesTo(phone) == 1);
        assertNotNull(sim.server().campaigns().view(id).orElseThrow());
    }

    @Test
    void pauseStopsNewCallsAtOnceLetsTheCallInProgressEndAndStopCancelsTheRest() throws Exception {
        List<String> phones = List.of("+12025550091", "+12025550092", "+12025550093", "+12025550094");
        for (String p : phones) {
            sim.ami().script(p, AmiPeer.Outcome.NO_ANSWER, Duration.ofMillis(1500));
        }
        long id = campaign("""
                {"name": "pause", "dialog": "dialer_check", "lists": [%d], "max_concurrent_calls": 1,
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 1}}
                """.formatted(list("pause-list", phones.toArray(String[]::new))));
        await("the first call", Duration.ofSeconds(20), () -> sim.server().dialQueue().inFlight(id) == 1);
        HttpResponse<String> paused = api("POST", "/api/campaigns/" + id + "/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        assertEquals("paused", JSON.readTree(paused.body()).path("state").asText());
        // the call in progress ends and is settled; nothing new is dialled while paused
        await("the call in progress to end", Duration.ofSeconds(20),
                () -> sim.server().dialQueue().inFlight(id) == 0);
        int dialled = phones.stream().mapToInt(DialerEndToEndTest::originatesTo).sum();
        assertEquals(1, dialled);
        Thread.sleep(1500); // several ticks
        assertEquals(dialled, phones.stream().mapToInt(DialerEndToEndTest::originatesTo).sum(),
                "dialled while paused");
        assertEquals(Map.of("exhausted", 1, "pending", 3), sim.server().campaignReports().progress(id).contacts());

        assertEquals(200, api("POST", "/api/campaigns/" + id + "/resume", null).statusCode());
        await("dialling again", Duration.ofSeconds(20),
                () -> phones.stream().mapToInt(DialerEndToEndTest::originatesTo).sum() == 2);
        HttpResponse<String> stopped = api("POST", "/api/campaigns/" + id + "/stop", null);
        assertEquals(200, stopped.statusCode(), stopped.body());
        assertEquals("stopped", JSON.readTree(stopped.body()).path("state").asText());
        await("the last call to end", Duration.ofSeconds(20), () -> sim.server().dialQueue().inFlight(id) == 0);
        assertEquals(Map.of("exhausted", 2, "cancelled", 2), sim.server().campaignReports().progress(id).contacts());
        HttpResponse<String> again = api("POST", "/api/campaigns/" + id + "/resume", null);
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("campaign " + id + " is stopped"), again.body());
    }

    @Test
    void badCampaignsAreRejectedWithEveryProblemNamed() throws Exception {
        HttpResponse<String> r = api("POST", "/api/campaigns", """
                {"name": "", "dialog": "nope", "lists": [999999], "max_calls_per_second": 0,
                 "window": {"start": "25:00", "days": ["XYZ"]}, "retry": {"busy": "soon", "max_attempts": 0},
                 "answering_machine": {"action": "voicemail"}, "colour": "red"}
                """);
        assertEquals(400, r.statusCode(), r.body());
        String body = r.body();
        for (String s : List.of("window.start", "window.days", "retry.busy", "colour")) {
            assertTrue(body.contains(s), s + " not named in " + body);
        }
        HttpResponse<String> r2 = api("POST", "/api/campaigns", """
                {"name": "x", "dialog": "nope", "lists": [999999], "max_calls_per_second": 0,
                 "retry": {"max_attempts": 0}, "answering_machine": {"action": "voicemail"}}
                """);
        assertEquals(400, r2.statusCode(), r2.body());
        for (String s : List.of("dialog", "max_calls_per_second", "max_attempts", "voicemail_text")) {
            assertTrue(r2.body().contains(s), s + " not named in " + r2.body());
        }
        HttpResponse<String> missing = api("POST", "/api/campaigns/424242/start", null);
        assertEquals(404, missing.statusCode(), missing.body());
    }

    @Test
    void answeringMachinesAreHungUpOnAndRetriedOrGetTheVoicemail() throws Exception {
        short[] machine = sim.answeringMachine("Hi, you have reached the voicemail of Ann. I cannot take your call "
                + "right now. Please leave a message after the tone.");
        String hangup = "+12025550071";
        String voicemail = "+12025550072";
        answerers.put(hangup, () -> new SimulatedCaller(List.of(), 1200, 60_000).withGreeting("machine", machine));
        answerers.put(voicemail, () -> new SimulatedCaller(List.of(), 1200, 60_000).withGreeting("machine",
                machine));
        long l1 = list("amd-hangup-list", hangup);
        long retry = campaign("""
                {"name": "amd-hangup", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 3, "machine": "4h"}, "answering_machine": {"action": "hangup"}}
                """.formatted(l1));
        long l2 = list("amd-voicemail-list", voicemail);
        long leave = campaign("""
                {"name": "amd-voicemail", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "answering_machine": {"action": "voicemail", "max_seconds": 5,
                                       "message": "This is Example Bank with a message for you. Please call us back."}}
                """.formatted(l2));
        long h = contactId(l1, hangup);
        long v = contactId(l2, voicemail);
        await("both machine calls", Duration.ofSeconds(120),
                () -> entry(retry, h).lastOutcome() != null && entry(leave, v).lastOutcome() != null);
        CampaignReports.Entry again = entry(retry, h);
        assertEquals("machine", again.lastOutcome());
        assertEquals(EntryState.PENDING, again.state());
        Duration wait = Duration.between(clock.instant(), again.nextAt());
        assertTrue(wait.compareTo(Duration.ofHours(3)) > 0 && wait.compareTo(Duration.ofHours(4)) <= 0,
                "a machine is retried after retry.machine (4h), got " + wait);
        assertEquals("voicemail", entry(leave, v).lastOutcome());
        assertEquals(EntryState.DONE, entry(leave, v).state());
        // the verdict is stored with each attempt
        for (long[] cc : new long[][] {{retry, h}, {leave, v}}) {
            String verdict = sim.server().database().query(c -> {
                try (var ps = c.prepareStatement("SELECT amd_verdict FROM call_attempts WHERE campaign_id = ? "
                        + "AND contact_id = ?")) {
                    ps.setLong(1, cc[0]);
                    ps.setLong(2, cc[1]);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertEquals("machine", verdict);
        }
        // a machine is not a person: the call does not count toward the number's caps (1 answered call a day),
        // so another campaign may call the number today, where a person who answered would block it (cap_day)
        long l3 = list("amd-again-list", hangup);
        long again2 = campaign("""
                {"name": "amd-again", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(l3));
        long h3 = contactId(l3, hangup);
        await("the gate's decision", Duration.ofSeconds(20),
                () -> !sim.server().campaignReports().decisions(again2, h3).isEmpty());
        CampaignReports.Decision d = sim.server().campaignReports().decisions(again2, h3).get(0);
        assertTrue(d.allowed(), d.reason());
        assertTrue(d.reason().contains("0/1 today"), d.reason());
    }

    @Test
    void aListUploadedAsCsvIsCalledAndListsMissingTheDialogsColumnsAreRefused() throws Exception {
        HttpRequest upload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                        + "/api/lists?name=csv-upload&region=US&dialog=dialer_check"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("Phone;Name;Timezone\r\n(202) 555-0081;Ann Lee;UTC\r\n"
                        + "12;Bo Chan;UTC\r\n")).build();
        HttpResponse<String> r = HTTP.send(upload, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode report = JSON.readTree(r.body());
        assertEquals(1, report.path("imported").asInt(), r.body());
        assertEquals(1, report.path("rejected").asInt(), r.body());
        assertEquals(3, report.path("rejections").get(0).path("line").asInt(), r.body());
        long list = report.path("id").asLong();
        long id = campaign("""
                {"name": "from-csv", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list));
        long ann = contactId(list, "+12025550081");
        await("the call to the imported number", Duration.ofSeconds(60),
                () -> entry(id, ann).state() == EntryState.DONE);
        assertEquals("completed", entry(id, ann).lastOutcome());

        // payment_reminder needs amount and due_date: a list without those columns cannot feed it
        HttpResponse<String> refused = api("POST", "/api/campaigns", """
                {"name": "no-amounts", "dialog": "payment_reminder", "lists": [%d]}
                """.formatted(list));
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("has no column amount, due_date that dialog payment_reminder needs"),
                refused.body());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void whatTheDialogEndsWithMovesTheContactOn() throws Exception {
        String callback = "+12025550061";
        String optOut = "+12025550062";
        String agent = "+12025550063";
        AtomicInteger callbackCalls = new AtomicInteger();
        answerers.put(callback, () -> new SimulatedCaller(List.of(new Reply.Keys(
                callbackCalls.incrementAndGet() == 1 ? "2" : "1"))));
        short[] stop = sim.voice("stop calling me");
        short[] yes = sim.voice("yes");
        // "Just to be sure: you want us to stop calling this number?" "yes"
        answerers.put(optOut, () -> new SimulatedCaller(List.of(new Reply.Speak("stop calling me", stop),
                new Reply.Speak("yes", yes)), 1200, 60_000));
        answerers.put(agent, () -> new SimulatedCaller(List.of(new Reply.Keys("0"))));
        // the callback contact lives in New York: "tomorrow at ten" is ten in New York
        long list = list("ends-list", callback + "|America/New_York", optOut, agent);
        long id = campaign("""
                {"name": "ends", "dialog": "dialer_check", "lists": [%d], "max_concurrent_calls": 3,
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "retry": {"max_attempts": 2}}
                """.formatted(list));
        long cb = contactId(list, callback);
        long oo = contactId(list, optOut);
        long ag = contactId(list, agent);
        await("the three calls", Duration.ofSeconds(120), () -> entry(id, cb).lastOutcome() != null
                && entry(id, oo).lastOutcome() != null && entry(id, ag).lastOutcome() != null);

        assertEquals("transferred", entry(id, ag).lastOutcome());
        assertEquals(EntryState.DONE, entry(id, ag).state());
        assertTrue(sim.campaignCalls().stream().anyMatch(f -> f.isDone() && !f.isCompletedExceptionally()
                && f.join().agi().dialplanNext().startsWith("queue:")), "no call went to an agent queue");

        assertEquals("opted_out", entry(id, oo).lastOutcome());
        assertEquals(EntryState.DONE, entry(id, oo).state());
        assertTrue(sim.server().dncStore().isBlocked(optOut, clock.instant()), "the opt-out did not reach do-not-call");
        // ... and no other campaign calls the number again
        long again = campaign("""
                {"name": "after-opt-out", "dialog": "dialer_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
                """.formatted(list("after-opt-out-list", optOut)));
        await("the gate to block the opted-out number", Duration.ofSeconds(20), () -> sim.server().campaignReports()
                .progress(again).contacts().getOrDefault("blocked", 0) == 1);
        assertEquals(1, originatesTo(optOut));

        // "call me back tomorrow at ten": the next attempt is a callback at that time, and it is placed then
        CampaignReports.Entry waiting = entry(id, cb);
        assertEquals("callback_requested", waiting.lastOutcome());
        assertEquals(EntryState.PENDING, waiting.state());
        assertEquals("callback", waiting.nextKind());
        ZoneId newYork = ZoneId.of("America/New_York");
        Instant firstCall = sim.server().campaignReports().attempts(id, 0, 10).stream().filter(a -> a.contactId() == cb)
                .findFirst().orElseThrow().startedAt();
        Instant tenTomorrow = firstCall.atZone(newYork).toLocalDate().plusDays(1).atTime(10, 0).atZone(newYork)
                .toInstant();
        assertEquals(tenTomorrow, waiting.nextAt());
        clock.advance(Duration.between(clock.instant(), tenTomorrow).plusSeconds(1));
        await("the callback", Duration.ofSeconds(60), () -> entry(id, cb).state() == EntryState.DONE);
        assertEquals(2, entry(id, cb).attempts());
        assertEquals("completed", entry(id, cb).lastOutcome());
        AttemptStore.Attempt second = sim.server().campaignReports().attempts(id, 0, 10).stream()
                .filter(a -> a.contactId() == cb && a.attemptNo() == 2).findFirst().orElseThrow();
        assertTrue(!second.startedAt().isBefore(tenTomorrow), "called back before the time asked: "
                + second.startedAt());
    }
}
