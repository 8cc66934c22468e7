package io.voicebot.store;

import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.store.DialQueueStore.Claimed;
import io.voicebot.store.DialQueueStore.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A campaign's queue and its lists' import states, against a real database (H2 or MariaDB). */
class CampaignListsTest {
    static TestDatabase tdb;
    MutableClock clock;
    ListStore lists;
    CampaignStore campaigns;
    DialQueueStore queue;
    CampaignLists campaignLists;

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    @BeforeEach
    void each() {
        tdb.clean();
        clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        lists = new ListStore(tdb.database(), clock);
        campaigns = new CampaignStore(tdb.database(), clock);
        queue = new DialQueueStore(tdb.database(), clock);
        campaignLists = new CampaignLists(tdb.database());
    }

    private long importing(String name, String... phones) {
        long id = lists.startImport(new ListStore.ListSpec(name, "US", null, List.of(), "UTF-8"));
        List<ListStore.NewContact> rows = new ArrayList<>();
        for (int i = 0; i < phones.length; i++) {
            rows.add(new ListStore.NewContact(i + 2, phones[i], null, Map.of(), "UTC", "US"));
        }
        lists.addBatch(id, new ListStore.Batch(phones.length, rows, List.of(), 0, 0));
        return id;
    }

    private long ready(String name, String... phones) {
        long id = importing(name, phones);
        lists.finishImport(id);
        return id;
    }

    private long campaign(String name, long... listIds) {
        List<Long> ids = new ArrayList<>();
        for (long l : listIds) {
            ids.add(l);
        }
        return campaigns.createCampaign(new CampaignSpec(name, "payment_reminder", ids, LocalTime.MIN,
                LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 3, Duration.ofMinutes(10), 10, null, null,
                null, 0, 5.0, 3, Map.of(), "hangup", null, 30, false));
    }

    private List<String> claim(long campaign) {
        return queue.claim(campaign, 10, 10, "n1", false, k -> Verdict.allow("test")).stream()
                .map(Claimed::phone).sorted().toList();
    }

    /** A queue filled by a version before this one holds the contacts of lists that are not ready. */
    private void legacyEntry(long campaign, long list) {
        ListStore.Contact k = lists.contacts(list).get(0);
        tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_contacts (campaign_id, contact_id, "
                    + "phone, state, next_at, attempts, next_kind, updated_at) VALUES (?, ?, ?, 'pending', ?, 0, "
                    + "'first', ?)")) {
                ps.setLong(1, campaign);
                ps.setLong(2, k.id());
                ps.setString(3, k.phone());
                Sql.setInstant(ps, 4, clock.instant());
                Sql.setInstant(ps, 5, clock.instant());
                return ps.executeUpdate();
            }
        });
    }

    @Test
    void aQueueEntryOfAListStillImportingIsNotPickedUntilTheListIsReady() {
        long list = importing("half", "+12025550401");
        long id = campaign("legacy", list);
        campaigns.start(id);
        assertEquals(0, campaignLists.remaining(id), "a list still importing adds nothing at start");
        assertTrue(campaignLists.waitsForImport(id));
        legacyEntry(id, list);
        assertEquals(List.of(), claim(id), "picked a contact of a list still importing");
        lists.finishImport(list);
        assertFalse(campaignLists.waitsForImport(id));
        assertEquals(List.of("+12025550401"), claim(id));
    }

    @Test
    void aQueueEntryOfAFailedListIsNeverPickedAndDoesNotKeepTheCampaignOpen() {
        long ready = ready("ok", "+12025550431");
        long broken = importing("gone", "+12025550432");
        long id = campaign("legacy-failed", ready, broken);
        campaigns.start(id);
        legacyEntry(id, broken);
        assertEquals(2, campaignLists.remaining(id));
        lists.failImport(broken, "import interrupted by a restart of node n1");
        assertEquals(1, campaignLists.remaining(id), "the failed list's entry still counts as work");
        assertEquals(List.of("+12025550431"), claim(id));
        assertEquals(List.of(), claim(id));
    }

    @Test
    void aFailedListCannotStartAndAddsNothingWhenItFailsUnderARunningCampaign() {
        long ready = ready("ready", "+12025550411");
        long broken = importing("broken", "+12025550412");
        long running = campaign("running", ready, broken);
        long draft = campaign("draft", broken);
        campaigns.start(running);
        assertTrue(lists.failImport(broken, "import interrupted by a restart of node n1"));
        assertFalse(campaignLists.waitsForImport(running), "a failed list is not waited for");
        assertEquals(List.of("+12025550411"), claim(running));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> campaigns.start(draft));
        assertTrue(e.getMessage().contains("list " + broken + " 'broken' is failed (import interrupted by a "
                + "restart of node n1)"), e.getMessage());
        assertEquals(CampaignStore.State.DRAFT, campaigns.findCampaign(draft).orElseThrow().state());
    }

    @Test
    void aPausedCampaignGetsTheContactsWhenItsListCompletesAndNumbersOnTwoListsStayOne() {
        long ready = ready("first", "+12025550421");
        long late = importing("second", "+12025550421", "+12025550422");
        long id = campaign("paused", ready, late);
        campaigns.start(id);
        campaigns.pause(id);
        lists.finishImport(late);
        assertEquals(2, campaignLists.remaining(id));
        campaigns.resume(id);
        assertEquals(List.of("+12025550421", "+12025550422"), claim(id));
    }

    /** A campaign starting while its list's import finishes gets every contact, whichever commits first. */
    @Test
    void startingWhileTheImportFinishesLosesNoContact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                long list = importing("race-" + round, "+1202555050" + round, "+1202555060" + round);
                long id = campaign("race-" + round, list);
                Future<?> start = pool.submit(() -> campaigns.start(id));
                Future<?> finish = pool.submit(() -> lists.finishImport(list));
                start.get(30, TimeUnit.SECONDS);
                finish.get(30, TimeUnit.SECONDS);
                assertEquals(2, campaignLists.remaining(id), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
