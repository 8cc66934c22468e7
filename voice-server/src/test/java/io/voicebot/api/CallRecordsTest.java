package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.store.CallStore;
import io.voicebot.store.DecisionStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/calls over a few hundred stored calls (inbound and outbound, two campaigns, several outcomes, dialogs
 * and numbers, calls sharing a start time): every filter returns exactly the calls it should, in started_at desc,
 * id desc order, and walking the cursor pages visits each of them once; bad parameters are a 400 naming the
 * parameter.
 */
class CallRecordsTest {
    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    private static final String[] OUTCOMES = {"completed", "transferred", "hung_up", "machine"};
    private static final String[] DIALOGS = {"payment_reminder", "satisfaction_survey", "hotline"};
    private static final String[] PHONES = java.util.stream.IntStream.range(101, 113)
            .mapToObj(n -> "+12025550" + n).toArray(String[]::new);

    private static TestDatabase tdb;
    private static VoicebotServer server;
    private static String agent;
    private static long campaignA;
    private static long campaignB;
    /** What was stored, with the campaign of each (null: none). */
    private static final List<Stored> stored = new ArrayList<>();

    private record Stored(CallStore.CallRecord call, Long campaign) {}

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        server = ApiServer.start(tdb, Map.of("campaign.enabled", "false"));
        agent = ApiServer.token(server, Role.AGENT);
        ListStore lists = server.listStore();
        long list = lists.createList("records");
        List<ListStore.ContactRow> rows = new ArrayList<>();
        for (String p : PHONES) {
            rows.add(new ListStore.ContactRow(p, "Contact " + p, Map.of(), "UTC"));
        }
        List<Long> contacts = lists.addContacts(list, rows).imported().stream()
                .map(ListStore.Imported::contactId).toList();
        CampaignStore cs = server.campaignStore();
        campaignA = cs.createCampaign(new CampaignStore.CampaignSpec("records-a", "payment_reminder", list,
                LocalTime.MIN, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 20, Duration.ofHours(1), 1));
        campaignB = cs.createCampaign(new CampaignStore.CampaignSpec("records-b", "payment_reminder", list,
                LocalTime.MIN, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 20, Duration.ofHours(1), 1));
        CallStore calls = server.callStore();
        for (int i = 0; i < 240; i++) {
            // every third pair of calls starts at the same millisecond: the id orders them
            Instant at = T0.plus(Duration.ofMinutes(i / 2 * 7L));
            boolean outbound = i % 3 != 0;
            String phone = PHONES[i % PHONES.length];
            Long campaign = null;
            Long attempt = null;
            if (outbound && i % 4 != 1) {
                campaign = i % 2 == 0 ? campaignA : campaignB;
                attempt = server.attemptStore().scheduleAttempt(campaign, contacts.get(i % PHONES.length), at);
                server.attemptStore().finishAttempt(attempt, OUTCOMES[i % OUTCOMES.length]);
            }
            CallStore.CallRecord c = calls.insertCall(CallStore.CallRecord.started(UUID.randomUUID().toString(),
                    outbound ? CallStore.Direction.OUTBOUND : CallStore.Direction.INBOUND, DIALOGS[i % DIALOGS.length],
                    outbound ? null : phone, outbound ? phone : "8005550100", at).withAttempt(attempt));
            CallStore.CallRecord ended = c.ended(at.plusSeconds(40), OUTCOMES[i % OUTCOMES.length]);
            calls.updateCall(ended);
            stored.add(new Stored(ended, campaign));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutdown();
        }
        tdb.close();
    }

    private static HttpResponse<String> get(String query, String token) throws Exception {
        return ApiServer.send(server.httpPort(), "GET", "/api/calls" + query, token, null, null);
    }

    /** Every page of {@code query} (which has at least one parameter) with {@code limit}, concatenated. */
    private static List<String> walk(String query, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = get(query + "&limit=" + limit + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), agent);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = ApiServer.json(r);
            assertTrue(body.path("calls").size() <= limit);
            body.path("calls").forEach(c -> ids.add(c.path("id").asText()));
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asText();
            assertTrue(++pages < 1000, "paging does not end");
        } while (cursor != null);
        return ids;
    }

    private static List<String> expected(Predicate<Stored> filter) {
        return stored.stream().filter(filter)
                .sorted(Comparator.comparing((Stored s) -> s.call().startedAt())
                        .thenComparing(s -> s.call().id()).reversed())
                .map(s -> s.call().callUuid()).toList();
    }

    @Test
    void pagingVisitsEveryCallOnceNewestFirst() throws Exception {
        List<String> all = walk("?direction=inbound", 7);
        assertEquals(expected(s -> s.call().direction() == CallStore.Direction.INBOUND), all);
        List<String> everything = walk("?limit=50", 13);
        assertEquals(expected(s -> true), everything);
        assertEquals(240, everything.size());
    }

    @Test
    void eachFilterReturnsExactlyItsCalls() throws Exception {
        assertEquals(expected(s -> Long.valueOf(campaignA).equals(s.campaign())), walk("?campaign=" + campaignA, 20));
        assertEquals(expected(s -> Long.valueOf(campaignB).equals(s.campaign())
                && s.call().outcome().equals("machine")), walk("?campaign=" + campaignB + "&outcome=machine", 9));
        assertEquals(expected(s -> s.call().direction() == CallStore.Direction.OUTBOUND),
                walk("?direction=outbound", 100));
        assertEquals(expected(s -> s.call().outcome().equals("transferred")), walk("?outcome=transferred", 11));
        assertEquals(expected(s -> s.call().dialogName().equals("hotline")), walk("?dialog=hotline", 30));
        // the number written any way the default region reads it; caller of inbound, called of outbound calls
        assertEquals(expected(s -> PHONES[1].equals(s.call().callerNumber())
                || PHONES[1].equals(s.call().calledNumber())), walk("?phone=" + URLEncoder.encode("(202) 555-0102",
                StandardCharsets.UTF_8), 25));
        assertEquals(expected(s -> PHONES[2].equals(s.call().calledNumber())),
                walk("?direction=outbound&phone=%2B12025550103", 25));
        Instant from = T0.plus(Duration.ofHours(2));
        Instant to = T0.plus(Duration.ofHours(5));
        assertEquals(expected(s -> !s.call().startedAt().isBefore(from) && s.call().startedAt().isBefore(to)),
                walk("?from=" + from + "&to=" + to, 8));
        // a date as "to" includes that whole day
        assertEquals(expected(s -> true), walk("?from=2026-11-02&to=2026-11-02", 100));
        assertEquals(List.of(), walk("?from=2026-11-03", 10));
        assertEquals(List.of(), walk("?dialog=no_such_dialog", 10));
    }

    @Test
    void aRowSaysWhatTheListShows() throws Exception {
        Stored s = stored.stream().filter(x -> x.campaign() != null).reduce((a, b) -> b).orElseThrow();
        JsonNode rows = ApiServer.json(get("?campaign=" + s.campaign() + "&limit=1", agent)).path("calls");
        assertEquals(1, rows.size());
        JsonNode row = rows.get(0);
        assertEquals(s.call().callUuid(), row.path("id").asText());
        assertEquals("outbound", row.path("direction").asText());
        assertEquals(s.campaign().longValue(), row.path("campaignId").asLong());
        assertEquals(s.call().calledNumber(), row.path("calledNumber").asText());
        assertEquals(s.call().outcome(), row.path("outcome").asText());
        assertEquals(s.call().startedAt().toString(), row.path("startedAt").asText());
        assertTrue(row.path("recording").isNull());
    }

    @Test
    void aCallsDetailListsItsDecisionsOnDestructiveRequestsWithTheReason() throws Exception {
        CallStore.CallRecord call = stored.get(7).call();
        DecisionStore decisions = server.callStore().decisions();
        Instant at = call.startedAt().plusSeconds(12);
        decisions.insert(new DecisionStore.Decision(call.id(), "rating", "opt_out", false,
                "asked to confirm: heard at confidence 0.41", at));
        decisions.insert(new DecisionStore.Decision(call.id(), "rating", "opt_out", true, "confirmed by voice",
                at.plusSeconds(4)));
        HttpResponse<String> r = ApiServer.send(server.httpPort(), "GET", "/api/calls/" + call.callUuid(), agent,
                null, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode ds = ApiServer.json(r).path("decisions");
        assertEquals(2, ds.size(), r.body());
        assertEquals("opt_out", ds.get(0).path("intent").asText());
        assertEquals("rating", ds.get(0).path("step").asText());
        assertFalse(ds.get(0).path("acted").asBoolean());
        assertEquals("asked to confirm: heard at confidence 0.41", ds.get(0).path("reason").asText());
        assertTrue(ds.get(1).path("acted").asBoolean());
        assertEquals("confirmed by voice", ds.get(1).path("reason").asText());
        assertEquals(at.plusSeconds(4).toString(), ds.get(1).path("at").asText());
        // a call without any has an empty list, not a missing field
        JsonNode none = ApiServer.json(ApiServer.send(server.httpPort(), "GET",
                "/api/calls/" + stored.get(8).call().callUuid(), agent, null, null)).path("decisions");
        assertTrue(none.isArray() && none.isEmpty(), none.toString());
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("?direction=sideways", "direction");
        bad.put("?campaign=abc", "campaign");
        bad.put("?campaign=-4", "campaign");
        bad.put("?from=yesterday", "from");
        bad.put("?to=2026-13-01", "to");
        bad.put("?from=2026-11-05&to=2026-11-01", "from");
        bad.put("?limit=0", "limit");
        bad.put("?limit=501", "limit");
        bad.put("?limit=ten", "limit");
        bad.put("?cursor=not-a-cursor", "cursor");
        bad.put("?phone=call-me", "phone");
        bad.put("?outcome=" + URLEncoder.encode("'; drop table calls", StandardCharsets.UTF_8), "outcome");
        bad.put("?dialog=Bad-Name", "dialog");
        bad.put("?colour=blue", "colour");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<String> r = get(e.getKey(), agent);
            assertEquals(400, r.statusCode(), e.getKey() + ": " + r.body());
            assertTrue(ApiServer.json(r).path("error").asText().contains("'" + e.getValue() + "'"),
                    e.getKey() + ": " + r.body());
        }
    }

    @Test
    void theListNeedsAToken() throws Exception {
        assertEquals(401, get("?limit=1", null).statusCode());
        assertEquals(401, get("?limit=1", "vb_not-a-token").statusCode());
        HttpResponse<String> r = get("", agent);
        assertEquals(200, r.statusCode());
        assertEquals(50, ApiServer.json(r).path("calls").size());
    }
}
