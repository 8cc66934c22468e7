package io.voicebot.campaign;

import io.voicebot.store.CampaignStore;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.DialQueueStore.Candidate;
import io.voicebot.store.DialQueueStore.DncHit;
import io.voicebot.store.DialQueueStore.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compliance gate's decisions, one rule at a time, with the reasons an operator reads. */
class GateTest {
    static final String RULES = """
            default: {weekdays: "08:00-21:00", saturday: "09:00-20:00", sunday: "none"}
            countries:
              DE: {weekdays: "09:00-20:00", saturday: "none", sunday: "none", holidays: ["2026-12-25", "2026-12-26"]}
            caps: {per_day: 1, per_week: 3, per_month: 8}
            """;

    @TempDir
    Path dir;

    Gate gate() throws IOException {
        Path f = dir.resolve("compliance.yaml");
        Files.writeString(f, RULES);
        return new Gate(ComplianceRules.load(f));
    }

    static Campaign campaign(LocalTime start, LocalTime end, Instant endsAt, int perDay) {
        return new Campaign(1, "c", 1, "d", List.of(1L), CampaignStore.State.RUNNING, null, endsAt, start, end,
                EnumSet.allOf(DayOfWeek.class), 5, Duration.ofHours(1), 10, null, 0, 1.0, perDay, Map.of(), "hangup",
                null, 30, false, null, null, Instant.EPOCH, Instant.EPOCH);
    }

    static Campaign campaign(LocalTime start, LocalTime end) {
        return campaign(start, end, null, 3);
    }

    static Candidate who(String country, List<String> zones) {
        return new Candidate(1, 7, "+15550001111", country, zones, 0, "first", null, false, List.of(), List.of());
    }

    static Candidate with(Candidate k, DncHit dnc, boolean inFlight, List<Instant> calls, List<Instant> attempts) {
        return new Candidate(k.campaignId(), k.contactId(), k.phone(), k.country(), k.timezones(), k.attempts(),
                k.nextKind(), dnc, inFlight, calls, attempts);
    }

    @Test
    void insideEveryWindowIsAllowedWithTheReasonSpelledOut() throws IOException {
        // Wednesday 15:00 UTC = 10:00 in New York
        Verdict v = gate().decide(who("US", List.of("America/New_York")), campaign(LocalTime.of(9, 0),
                LocalTime.of(20, 0)), Instant.parse("2026-12-02T15:00:00Z"));
        assertTrue(v.allowed(), v.reason());
        assertEquals("Wed 10:00 America/New_York is inside the campaign window 09:00-20:00 and the legal window "
                + "08:00-21:00 (US); not on the do-not-call list; 0/1 today, 0/3 this week, 0/8 this month "
                + "(answered calls); attempt 1 (first)", v.reason());
    }

    @Test
    void doNotCallBlocksForGoodOrUntilItExpires() throws IOException {
        Instant now = Instant.parse("2026-12-02T15:00:00Z");
        Candidate k = who("US", List.of("America/New_York"));
        Verdict forever = gate().decide(with(k, new DncHit("opted out on a call", null), false, List.of(), List.of()),
                campaign(LocalTime.of(9, 0), LocalTime.of(20, 0)), now);
        assertFalse(forever.allowed());
        assertEquals("dnc", forever.rule());
        assertNull(forever.notBefore());
        assertTrue(forever.reason().contains("opted out on a call"), forever.reason());
        Instant until = Instant.parse("2027-01-01T00:00:00Z");
        Verdict expiring = gate().decide(with(k, new DncHit("complaint", until), false, List.of(), List.of()),
                campaign(LocalTime.of(9, 0), LocalTime.of(20, 0)), now);
        assertEquals(until, expiring.notBefore());
    }

    @Test
    void aCallInFlightToTheNumberHoldsTheNext() throws IOException {
        Instant now = Instant.parse("2026-12-02T15:00:00Z");
        Verdict v = gate().decide(with(who("US", List.of("America/New_York")), null, true, List.of(), List.of()),
                campaign(LocalTime.of(9, 0), LocalTime.of(20, 0)), now);
        assertEquals("in_flight", v.rule());
        assertEquals(now.plus(Gate.IN_FLIGHT_RECHECK), v.notBefore());
    }

    @Test
    void withoutATimeZoneNobodyIsCalled() throws IOException {
        Verdict v = gate().decide(who("US", List.of()), campaign(LocalTime.of(9, 0), LocalTime.of(20, 0)),
                Instant.parse("2026-12-02T15:00:00Z"));
        assertEquals("no_timezone", v.rule());
        assertNull(v.notBefore());
    }

    @Test
    void beforeTheWindowWaitsForItsOpeningInLocalTime() throws IOException {
        // 12:00 UTC = 07:00 in New York: opens at 09:00 local = 14:00 UTC
        Verdict v = gate().decide(who("US", List.of("America/New_York")), campaign(LocalTime.of(9, 0),
                LocalTime.of(20, 0)), Instant.parse("2026-12-02T12:00:00Z"));
        assertEquals("window", v.rule());
        assertEquals(Instant.parse("2026-12-02T14:00:00Z"), v.notBefore());
        assertTrue(v.reason().startsWith("outside calling hours at Wed 07:00 America/New_York; campaign window "
                + "09:00-20:00"), v.reason());
        // the legal window narrows a wider campaign window: 07:00-23:00 still starts at the law's 08:00
        Verdict law = gate().decide(who("US", List.of("America/New_York")), campaign(LocalTime.of(7, 0),
                LocalTime.of(23, 0)), Instant.parse("2026-12-02T12:00:00Z"));
        assertEquals(Instant.parse("2026-12-02T13:00:00Z"), law.notBefore());
    }

    @Test
    void aNumberInSeveralZonesIsCalledOnlyWhenItIsLegalInAll() throws IOException {
        // 15:00 UTC: 10:00 New York, 07:00 Los Angeles; both are in window from 09:00 LA = 17:00 UTC
        Verdict v = gate().decide(who("US", List.of("America/New_York", "America/Los_Angeles")),
                campaign(LocalTime.of(9, 0), LocalTime.of(20, 0)), Instant.parse("2026-12-02T15:00:00Z"));
        assertEquals("window", v.rule());
        assertEquals(Instant.parse("2026-12-02T17:00:00Z"), v.notBefore());
        assertTrue(v.reason().contains("Wed 10:00 America/New_York, Wed 07:00 America/Los_Angeles"), v.reason());
        Verdict later = gate().decide(who("US", List.of("America/New_York", "America/Los_Angeles")),
                campaign(LocalTime.of(9, 0), LocalTime.of(20, 0)), Instant.parse("2026-12-02T17:00:00Z"));
        assertTrue(later.allowed(), later.reason());
    }

    @Test
    void holidaysAndClosedDaysOfTheCountryAreSkipped() throws IOException {
        // Friday 25 December 10:00 in Berlin: holiday; the 26th too, Sunday closed: Monday 28th at 09:00
        Verdict v = gate().decide(who("DE", List.of("Europe/Berlin")), campaign(LocalTime.of(8, 0),
                LocalTime.of(20, 0)), Instant.parse("2026-12-25T09:00:00Z"));
        assertEquals("holiday", v.rule());
        assertEquals(Instant.parse("2026-12-28T08:00:00Z"), v.notBefore());
        assertTrue(v.reason().startsWith("holiday in DE"), v.reason());
    }

    @Test
    void daylightSavingTimeMovesTheOpeningInUtc() throws IOException {
        // 8 March 2026, New York springs forward at 02:00: 09:00 local is 13:00 UTC (it was 14:00 the day before)
        Verdict v = gate().decide(who("US", List.of("America/New_York")), campaign(LocalTime.of(9, 0),
                LocalTime.of(20, 0)), Instant.parse("2026-03-09T06:00:00Z"));
        assertEquals(Instant.parse("2026-03-09T13:00:00Z"), v.notBefore());
        Verdict before = gate().decide(who("US", List.of("America/New_York")), campaign(LocalTime.of(9, 0),
                LocalTime.of(20, 0)), Instant.parse("2026-03-06T06:00:00Z"));
        assertEquals(Instant.parse("2026-03-06T14:00:00Z"), before.notBefore());
    }

    @Test
    void capsCountCallsAcrossCampaignsInRollingPeriods() throws IOException {
        Instant now = Instant.parse("2026-12-02T15:00:00Z");
        Campaign c = campaign(LocalTime.of(9, 0), LocalTime.of(20, 0));
        Candidate k = who("US", List.of("America/New_York"));
        Instant twoHoursAgo = now.minus(Duration.ofHours(2));
        Verdict day = gate().decide(with(k, null, false, List.of(twoHoursAgo), List.of()), c, now);
        assertEquals("cap_day", day.rule());
        // free 24 h after that call: 13:00 UTC next day = 08:00 New York, before the campaign's 09:00: 14:00 UTC
        assertEquals(Instant.parse("2026-12-03T14:00:00Z"), day.notBefore());
        List<Instant> week = List.of(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(4)),
                now.minus(Duration.ofDays(6)));
        Verdict w = gate().decide(with(k, null, false, week, List.of()), c, now);
        assertEquals("cap_week", w.rule());
        assertTrue(w.reason().startsWith("3 answered call(s) to this number in the last 7 days (cap 3)"),
                w.reason());
        Verdict perCampaign = gate().decide(with(k, null, false, List.of(), List.of(now.minus(Duration.ofHours(1)),
                now.minus(Duration.ofHours(3)))), campaign(LocalTime.of(9, 0), LocalTime.of(20, 0), null, 2), now);
        assertEquals("campaign_day_limit", perCampaign.rule());
    }

    @Test
    void aWindowThatOpensOnlyAfterTheCampaignEndsBlocksForGood() throws IOException {
        Verdict v = gate().decide(who("US", List.of("America/New_York")), campaign(LocalTime.of(9, 0),
                LocalTime.of(20, 0), Instant.parse("2026-12-02T13:00:00Z"), 3), Instant.parse("2026-12-02T12:00:00Z"));
        assertEquals("campaign_end", v.rule());
        assertNull(v.notBefore());
    }

    @Test
    void badRulesFilesNameEveryProblem() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                default: {weekdays: "8-21", sunday: "09:00-25:00"}
                countries:
                  USA: {weekdays: "08:00-21:00"}
                  DE: {holidays: ["25.12.2026"], lunch: "12:00-13:00"}
                caps: {per_day: -1, count: sometimes}
                extra: 1
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComplianceRules.load(f));
        for (String s : List.of("extra: unknown key", "default.weekdays: '8-21'", "default.sunday: '09:00-25:00'",
                "countries.USA: not an ISO 3166", "countries.DE.lunch: unknown key",
                "countries.DE.holidays: '25.12.2026'", "caps.per_day", "caps.count")) {
            assertTrue(e.getMessage().contains(s), s + " missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
