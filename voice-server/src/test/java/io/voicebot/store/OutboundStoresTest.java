package io.voicebot.store;

import io.voicebot.store.AttemptStore.Attempt;
import io.voicebot.store.AttemptStore.AttemptContext;
import io.voicebot.store.AttemptStore.AttemptState;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.store.ListStore.Contact;
import io.voicebot.store.ListStore.ContactImport;
import io.voicebot.store.ListStore.ContactRow;
import io.voicebot.store.ListStore.Imported;
import io.voicebot.store.ListStore.Rejected;
import io.voicebot.store.DialogStore.StoredDialog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stores of the outbound side: dialogs, lists, campaigns and attempts, against a real database. */
class OutboundStoresTest {
    static final Instant T0 = Instant.parse("2024-03-10T12:34:56.789654321Z");
    static final Instant T0_MS = Instant.parse("2024-03-10T12:34:56.789Z");
    static final Set<DayOfWeek> WEEKDAYS = EnumSet.of(MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY);
    static final String YAML = "name: payment_reminder\nsteps: []\n";

    static TestDatabase tdb;
    static TimeZone savedZone;
    MutableClock clock;
    DialogStore dialogStore;
    ListStore listStore;
    CampaignStore campaignStore;
    AttemptStore attemptStore;

    @BeforeAll
    static void setUp() {
        // A non-UTC JVM zone must not shift stored times.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Sao_Paulo"));
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
        TimeZone.setDefault(savedZone);
    }

    @BeforeEach
    void each() {
        tdb.clean();
        clock = new MutableClock(T0);
        dialogStore = new DialogStore(tdb.database(), clock);
        listStore = new ListStore(tdb.database(), clock);
        campaignStore = new CampaignStore(tdb.database(), clock);
        attemptStore = new AttemptStore(tdb.database(), clock);
    }

    static ContactRow row(String phone, String name, Map<String, String> fields, String tz) {
        return new ContactRow(phone, name, fields, tz);
    }

    CampaignSpec spec(String name, long listId, int maxAttempts) {
        return new CampaignSpec(name, "payment_reminder", listId, LocalTime.of(9, 0), LocalTime.of(20, 30),
                WEEKDAYS, maxAttempts, Duration.ofHours(2), 10);
    }

    /** A dialog, a list with the given phones and a campaign over them; returns campaign id and contact ids. */
    long[] campaignWith(String name, int maxAttempts, String... phones) {
        dialogStore.saveDialog("payment_reminder", "yaml", YAML);
        long list = listStore.createList(name + "-list");
        List<ContactRow> rows = new ArrayList<>();
        for (String p : phones) {
            rows.add(row(p, null, null, null));
        }
        ContactImport imp = listStore.addContacts(list, rows);
        assertEquals(List.of(), imp.rejected());
        long[] out = new long[phones.length + 1];
        out[0] = campaignStore.createCampaign(spec(name, list, maxAttempts));
        for (int i = 0; i < phones.length; i++) {
            out[i + 1] = imp.imported().get(i).contactId();
        }
        return out;
    }

    String raw(String sql, long id) {
        return tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void dialogUpsertBumpsVersionOnlyWhenTheScriptChanges() {
        long id = dialogStore.saveDialog("payment_reminder", "YAML", YAML);
        StoredDialog v1 = new StoredDialog(id, "payment_reminder", 1, "yaml", YAML, T0_MS, T0_MS);
        assertEquals(v1, dialogStore.findDialog("payment_reminder").orElseThrow());

        clock.advance(Duration.ofMinutes(1));
        assertEquals(id, dialogStore.saveDialog("payment_reminder", "yaml", YAML));
        assertEquals(v1, dialogStore.findDialog("payment_reminder").orElseThrow(), "same upload changes nothing");

        String changed = YAML + "description: second\n";
        assertEquals(id, dialogStore.saveDialog("payment_reminder", "yaml", changed));
        StoredDialog v2 = dialogStore.findDialog("payment_reminder").orElseThrow();
        assertEquals(new StoredDialog(id, "payment_reminder", 2, "yaml", changed, T0_MS,
                Instant.parse("2024-03-10T12:35:56.789Z")), v2);

        String asJson = "{\"name\":\"payment_reminder\",\"steps\":[]}";
        dialogStore.saveDialog("payment_reminder", "json", asJson);
        assertEquals(3, dialogStore.findDialog("payment_reminder").orElseThrow().version());

        long other = dialogStore.saveDialog("a_hotline", "json", "{\"name\":\"a_hotline\"}");
        assertEquals(List.of("a_hotline", "payment_reminder"), dialogStore.dialogs().stream().map(StoredDialog::name).toList());
        assertEquals(other, dialogStore.dialogs().get(0).id());
        assertTrue(dialogStore.findDialog("missing").isEmpty());
        assertEquals("2024-03-10 12:34:56.789", raw("SELECT CAST(created_at AS CHAR(30)) FROM dialogs WHERE id = ?", id));
    }

    @Test
    void badDialogsAreRejectedWithTheReason() {
        assertEquals("dialog name must be lower_snake_case, 1 to 100 characters, got 'Payment Reminder'",
                assertThrows(IllegalArgumentException.class,
                        () -> dialogStore.saveDialog("Payment Reminder", "yaml", YAML)).getMessage());
        assertEquals("dialog survey: format must be yaml or json, got 'xml'",
                assertThrows(IllegalArgumentException.class,
                        () -> dialogStore.saveDialog("survey", "xml", "<a/>")).getMessage());
        assertEquals("dialog survey: body is empty",
                assertThrows(IllegalArgumentException.class,
                        () -> dialogStore.saveDialog("survey", "json", "  \n")).getMessage());
        assertEquals(List.of(), dialogStore.dialogs());
    }

    @Test
    void concurrentFirstUploadsOfOneNameMakeOneDialog() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String body = "{\"n\":" + (i % 2) + "}";
                ids.add(pool.submit(() -> dialogStore.saveDialog("race", "json", body)));
            }
            long first = ids.get(0).get(30, TimeUnit.SECONDS);
            for (Future<Long> f : ids) {
                assertEquals(first, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, dialogStore.dialogs().size());
        assertTrue(dialogStore.findDialog("race").orElseThrow().version() <= 8);
    }

    @Test
    void importKeepsGoodRowsAndReportsEveryBadOneByRowAndField() {
        long list = listStore.createList("march-reminders");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amount", "120.50");
        fields.put("due_date", "2024-03-31");
        Map<String, String> reserved = Map.of("phone", "+4912345678");
        Map<String, String> badKey = Map.of("due date", "x");
        ContactImport imp = listStore.addContacts(list, List.of(
                row("+49 (30) 1234-5678", "Anna Schmidt", fields, "Europe/Berlin"),   // 1 ok, separators dropped
                row("12ab34", "Bad Phone", null, null),                              // 2
                row("+1 555 000 0001", null, Map.of(), " "),                         // 3 ok, blank zone = none
                row("+4930-12345678", "Same Number", null, null),                    // 4 duplicate of row 1
                row("5550000002", "Bad Zone", null, "Mars/Olympus"),                 // 5
                row(null, "No Phone", null, null),                                   // 6
                row("5550000003", "Reserved", reserved, null),                       // 7
                row("12345", "x".repeat(201), badKey, "Nowhere/City")));             // 8 several problems

        assertEquals(List.of(1, 3), imp.imported().stream().map(Imported::row).toList());
        assertEquals(List.of("+493012345678", "+15550000001"), imp.imported().stream().map(Imported::phone).toList());
        assertEquals(List.of(
                "row 2: phone: '12ab34' is not a phone number (6 to 20 digits, optional leading +)",
                "row 4: phone: +493012345678 is already in row 1",
                "row 5: timezone: 'Mars/Olympus' is not a time zone (e.g. Europe/Berlin, America/New_York, UTC)",
                "row 6: phone: is missing",
                "row 7: fields.phone: is reserved: set the contact's phone instead",
                "row 8: phone: '12345' is not a phone number (6 to 20 digits, optional leading +)",
                "row 8: name: is longer than 200 characters",
                "row 8: timezone: 'Nowhere/City' is not a time zone (e.g. Europe/Berlin, America/New_York, UTC)",
                "row 8: fields: 'due date' is not a field name (letters, digits, _; not starting with a digit; "
                        + "at most 64)"),
                imp.rejected().stream().map(Rejected::message).toList());

        List<Contact> stored = listStore.contacts(list);
        assertEquals(List.of(
                new Contact(imp.imported().get(0).contactId(), list, "+493012345678", "Anna Schmidt", fields,
                        "Europe/Berlin", null, null, "new", T0_MS),
                new Contact(imp.imported().get(1).contactId(), list, "+15550000001", null, Map.of(), null, null,
                        null, "new", T0_MS)), stored);
        assertEquals(List.of("amount", "due_date"), new ArrayList<>(stored.get(0).fields().keySet()),
                "field order kept");
        assertEquals("{\"amount\":\"120.50\",\"due_date\":\"2024-03-31\"}",
                raw("SELECT fields FROM contacts WHERE id = ?", stored.get(0).id()));
    }

    @Test
    void aNumberAlreadyOnTheListIsARejectionNotAFailure() {
        long list = listStore.createList("repeat");
        long otherList = listStore.createList("other");
        listStore.addContacts(list, List.of(row("+15550000001", "First", null, null)));
        ContactImport again = listStore.addContacts(list, List.of(
                row("+1-555-000-0002", "New", null, null),
                row("+1 555 000 0001", "Again", null, null)));
        assertEquals(List.of(1), again.imported().stream().map(Imported::row).toList());
        assertEquals(List.of(new Rejected(2, "phone", "+15550000001 is already on the list")), again.rejected());
        assertEquals(List.of("First", "New"), listStore.contacts(list).stream().map(Contact::name).toList());
        // the same number on another list is a different contact
        assertEquals(1, listStore.addContacts(otherList, List.of(row("+15550000001", null, null, null))).imported().size());
        assertEquals(new ContactImport(List.of(), List.of()), listStore.addContacts(list, List.of()));
    }

    @Test
    void concurrentImportsOfTheSameNumbersImportEachOnce() throws Exception {
        long list = listStore.createList("parallel");
        List<ContactRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(row("+1555100" + String.format("%04d", i), "c" + i, Map.of("n", String.valueOf(i)), null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<ContactImport> results = new ArrayList<>();
        try {
            List<Future<ContactImport>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> listStore.addContacts(list, rows)));
            }
            for (Future<ContactImport> f : fs) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, results.stream().mapToInt(r -> r.imported().size()).sum());
        assertEquals(150, results.stream().mapToInt(r -> r.rejected().size()).sum());
        assertEquals(50, listStore.contacts(list).size());
    }

    @Test
    void listsNeedAUniqueNameAndImportsAnExistingList() {
        listStore.createList("dup");
        assertEquals("contact list 'dup' already exists",
                assertThrows(IllegalArgumentException.class, () -> listStore.createList(" dup ")).getMessage());
        assertEquals("contact list name must be 1 to 100 characters, got ''",
                assertThrows(IllegalArgumentException.class, () -> listStore.createList("")).getMessage());
        assertEquals("no contact list with id 987654", assertThrows(IllegalArgumentException.class,
                () -> listStore.addContacts(987_654, List.of(row("+15550000001", null, null, null)))).getMessage());
    }

    @Test
    void campaignRoundTripsWithItsWindow() {
        long dialogId = dialogStore.saveDialog("payment_reminder", "yaml", YAML);
        long list = listStore.createList("march");
        Instant starts = Instant.parse("2024-03-11T00:00:00Z");
        Instant ends = Instant.parse("2024-03-31T23:59:59.999Z");
        long id = campaignStore.createCampaign(new CampaignSpec("  March reminders ", "payment_reminder", list,
                LocalTime.of(9, 0), LocalTime.of(20, 30), EnumSet.of(SATURDAY, MONDAY, WEDNESDAY), 3,
                Duration.ofMinutes(90), 5, starts, ends));
        Campaign c = campaignStore.findCampaign(id).orElseThrow();
        assertEquals(id, c.id());
        assertEquals("March reminders", c.name());
        assertEquals(dialogId, c.dialogId());
        assertEquals("payment_reminder", c.dialogName());
        assertEquals(List.of(list), c.listIds());
        assertEquals(CampaignStore.State.DRAFT, c.state());
        assertEquals(starts, c.startsAt());
        assertEquals(ends, c.endsAt());
        assertEquals(LocalTime.of(9, 0), c.windowStart());
        assertEquals(LocalTime.of(20, 30), c.windowEnd());
        assertEquals(EnumSet.of(MONDAY, WEDNESDAY, SATURDAY), c.windowDays());
        assertEquals(3, c.maxAttempts());
        assertEquals(Duration.ofMinutes(90), c.retryDelay());
        assertEquals(5, c.concurrency());
        assertEquals(T0_MS, c.createdAt());
        assertEquals(T0_MS, c.updatedAt());
        assertEquals("MON,WED,SAT", raw("SELECT window_days FROM campaigns WHERE id = ?", id));
        assertTrue(campaignStore.findCampaign(id + 1000).isEmpty());
    }

    @Test
    void badCampaignsNameEveryProblem() {
        dialogStore.saveDialog("payment_reminder", "yaml", YAML);
        long list = listStore.createList("l");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> campaignStore.createCampaign(
                new CampaignSpec("bad", "payment_reminder", list, LocalTime.of(20, 0), LocalTime.of(9, 0),
                        Set.of(), 0, Duration.ofSeconds(10), 0)));
        assertEquals("campaign 'bad': window_end: 09:00 must be after window_start 20:00; "
                + "window_days: must name at least one day; max_attempts: must be 1 to 20, got 0; "
                + "retry_delay: must be 1 minute to 30 days, got PT10S; concurrency: must be 1 to 1000, got 0",
                shape.getMessage());

        campaignStore.createCampaign(spec("taken", list, 3));
        IllegalArgumentException refs = assertThrows(IllegalArgumentException.class, () -> campaignStore.createCampaign(
                new CampaignSpec("taken", "no_such_dialog", 424_242, LocalTime.of(9, 0), LocalTime.of(17, 0),
                        WEEKDAYS, 3, Duration.ofHours(1), 1)));
        assertEquals("campaign 'taken': lists: no contact list with id 424242; name: a campaign named 'taken' already exists",
                refs.getMessage());
        IllegalArgumentException dates = assertThrows(IllegalArgumentException.class, () -> campaignStore.createCampaign(
                new CampaignSpec("", "payment_reminder", list, LocalTime.of(9, 0), LocalTime.of(17, 0), WEEKDAYS, 3,
                        Duration.ofHours(1), 1, Instant.parse("2024-04-01T00:00:00Z"),
                        Instant.parse("2024-03-01T00:00:00Z"))));
        assertEquals("campaign '': name: must be 1 to 100 characters; ends_at: 2024-03-01T00:00:00Z must be after "
                + "starts_at 2024-04-01T00:00:00Z", dates.getMessage());
    }

    @Test
    void attemptsAreNumberedPerContactAndCampaignAndCapped() {
        long[] ids = campaignWith("numbering", 2, "+15550000001", "+15550000002");
        long campaign = ids[0];
        long a1 = attemptStore.scheduleAttempt(campaign, ids[1], T0);
        assertEquals(1, attemptStore.attempt(a1).orElseThrow().attemptNo());
        assertEquals(1, attemptStore.attempt(attemptStore.scheduleAttempt(campaign, ids[2], T0)).orElseThrow().attemptNo(),
                "numbering is per contact");

        IllegalStateException pending = assertThrows(IllegalStateException.class,
                () -> attemptStore.scheduleAttempt(campaign, ids[1], T0.plusSeconds(60)));
        assertEquals("contact " + ids[1] + " already has attempt 1 of campaign " + campaign + " scheduled",
                pending.getMessage());

        assertTrue(attemptStore.finishAttempt(a1, "no_answer"));
        long a2 = attemptStore.scheduleAttempt(campaign, ids[1], T0.plus(Duration.ofHours(2)));
        assertEquals(2, attemptStore.attempt(a2).orElseThrow().attemptNo());
        assertTrue(attemptStore.finishAttempt(a2, "busy"));
        IllegalStateException spent = assertThrows(IllegalStateException.class,
                () -> attemptStore.scheduleAttempt(campaign, ids[1], T0.plus(Duration.ofHours(4))));
        assertEquals("contact " + ids[1] + " has had all 2 attempts of campaign " + campaign, spent.getMessage());

        long[] other = campaignWith("other", 3, "+15550000009");
        assertEquals("contact " + other[1] + " is not on list " + campaignStore.findCampaign(campaign).orElseThrow().listId()
                + " of campaign " + campaign, assertThrows(IllegalArgumentException.class,
                () -> attemptStore.scheduleAttempt(campaign, other[1], T0)).getMessage());
        assertEquals("no campaign with id 999999", assertThrows(IllegalArgumentException.class,
                () -> attemptStore.scheduleAttempt(999_999, ids[1], T0)).getMessage());
        assertEquals("no contact with id 999999", assertThrows(IllegalArgumentException.class,
                () -> attemptStore.scheduleAttempt(campaign, 999_999, T0)).getMessage());
    }

    @Test
    void findAttemptJoinsContactCampaignAndDialog() {
        dialogStore.saveDialog("payment_reminder", "yaml", YAML);
        long list = listStore.createList("ctx");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amount", "99.90");
        fields.put("currency", "EUR");
        ContactImport imp = listStore.addContacts(list, List.of(
                row("+49 170 1234567", "Jonas Weber", fields, "Europe/Berlin"),
                row("+15550000001", null, null, null)));
        long campaign = campaignStore.createCampaign(spec("ctx", list, 3));
        long a = attemptStore.scheduleAttempt(campaign, imp.imported().get(0).contactId(), T0);
        long b = attemptStore.scheduleAttempt(campaign, imp.imported().get(1).contactId(), T0);

        AttemptContext ctx = attemptStore.findAttempt(a).orElseThrow();
        assertEquals(new AttemptContext(a, campaign, imp.imported().get(0).contactId(), "payment_reminder",
                "+491701234567", "Jonas Weber", Map.of("name", "Jonas Weber", "phone", "+491701234567",
                "amount", "99.90", "currency", "EUR"), "Europe/Berlin"), ctx);
        assertThrows(UnsupportedOperationException.class, () -> ctx.fields().put("x", "y"));

        AttemptContext bare = attemptStore.findAttempt(b).orElseThrow();
        assertEquals(Map.of("name", "", "phone", "+15550000001"), bare.fields());
        assertEquals(null, bare.contactName());
        assertEquals(null, bare.timezone());
        assertTrue(attemptStore.findAttempt(b + 1000).isEmpty());
    }

    @Test
    void attemptLifecycleRecordsTimesInUtcMilliseconds() {
        long[] ids = campaignWith("life", 3, "+15550000001");
        Instant at = Instant.parse("2024-03-10T13:00:00.456789Z");
        long a = attemptStore.scheduleAttempt(ids[0], ids[1], at);
        assertEquals(new Attempt(a, ids[0], ids[1], 1, AttemptState.SCHEDULED,
                Instant.parse("2024-03-10T13:00:00.456Z"), null, null, null, null, null),
                attemptStore.attempt(a).orElseThrow());

        clock.set(Instant.parse("2024-03-10T13:00:01.111999Z"));
        assertTrue(attemptStore.markAttemptStarted(a, "vb-orig-17", "PJSIP/trunk-0000002a"));
        assertFalse(attemptStore.markAttemptStarted(a, "vb-orig-18", null), "only a scheduled attempt starts");
        clock.set(Instant.parse("2024-03-10T13:02:30.5Z"));
        assertTrue(attemptStore.finishAttempt(a, "completed"));
        assertFalse(attemptStore.finishAttempt(a, "again"), "already done");
        assertFalse(attemptStore.finishAttempt(a + 1000, "none"), "no such attempt");
        assertEquals(new Attempt(a, ids[0], ids[1], 1, AttemptState.DONE,
                Instant.parse("2024-03-10T13:00:00.456Z"), Instant.parse("2024-03-10T13:00:01.111Z"),
                Instant.parse("2024-03-10T13:02:30.500Z"), "completed", "vb-orig-17", "PJSIP/trunk-0000002a"),
                attemptStore.attempt(a).orElseThrow());
        assertEquals("2024-03-10 13:00:01.111", raw("SELECT CAST(started_at AS CHAR(30)) FROM call_attempts WHERE id = ?", a));
        assertEquals("attempt " + a + ": outcome must be 1 to 32 characters, got ''",
                assertThrows(IllegalArgumentException.class, () -> attemptStore.finishAttempt(a, "")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> attemptStore.markAttemptStarted(a, " ", null));
    }

    @Test
    void dueAttemptsAreScheduledOnesUpToNowOldestFirst() {
        long[] ids = campaignWith("due", 3, "+15550000001", "+15550000002", "+15550000003", "+15550000004",
                "+15550000005", "+15550000006");
        Instant now = Instant.parse("2024-03-10T14:00:00Z");
        long late = attemptStore.scheduleAttempt(ids[0], ids[1], now.minusSeconds(10));
        long future = attemptStore.scheduleAttempt(ids[0], ids[2], now.plusMillis(1));
        long exactlyNow = attemptStore.scheduleAttempt(ids[0], ids[3], now);
        long oldest = attemptStore.scheduleAttempt(ids[0], ids[4], now.minus(Duration.ofDays(1)));
        long started = attemptStore.scheduleAttempt(ids[0], ids[5], now.minus(Duration.ofDays(2)));
        long done = attemptStore.scheduleAttempt(ids[0], ids[6], now.minus(Duration.ofDays(3)));
        assertTrue(attemptStore.markAttemptStarted(started, "act-1", null));
        assertTrue(attemptStore.finishAttempt(done, "skipped_dnc"));

        assertEquals(List.of(oldest, late, exactlyNow), attemptStore.dueAttempts(now, 100).stream().map(Attempt::id).toList());
        assertEquals(List.of(oldest, late), attemptStore.dueAttempts(now, 2).stream().map(Attempt::id).toList());
        assertEquals(List.of(oldest, late, exactlyNow, future),
                attemptStore.dueAttempts(now.plusSeconds(1), 100).stream().map(Attempt::id).toList());
        assertEquals(List.of(), attemptStore.dueAttempts(now.minus(Duration.ofDays(5)), 100));
        assertEquals("limit must be 1 to 10000, got 0",
                assertThrows(IllegalArgumentException.class, () -> attemptStore.dueAttempts(now, 0)).getMessage());
    }

    @Test
    void dueQueryCanUseTheStateAndTimeIndex() {
        String plan = tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + AttemptStore.DUE_SQL)) {
                Sql.setInstant(ps, 1, T0);
                ps.setInt(2, 10);
                try (ResultSet rs = ps.executeQuery()) {
                    StringBuilder sb = new StringBuilder();
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            sb.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getString(i))
                                    .append(' ');
                        }
                    }
                    return sb.toString().toLowerCase();
                }
            }
        });
        assertTrue(plan.contains("ix_call_attempts_due"), plan);
    }
}
