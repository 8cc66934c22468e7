package io.voicebot.campaign.lists;

import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.Contact;
import io.voicebot.store.ListStore.ContactList;
import io.voicebot.store.ListStore.ListSpec;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;
import io.voicebot.store.ListStore.StoredRejection;
import io.voicebot.store.StoreException;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several writer threads store an import's batches in the file's order, and stop together when one fails. */
class BatchWriterTest {
    static final Instant NOW = Instant.parse("2024-06-03T08:00:00Z");
    static TestDatabase tdb;
    ListStore lists;
    DncStore dnc;
    Clock clock;

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
        clock = Clock.fixed(NOW, ZoneOffset.UTC);
        lists = new ListStore(tdb.database(), clock);
        dnc = new DncStore(tdb.database());
    }

    long newList(String name) {
        return lists.startImport(new ListSpec(name, "US", null, List.of("amount"), "UTF-8"));
    }

    /** Batch {@code b}: {@code size} rows from line 2 + b * size, the last of them rejected. */
    static BatchWriter.Batch batch(int b, int size, String phonePrefix) {
        BatchWriter.Batch batch = new BatchWriter.Batch();
        for (int i = 0; i < size; i++) {
            long line = 2 + (long) b * size + i;
            batch.rows++;
            if (i == size - 1) {
                batch.rejections.add(new Rejection(line, "Amount", "is empty"));
            } else {
                batch.contacts.add(new NewContact(line, String.format("%s%07d", phonePrefix, line), "n" + line,
                        Map.of("amount", "1." + i), "America/New_York", "US"));
            }
        }
        return batch;
    }

    @Test
    void batchesFromSeveralWritersAreStoredInTheFileOrder() throws Exception {
        long id = newList("ordered");
        int batches = 40;
        int size = 25;
        BatchWriter writer = new BatchWriter(lists, dnc, clock, id, "ordered", "Phone", 3);
        try (writer) {
            for (int b = 0; b < batches; b++) {
                writer.submit(batch(b, size, "+1212"));
            }
            writer.finish();
        }
        List<Contact> contacts = lists.contacts(id);
        assertEquals(batches * (size - 1), contacts.size());
        List<Long> lines = contacts.stream().map(Contact::lineNo).toList();
        assertEquals(lines.stream().sorted().toList(), lines, "contact ids follow the lines of the file");
        List<Long> rejected = lists.rejections(id, 0, 1000).stream().map(StoredRejection::line).toList();
        assertEquals(batches, rejected.size());
        assertEquals(rejected.stream().sorted().toList(), rejected, "rejection ids follow the lines of the file");
        ContactList l = lists.findList(id).orElseThrow();
        assertEquals(batches * size, l.rows());
        assertEquals(batches * (size - 1), l.imported());
        assertEquals(batches, l.rejected());
        assertEquals(Map.of("amount", "1.3"), contacts.get(3).fields());
        assertTrue(writerThreads().isEmpty(), "every writer thread has ended");
    }

    @Test
    void aBatchTheDatabaseRefusesStopsEveryWriterAndNoLaterBatchIsStored() throws Exception {
        long id = newList("failing");
        int size = 20;
        BatchWriter writer = new BatchWriter(lists, dnc, clock, id, "failing", "Phone", 3);
        StoreException e;
        try (writer) {
            writer.submit(batch(0, size, "+1212"));
            e = assertThrows(StoreException.class, () -> {
                // A number longer than the column (32 characters): the database refuses the second batch's insert.
                writer.submit(batch(1, size, "+1212555010055501005550100555010"));
                for (int b = 2; b < 200; b++) {
                    writer.submit(batch(b, size, "+1310"));
                }
                writer.finish();
            });
        }
        assertFalse(e.getMessage().isBlank());
        List<Long> lines = lists.contacts(id).stream().map(Contact::lineNo).toList();
        assertEquals(size - 1, lines.size(), "only the batch before the refused one is stored: " + lines);
        assertTrue(lines.stream().allMatch(line -> line < 2 + size), "only the first batch: " + lines);
        assertEquals(size, lists.findList(id).orElseThrow().rows());
        assertTrue(writerThreads().isEmpty(), "every writer thread has ended");
    }

    static List<Thread> writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("list-import-writer") && t.isAlive()).toList();
    }
}
