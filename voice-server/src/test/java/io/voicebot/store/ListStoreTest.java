package io.voicebot.store;

import io.voicebot.store.ListStore.Batch;
import io.voicebot.store.ListStore.BatchResult;
import io.voicebot.store.ListStore.Contact;
import io.voicebot.store.ListStore.ContactList;
import io.voicebot.store.ListStore.ListSpec;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;
import io.voicebot.store.ListStore.StoredRejection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch imports of contact lists and reading them back, against a real database. */
class ListStoreTest {
    static final Instant T0 = Instant.parse("2024-06-03T08:00:00.250Z");
    static TestDatabase tdb;
    MutableClock clock;
    ListStore lists;

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
        clock = new MutableClock(T0);
        lists = new ListStore(tdb.database(), clock);
    }

    static ListSpec spec(String name) {
        return new ListSpec(name, "US", "payment_reminder", List.of("amount", "due_date"), "UTF-8");
    }

    static NewContact contact(long line, String phone) {
        return new NewContact(line, phone, null, Map.of(), null, "US");
    }

    @Test
    void anImportFillsTheListBatchByBatchAndKeepsItsCounts() {
        long id = lists.startImport(spec(" march "));
        assertEquals(new ContactList(id, "march", "US", "payment_reminder", List.of("amount", "due_date"),
                "importing", 0, 0, 0, 0, 0, "UTF-8", T0, T0, null), lists.findList(id).orElseThrow());

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amount", "120.50");
        fields.put("due_date", "2024-07-01");
        NewContact anna = new NewContact(2, "+12125550100", "Anna Lee", fields, "America/New_York", "US");
        NewContact alaska = new NewContact(5, "+19075550100", null, Map.of(), "America/Adak,America/Anchorage", "US");
        BatchResult first = lists.addBatch(id, new Batch(4, List.of(anna, alaska), List.of(
                new Rejection(4, "phone", "is not a valid number for region US"),
                new Rejection(3, "amount", "is missing"),
                new Rejection(3, "phone", "is too short for region US")), 0, 0));
        assertEquals(new BatchResult(2, 0), first);

        clock.advance(Duration.ofSeconds(5));
        BatchResult second = lists.addBatch(id, new Batch(3, List.of(contact(7, "+13105550199")), List.of(
                new Rejection(6, "phone", "duplicate of line 2"),
                new Rejection(8, "phone", "is on the do-not-call list")), 1, 1));
        assertEquals(new BatchResult(1, 0), second);
        lists.finishImport(id);

        Instant t1 = T0.plusSeconds(5);
        assertEquals(new ContactList(id, "march", "US", "payment_reminder", List.of("amount", "due_date"), "ready",
                7, 3, 4, 1, 1, "UTF-8", T0, t1, null), lists.findList(id).orElseThrow());
        List<Contact> all = lists.contacts(id);
        assertEquals(List.of(2L, 5L, 7L), all.stream().map(Contact::lineNo).toList());
        assertEquals(new Contact(all.get(0).id(), id, "+12125550100", "Anna Lee", fields, "America/New_York", "US", 2L,
                "new", T0), all.get(0));
        assertEquals("America/Adak,America/Anchorage", all.get(1).timezone());

        List<StoredRejection> rejections = lists.rejections(id, 0, 100);
        assertEquals(List.of("3 amount: is missing", "3 phone: is too short for region US",
                        "4 phone: is not a valid number for region US", "6 phone: duplicate of line 2",
                        "8 phone: is on the do-not-call list"),
                rejections.stream().map(r -> r.line() + " " + r.column() + ": " + r.reason()).toList(),
                "in line order; a line's problems in the order given");
        assertEquals(rejections.subList(2, 4), lists.rejections(id, rejections.get(1).id(), 2));
    }

    @Test
    void numbersAlreadyOnTheListBecomeDuplicatesOfTheirLine() {
        long id = lists.startImport(spec("again"));
        lists.addBatch(id, new Batch(1, List.of(contact(2, "+12125550100")), List.of(), 0, 0));
        // More than one insert statement's worth, with the clash in the second statement: none of it may stay.
        List<NewContact> big = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            big.add(contact(10 + i, i == 1200 ? "+12125550100" : String.format("+1310555%04d", i)));
        }
        BatchResult r = lists.addBatch(id, new Batch(1500, big, List.of(), 0, 0));
        assertEquals(new BatchResult(1499, 1), r);
        ContactList l = lists.findList(id).orElseThrow();
        assertEquals(List.of(1501L, 1500L, 1L, 1L), List.of(l.rows(), l.imported(), l.rejected(), l.duplicates()));
        assertEquals(1500, lists.contacts(id).size());
        assertEquals(List.of(new StoredRejection(lists.rejections(id, 0, 1).get(0).id(), 1210, "phone",
                "duplicate of line 2")), lists.rejections(id, 0, 10));
    }

    @Test
    void contactsArePagedById() {
        long id = lists.startImport(spec("paged"));
        List<NewContact> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(contact(i + 2, "+1212555010" + i));
        }
        lists.addBatch(id, new Batch(5, rows, List.of(), 0, 0));
        List<Contact> page1 = lists.contacts(id, 0, 2);
        List<Contact> page2 = lists.contacts(id, page1.get(1).id(), 2);
        List<Contact> page3 = lists.contacts(id, page2.get(1).id(), 2);
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), java.util.stream.Stream.of(page1, page2, page3)
                .flatMap(List::stream).map(Contact::lineNo).toList());
        assertEquals(1, page3.size());
        assertEquals(List.of(), lists.contacts(id + 1000, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> lists.contacts(id, 0, 0));
    }

    @Test
    void namesAreUniqueAndMissingListsAreNamed() {
        long a = lists.startImport(spec("taken"));
        assertEquals("contact list 'taken' already exists", assertThrows(IllegalArgumentException.class,
                () -> lists.startImport(spec("taken"))).getMessage());
        assertEquals("contact list 'taken' already exists", assertThrows(IllegalArgumentException.class,
                () -> lists.createList("taken")).getMessage());
        assertEquals("no contact list with id 424242", assertThrows(IllegalArgumentException.class,
                () -> lists.addBatch(424_242, new Batch(1, List.of(contact(2, "+12125550100")), List.of(), 0, 0)))
                .getMessage());
        long b = lists.createList("plain");
        assertEquals(List.of(b, a), lists.lists().stream().map(ContactList::id).toList(), "newest first");
        assertEquals("ready", lists.findList(b).orElseThrow().state());
    }

    @Test
    void deletingAListTakesItsContactsAndRejections() {
        long id = lists.startImport(spec("gone"));
        lists.addBatch(id, new Batch(2, List.of(contact(2, "+12125550100")),
                List.of(new Rejection(3, "row", "has 3 columns, the header has 2")), 0, 0));
        assertTrue(lists.deleteList(id));
        assertFalse(lists.deleteList(id));
        assertTrue(lists.findList(id).isEmpty());
        assertEquals(List.of(), lists.contacts(id));
        assertEquals(List.of(), lists.rejections(id, 0, 10));
        lists.startImport(spec("gone"));
    }

    @Test
    void longReasonsAreClippedToTheColumn() {
        long id = lists.startImport(spec("clip"));
        lists.addBatch(id, new Batch(1, List.of(), List.of(new Rejection(2, "c".repeat(150), "r".repeat(600))), 0, 0));
        StoredRejection r = lists.rejections(id, 0, 1).get(0);
        assertEquals(100, r.column().length());
        assertEquals(500, r.reason().length());
        assertTrue(r.reason().endsWith("…"));
    }

    @Test
    void anUnfinishedImportIsListedWithItsOwnerAndFailsOnceKeepingItsRows() {
        long done = lists.startImport(spec("done"), "vb1 pid 7");
        lists.finishImport(done);
        long open = lists.startImport(spec("open"), "vb1 pid 8");
        lists.addBatch(open, new Batch(2, List.of(contact(2, "+12125550100")),
                List.of(new Rejection(3, "phone", "is missing")), 0, 0));
        clock.advance(Duration.ofSeconds(9));

        assertEquals(List.of(new ListStore.UnfinishedImport(open, "open", "vb1 pid 8", 2, 1, T0)),
                lists.unfinishedImports());
        assertTrue(lists.failImport(open, "interrupted"));
        assertFalse(lists.failImport(open, "again"), "a failed list is not failed again");
        assertFalse(lists.failImport(done, "late"), "a ready list is not failed");
        ContactList failed = lists.findList(open).orElseThrow();
        assertEquals(ListStore.STATE_FAILED, failed.state());
        assertEquals("interrupted", failed.error());
        assertEquals(T0.plusSeconds(9), failed.updatedAt());
        assertEquals(1, lists.contacts(open).size());
        assertEquals(ListStore.STATE_READY, lists.findList(done).orElseThrow().state());
        assertEquals(List.of(), lists.unfinishedImports());
    }
}
