package io.voicebot.campaign.lists;

import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.Contact;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV files as real bytes, imported into a real database. */
class ListImporterTest {
    static final Instant NOW = Instant.parse("2024-06-03T08:00:00Z");
    static final Set<String> REMINDER = Set.of("name", "amount", "due_date");
    static TestDatabase tdb;
    @TempDir
    Path dir;
    ListStore lists;
    DncStore dnc;
    ListImporter importer;

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
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        lists = new ListStore(tdb.database(), clock);
        dnc = new DncStore(tdb.database());
        importer = new ListImporter(lists, dnc, new PhoneNumbers("US"), clock);
    }

    Path file(byte[] bytes) throws Exception {
        Path f = Files.createTempFile(dir, "list", ".csv");
        Files.write(f, bytes);
        return f;
    }

    static byte[] bytes(String text, Charset cs) {
        return text.getBytes(cs);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    ImportReport run(byte[] content, String name, Set<String> required) throws Exception {
        return importer.importFile(file(content), new ImportRequest(name, null, required.isEmpty() ? null
                : "payment_reminder", required, "march.csv"));
    }

    List<String> rejections(long listId) {
        return lists.rejections(listId, 0, 10_000).stream()
                .map(r -> "march.csv:" + r.line() + ": " + r.column() + ": " + r.reason()).toList();
    }

    List<String> names(long listId) {
        return lists.contacts(listId).stream().map(Contact::name).toList();
    }

    @Test
    void utf8WithBomAndCrlfLineEnds() throws Exception {
        byte[] csv = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes("Phone,Name,Amount,Due Date\r\n"
                + "(212) 555-0100,José Núñez,120.50,2024-07-01\r\n"
                + "+1 310 555 0199,Zoë Ångström,80,2024-07-02\r\n", StandardCharsets.UTF_8));
        ImportReport r = run(csv, "bom", REMINDER);
        assertEquals(new ImportReport(r.listId(), "bom", "UTF-8", ',', 2, 2, 0, 0, 0), r);
        List<Contact> cs = lists.contacts(r.listId());
        assertEquals(List.of("José Núñez", "Zoë Ångström"), names(r.listId()));
        assertEquals(new Contact(cs.get(0).id(), r.listId(), "+12125550100", "José Núñez",
                Map.of("amount", "120.50", "due_date", "2024-07-01"), "America/New_York", "US", 2L, "new", NOW),
                cs.get(0));
        assertEquals(List.of("amount", "due_date"), lists.findList(r.listId()).orElseThrow().fieldNames());
        assertEquals("ready", lists.findList(r.listId()).orElseThrow().state());
    }

    @Test
    void utf8WithoutBom() throws Exception {
        ImportReport r = run(bytes("phone,name\n2125550100,Łukasz Żółć\n", StandardCharsets.UTF_8), "plain", Set.of());
        assertEquals("UTF-8", r.charset());
        assertEquals(List.of("Łukasz Żółć"), names(r.listId()));
    }

    @Test
    void windows1252IsDecodedWhenTheFileIsNotUtf8() throws Exception {
        // é = 0xE9, ü = 0xFC, ’ = 0x92 in Windows-1252; none of them is valid UTF-8 on its own.
        byte[] csv = concat(bytes("phone;name;amount;due_date\r\n2125550100;Ren", StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xE9}, bytes(" M", StandardCharsets.US_ASCII), new byte[] {(byte) 0xFC},
                bytes("ller;12,50;2024-07-01\r\n3105550199;Mary O", StandardCharsets.US_ASCII),
                new byte[] {(byte) 0x92},
                bytes("Brien;7;2024-07-02\r\n", StandardCharsets.US_ASCII));
        ImportReport r = run(csv, "cp1252", REMINDER);
        assertEquals("windows-1252", r.charset());
        assertEquals(';', r.delimiter());
        assertEquals(List.of("René Müller", "Mary O’Brien"), names(r.listId()));
        assertEquals("12,50", lists.contacts(r.listId()).get(0).fields().get("amount"), "decimal comma kept");
    }

    @Test
    void aByteWindows1252LeavesUndefinedIsAnErrorNamingItsLine() throws Exception {
        byte[] csv = concat(bytes("phone,name\n2125550100,Ren", StandardCharsets.US_ASCII), new byte[] {(byte) 0xE9},
                bytes("\n3105550199,Bad", StandardCharsets.US_ASCII), new byte[] {(byte) 0x81}, bytes("\n",
                        StandardCharsets.US_ASCII));
        ListImportException e = assertThrows(ListImportException.class, () -> run(csv, "holes", Set.of()));
        assertEquals("march.csv: line 3: byte 0x81 is not a character in Windows-1252, and the file is not UTF-8 "
                + "either (line 2 is not valid UTF-8); save it as CSV UTF-8", e.getMessage());
        assertEquals(List.of(), lists.lists(), "no list is created");
    }

    @Test
    void tabsQuotesAndNewlinesInsideQuotes() throws Exception {
        String csv = "phone\tname\tnote\n"
                + "2125550100\t\"Lee, Ann\"\t\"first line\nsecond line\"\n"
                + "\"310 555 0199\"\t\"Say \"\"hi\"\"\"\tx\n"
                + "not a number\tBob\ty\n";
        ImportReport r = run(bytes(csv, StandardCharsets.UTF_8), "tabs", Set.of());
        assertEquals('\t', r.delimiter());
        assertEquals(List.of("Lee, Ann", "Say \"hi\""), names(r.listId()));
        assertEquals("first line\nsecond line", lists.contacts(r.listId()).get(0).fields().get("note"));
        assertEquals(List.of(2L, 4L), lists.contacts(r.listId()).stream().map(Contact::lineNo).toList(),
                "physical lines: the quoted newline takes line 3");
        assertEquals(List.of("march.csv:5: phone: is not a phone number"), rejections(r.listId()));
    }

    @Test
    void semicolonFileWithQuotedSemicolonsAndCrlfInsideQuotes() throws Exception {
        String csv = "\"phone\";\"name\";\"street\"\r\n"
                + "2125550100;\"Smith; John\";\"1 Main St\r\nApt 2\"\r\n"
                + "\r\n"
                + "3105550199;Jane;\"Elm; 5\"\r\n";
        ImportReport r = run(bytes(csv, StandardCharsets.UTF_8), "semi", Set.of());
        assertEquals(';', r.delimiter());
        assertEquals(2, r.rows(), "the blank line is not a row");
        assertEquals(List.of("Smith; John", "Jane"), names(r.listId()));
        assertEquals("1 Main St\r\nApt 2", lists.contacts(r.listId()).get(0).fields().get("street"));
        assertEquals(List.of(2L, 5L), lists.contacts(r.listId()).stream().map(Contact::lineNo).toList());
    }

    @Test
    void badRowsAreRejectedWithLineColumnAndReasonAndGoodOnesStay() throws Exception {
        String csv = "Mobile,name,amount,due_date\n"
                + "212 555 0100,Ann,10,2024-07-01\n"           // 2 ok
                + "+1 555 010 0003,Bob,10,2024-07-01\n"        // 3 invalid for US
                + "555-0100,Cid,10,2024-07-01\n"               // 4 local only
                + "212 555 01,Dan,10,2024-07-01\n"             // 5 too short
                + ",Eve,10,2024-07-01\n"                       // 6 missing
                + "3105550199,Fay,10\n"                        // 7 too few columns
                + "3105550198,Gus,10,2024-07-01,extra\n"       // 8 too many columns
                + "3105550197,Hal,10,2024-07-01,,\n"           // 9 ok: trailing empty columns
                + "3105550196,,,2024-07-01\n"                  // 10 name and amount missing
                + "+44 121 234 5678,Ivy,5,2024-07-03\n";       // 11 ok, another country
        ImportReport r = run(bytes(csv, StandardCharsets.UTF_8), "bad", REMINDER);
        assertEquals(new ImportReport(r.listId(), "bad", "UTF-8", ',', 10, 3, 7, 0, 0), r);
        assertEquals(List.of(
                "march.csv:3: Mobile: is not a valid number for region US",
                "march.csv:4: Mobile: is a local number: add the area code",
                "march.csv:5: Mobile: is too short for region US",
                "march.csv:6: Mobile: is missing",
                "march.csv:7: row: has 3 columns, the header has 4",
                "march.csv:8: row: has 5 columns, the header has 4",
                "march.csv:10: name: is empty; dialog 'payment_reminder' needs the contact field 'name'",
                "march.csv:10: amount: is empty; dialog 'payment_reminder' needs the contact field 'amount'"),
                rejections(r.listId()));
        List<Contact> cs = lists.contacts(r.listId());
        assertEquals(List.of("+12125550100", "+13105550197", "+441212345678"),
                cs.stream().map(Contact::phone).toList());
        assertEquals("GB", cs.get(2).country());
        assertEquals("Europe/London", cs.get(2).timezone());
    }

    @Test
    void duplicatesAndDoNotCallNumbersAreReportedNotImported() throws Exception {
        dnc.add(new DncStore.Entry("+13105550199", "asked", "api", null, NOW.minus(1, ChronoUnit.DAYS), null));
        dnc.add(new DncStore.Entry("+13105550198", "expired", "api", null, NOW.minus(9, ChronoUnit.DAYS),
                NOW.minus(1, ChronoUnit.DAYS)));
        String csv = "phone,name\n"
                + "212-555-0100,Ann\n"      // 2
                + "(212) 555 0100,Ann2\n"   // 3 duplicate of 2, other formatting
                + "310 555 0199,Bob\n"      // 4 do-not-call
                + "310 555 0198,Cid\n"      // 5 expired entry: imported
                + "+12125550100,Ann3\n";    // 6 duplicate of 2
        ImportReport r = run(bytes(csv, StandardCharsets.UTF_8), "dups", Set.of());
        assertEquals(new ImportReport(r.listId(), "dups", "UTF-8", ',', 5, 2, 3, 2, 1), r);
        assertEquals(List.of("march.csv:3: phone: duplicate of line 2",
                "march.csv:4: phone: is on the do-not-call list",
                "march.csv:6: phone: duplicate of line 2"), rejections(r.listId()));
        assertEquals(List.of("Ann", "Cid"), names(r.listId()));
    }

    @Test
    void timeZonesComeFromTheColumnOrTheNumber() throws Exception {
        String csv = "phone,TZ\n"
                + "2125550100,\n"                    // New York: one zone
                + "9075550100,\n"                    // Alaska: two zones
                + "3105550199,europe/berlin\n"       // column wins, any case
                + "3105550198,Mars/Olympus\n"        // bad zone
                + "+80012345678,\n";                 // no country, no zone
        ImportReport r = run(bytes(csv, StandardCharsets.UTF_8), "zones", Set.of());
        assertEquals(List.of("march.csv:5: TZ: 'Mars/Olympus' is not a time zone (an IANA id such as "
                + "America/New_York or Europe/Berlin)"), rejections(r.listId()));
        List<Contact> cs = lists.contacts(r.listId());
        assertEquals(java.util.Arrays.asList("America/New_York", "America/Adak,America/Anchorage", "Europe/Berlin",
                null), cs.stream().map(Contact::timezone).toList());
        assertEquals(java.util.Arrays.asList("US", "US", "US", null), cs.stream().map(Contact::country).toList());
        assertEquals(List.of(), lists.findList(r.listId()).orElseThrow().fieldNames(), "TZ is not a field");
    }

    @Test
    void theListRegionReadsNationalNumbers() throws Exception {
        ImportReport r = importer.importFile(file(bytes("telefon,name\n030 12345678,Jonas\n", StandardCharsets.UTF_8)
        ), new ImportRequest("berlin", "de", null, Set.of(), "berlin.csv"));
        assertEquals(1, r.imported(), rejections(r.listId()).toString());
        assertEquals("+493012345678", lists.contacts(r.listId()).get(0).phone());
        assertEquals("DE", lists.findList(r.listId()).orElseThrow().region());
        assertEquals("'XX' is not a region code (ISO 3166 alpha-2, e.g. US, GB, DE)",
                assertThrows(IllegalArgumentException.class, () -> importer.importFile(file(bytes("phone\n",
                        StandardCharsets.UTF_8)), new ImportRequest("x", "XX", null, Set.of(), "x.csv"))).getMessage());
    }

    @Test
    void headerProblemsAreAllNamedAndNothingIsImported() throws Exception {
        ListImportException e = assertThrows(ListImportException.class, () -> run(bytes(
                "phone,Сумма,,2nd try,Due Date,due_date,mobile\n2125550100,1,2,3,4,5,6\n", StandardCharsets.UTF_8),
                "header", REMINDER));
        assertEquals(List.of(
                "march.csv: line 1: column 2 'Сумма': cannot be a field name: 'С' is not a letter a-z (write the "
                        + "header with a-z, 0-9 and _)",
                "march.csv: line 1: column 3: has no name; every column needs a header",
                "march.csv: line 1: column 4 '2nd try': cannot be a field name: it starts with a digit",
                "march.csv: line 1: column 6 'due_date': is the same field 'due_date' as column 5 'Due Date'",
                "march.csv: line 1: column 7 'mobile': column 1 'phone' is already the phone number; rename one of "
                        + "them",
                "march.csv: line 1: no column for the contact field 'amount', which the dialog needs",
                "march.csv: line 1: no column for the contact field 'name', which the dialog needs"), e.problems());
        ListImportException none = assertThrows(ListImportException.class, () -> run(bytes("name;amount\nAnn;5\n",
                StandardCharsets.UTF_8), "header", Set.of()));
        assertEquals("march.csv: line 1: no phone number column (name one phone, phone_number, number, mobile or "
                + "telephone); the header has: name, amount", none.getMessage());
        assertEquals(List.of(), lists.lists());
        assertEquals("due_date", Columns.fieldName("  dueDate "));
        assertEquals("falligkeit_am", Columns.fieldName("Fälligkeit am"));
        assertEquals("account_id", Columns.fieldName("Account-ID"));
    }

    @Test
    void brokenQuotingStopsTheImportAndLeavesNoList() throws Exception {
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int i = 0; i < 1500; i++) {
            csv.append(String.format("212555%04d,n%d%n", i, i));
        }
        csv.append("3105550199,\"Ann\" Lee\n");
        ListImportException e = assertThrows(ListImportException.class, () -> run(bytes(csv.toString(),
                StandardCharsets.UTF_8), "quotes", Set.of()));
        assertEquals("march.csv: line 1502: text follows a closing \" before the next delimiter; a \" inside a quoted "
                + "value is written \"\"", e.getMessage());
        assertEquals(List.of(), lists.lists(), "the rows stored before the error are gone with the list");
        ListImportException open = assertThrows(ListImportException.class, () -> run(bytes(
                "phone,name\n2125550100,\"Ann\n3105550199,Bob\n", StandardCharsets.UTF_8), "quotes", Set.of()));
        assertEquals("march.csv: line 2: a quoted value is not closed: a \" opens it and none ends it before the "
                + "end of the file", open.getMessage());
    }

    /** A campaign created on the list mid-import keeps it from being deleted: it fails instead, never dialed. */
    @Test
    void brokenQuotingUnderACampaignWaitingForTheListLeavesItFailed() throws Exception {
        StringBuilder csv = new StringBuilder("phone,name\n");
        String[] areas = {"212", "213", "310"};
        for (int i = 0; i < 30_000; i++) {
            csv.append(String.format("%s555%04d,n%d%n", areas[i / 10_000], i % 10_000, i));
        }
        csv.append("3105550199,\"Ann\" Lee\n");
        CampaignStore campaigns = new CampaignStore(tdb.database(), Clock.fixed(NOW, ZoneOffset.UTC));
        java.util.concurrent.CompletableFuture<Long> campaign = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (System.nanoTime() < deadline) {
                        for (ListStore.ContactList l : lists.lists()) {
                            if (l.imported() > 0) {
                                long id = campaigns.createCampaign(new CampaignStore.CampaignSpec("waits",
                                        "payment_reminder", l.id(), LocalTime.MIN, LocalTime.of(23, 59),
                                        EnumSet.allOf(DayOfWeek.class), 1, Duration.ofMinutes(10), 1));
                                campaigns.start(id);
                                return id;
                            }
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException ie) {
                            throw new IllegalStateException(ie);
                        }
                    }
                    throw new AssertionError("the list never had imported rows");
                });
        ListImportException e = assertThrows(ListImportException.class, () -> run(bytes(csv.toString(),
                StandardCharsets.UTF_8), "waited", Set.of()));
        assertTrue(e.getMessage().startsWith("march.csv: line 30002: text follows a closing"), e.getMessage());
        campaign.get(10, java.util.concurrent.TimeUnit.SECONDS);
        ListStore.ContactList l = lists.lists().get(0);
        assertEquals(ListStore.STATE_FAILED, l.state());
        assertTrue(l.error().startsWith("import failed: march.csv: line 30002: text follows a closing"), l.error());
        assertTrue(l.error().endsWith("; the rows imported before it are kept"), l.error());
        assertTrue(l.imported() > 0 && l.imported() == lists.contacts(l.id()).size(), l.toString());
    }

    @Test
    void filesThatAreNotCsvTextAreRefused() throws Exception {
        assertEquals("march.csv: the file is empty; expected a header line with a phone column",
                assertThrows(ListImportException.class, () -> run(new byte[0], "e", Set.of())).getMessage());
        assertEquals("march.csv: the file is empty; expected a header line with a phone column",
                assertThrows(ListImportException.class, () -> run(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        "e", Set.of())).getMessage());
        assertEquals("march.csv: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as CSV UTF-8",
                assertThrows(ListImportException.class, () -> run(bytes("\uFEFFphone\n", StandardCharsets.UTF_16LE),
                        "e", Set.of())).getMessage());
        assertEquals("march.csv: line 1: contains a NUL byte (0x00), which no CSV text has; is the file UTF-16 or a "
                + "spreadsheet? Save it as CSV UTF-8", assertThrows(ListImportException.class,
                () -> run(bytes("phone\n", StandardCharsets.UTF_16LE), "e", Set.of())).getMessage());
    }

    @Test
    void aListNameIsUsedOnce() throws Exception {
        run(bytes("phone\n2125550100\n", StandardCharsets.UTF_8), "once", Set.of());
        assertEquals("contact list 'once' already exists", assertThrows(IllegalArgumentException.class,
                () -> run(bytes("phone\n3105550199\n", StandardCharsets.UTF_8), "once", Set.of())).getMessage());
    }

    @Test
    void manyBatchesKeepCountsAndLineOrder() throws Exception {
        StringBuilder csv = new StringBuilder("phone,name\n");
        int rows = 3500;
        for (int i = 0; i < rows; i++) {
            // every 7th row a bad number, every 11th a repeat of the row before
            String phone = i % 7 == 3 ? "12" : String.format("212555%04d", i % 11 == 5 ? i - 1 : i);
            csv.append(phone).append(",n").append(i).append("\r\n");
        }
        ImportReport r = run(bytes(csv.toString(), StandardCharsets.UTF_8), "big", Set.of());
        long bad = java.util.stream.IntStream.range(0, rows).filter(i -> i % 7 == 3).count();
        long dup = java.util.stream.IntStream.range(0, rows).filter(i -> i % 11 == 5 && (i - 1) % 7 != 3
                && i % 7 != 3).count();
        assertEquals(new ImportReport(r.listId(), "big", "UTF-8", ',', rows, rows - bad - dup, bad + dup, dup, 0), r);
        List<Long> lines = lists.rejections(r.listId(), 0, 10_000).stream().map(ListStore.StoredRejection::line)
                .toList();
        assertEquals(lines.stream().sorted().toList(), lines, "rejections come back in line order");
        assertTrue(rejections(r.listId()).contains("march.csv:18: phone: duplicate of line 17"));
        assertEquals(rows - bad - dup, lists.contacts(r.listId()).size());
    }
}
