package io.voicebot.campaign;

import io.voicebot.store.CampaignStore;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.DialQueueStore.EntryState;
import io.voicebot.store.DialQueueStore.Next;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a contact goes after an attempt, under the campaign's retry policy. */
class SettlementTest {
    static final Instant NOW = Instant.parse("2026-12-02T15:00:00Z");

    static Campaign campaign(Instant endsAt) {
        return new Campaign(1, "c", 1, "d", List.of(1L), CampaignStore.State.RUNNING, null, endsAt,
                LocalTime.of(9, 0), LocalTime.of(20, 0), EnumSet.allOf(DayOfWeek.class), 3, Duration.ofHours(2), 10,
                null, 0, 1.0, 3, Map.of("busy", Duration.ofMinutes(10), "machine", Duration.ofHours(4)), "hangup",
                null, 30, false, null, null, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void endsOfTheDialogThatNeedNoMoreCallsAreDone() {
        for (String o : List.of("completed", "transferred", "opted_out", "wrong_person", "voicemail", "partial")) {
            assertEquals(EntryState.DONE, Settlement.next(campaign(null), o, 1, null, NOW).state(), o);
        }
    }

    @Test
    void unreachedOutcomesWaitTheirPolicyDelayElseTheDefault() {
        Next busy = Settlement.next(campaign(null), "busy", 1, null, NOW);
        assertEquals(new Next(EntryState.PENDING, NOW.plus(Duration.ofMinutes(10)), "retry", "busy: retry after PT10M"),
                busy);
        assertEquals(NOW.plus(Duration.ofHours(4)), Settlement.next(campaign(null), "machine", 2, null, NOW).nextAt());
        assertEquals(NOW.plus(Duration.ofHours(2)), Settlement.next(campaign(null), "no_answer", 1, null, NOW)
                .nextAt());
        assertEquals(NOW.plus(Duration.ofHours(2)), Settlement.next(campaign(null), "interrupted", 1, null, NOW)
                .nextAt());
    }

    @Test
    void theLastAttemptExhaustsTheContact() {
        Next n = Settlement.next(campaign(null), "no_answer", 3, null, NOW);
        assertEquals(EntryState.EXHAUSTED, n.state());
        assertEquals("all 3 attempts used; last ended no_answer", n.reason());
    }

    @Test
    void aCallbackIsPlacedAtTheAskedTimeEvenAfterTheLastAttempt() {
        Instant tomorrowTen = Instant.parse("2026-12-03T10:00:00Z");
        Next n = Settlement.next(campaign(null), "callback_requested", 3, tomorrowTen, NOW);
        assertEquals(new Next(EntryState.PENDING, tomorrowTen, "callback", "callback requested for " + tomorrowTen),
                n);
        // a time in the past, or after the campaign ends, falls back to the retry policy
        Next past = Settlement.next(campaign(null), "callback_requested", 1, NOW.minusSeconds(60), NOW);
        assertEquals("retry", past.kind());
        assertEquals(NOW.plus(Duration.ofHours(2)), past.nextAt());
        Next late = Settlement.next(campaign(Instant.parse("2026-12-03T00:00:00Z")), "callback_requested", 1,
                tomorrowTen, NOW);
        assertEquals("retry", late.kind());
        // callbacks beyond max_attempts are bounded
        assertEquals(EntryState.EXHAUSTED, Settlement.next(campaign(null), "callback_requested", 5, tomorrowTen, NOW)
                .state());
    }
}
