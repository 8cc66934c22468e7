package io.voicebot.store;

import io.voicebot.store.CallStore.Answer;
import io.voicebot.store.CallStore.CallRecord;
import io.voicebot.store.CallStore.Direction;
import io.voicebot.store.CallStore.InputMode;
import io.voicebot.store.CallStore.Turn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallStoreTest {
    static TestDatabase tdb;
    static CallStore store;
    static TimeZone savedZone;

    @BeforeAll
    static void setUp() {
        // A non-UTC JVM zone must not shift stored times.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        tdb = TestDatabase.fresh();
        store = new CallStore(tdb.database());
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
        TimeZone.setDefault(savedZone);
    }

    @Test
    void callLifecycleRoundTripsInUtc() {
        Instant start = Instant.parse("2024-07-01T23:59:59.987654321Z");
        CallRecord c = store.insertCall(CallRecord.started("uuid-life", Direction.OUTBOUND, "payment_reminder",
                "+15551230000", "+15559870000", start));
        assertTrue(c.id() > 0);
        assertEquals(Instant.parse("2024-07-01T23:59:59.987Z"), c.startedAt());
        assertEquals(c, store.findCall("uuid-life").orElseThrow());

        CallRecord updated = c.answered(Instant.parse("2024-07-02T00:00:03.001Z")).withDisclosurePlayed(true)
                .withTransferQueue("collections").withVariables("{\"amount\":\"120.50\"}");
        assertTrue(store.updateCall(updated));
        assertTrue(store.endCall("uuid-life", Instant.parse("2024-07-02T00:01:00Z"), "completed"));
        CallRecord read = store.findCall("uuid-life").orElseThrow();
        assertEquals(updated.ended(Instant.parse("2024-07-02T00:01:00Z"), "completed"), read);
        assertFalse(store.endCall("no-such-call", Instant.now(), "x"));
        assertTrue(store.findCall("no-such-call").isEmpty());
        assertThrows(StoreException.class, () -> store.insertCall(
                CallRecord.started("uuid-life", Direction.INBOUND, null, null, null, start)));
    }

    @Test
    void turnsComeBackInOrder() {
        CallRecord c = store.insertCall(CallRecord.started("uuid-turns", Direction.INBOUND, "hotline",
                "+15550000001", "100", Instant.parse("2024-01-01T00:00:00Z")));
        Turn t2 = new Turn(c.id(), 2, "Anything else?", null, null, null, InputMode.NONE,
                Instant.parse("2024-01-01T00:00:10Z"), 1500, null, null, null);
        Turn t1 = new Turn(c.id(), 1, "How can I help?", "my card is blocked", 0.87, "card_blocked",
                InputMode.SPEECH, Instant.parse("2024-01-01T00:00:01.250Z"), 2100, 2600, 4100, 380);
        store.insertTurn(t2);
        store.insertTurn(t1);
        assertEquals(List.of(t1, t2), store.turns(c.id()));
        assertThrows(StoreException.class, () -> store.insertTurn(t1), "same seq twice");
    }

    @Test
    void answersAreReplacedPerQuestion() {
        CallRecord c = store.insertCall(CallRecord.started("uuid-answers", Direction.OUTBOUND, "survey",
                "+15550000002", "+15550000003", Instant.parse("2024-01-01T00:00:00Z")));
        Answer first = new Answer(c.id(), "rating", "3", 0.6, false, Instant.parse("2024-01-01T00:00:05Z"));
        Answer again = new Answer(c.id(), "rating", "4", 0.95, true, Instant.parse("2024-01-01T00:00:09Z"));
        Answer other = new Answer(c.id(), "recommend", "yes", null, true, Instant.parse("2024-01-01T00:00:15Z"));
        store.saveAnswer(first);
        store.saveAnswer(other);
        store.saveAnswer(again);
        assertEquals(List.of(again, other), store.answers(c.id()));
    }

    @Test
    void manyCallsSavingAnswersAtOnceAllLand() throws Exception {
        // Calls answer questions at the same moment: on MariaDB, "update, else insert" of different calls used
        // to deadlock under REPEATABLE READ and fail a call (seen in CI).
        int calls = 12;
        int questions = 40;
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            ids.add(store.insertCall(CallRecord.started("uuid-concurrent-" + i, Direction.OUTBOUND, "survey",
                    "+1555000100" + i, "+15550000003", Instant.parse("2024-01-01T00:00:00Z"))).id());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (long id : ids) {
                done.add(pool.submit(() -> {
                    for (int q = 0; q < questions; q++) {
                        store.saveAnswer(new Answer(id, "q" + q, "a", 0.9, false,
                                Instant.parse("2024-01-01T00:00:05Z")));
                        store.saveAnswer(new Answer(id, "q" + q, "b", 0.9, true,
                                Instant.parse("2024-01-01T00:00:06Z")));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        for (long id : ids) {
            List<Answer> answers = store.answers(id);
            assertEquals(questions, answers.size());
            assertTrue(answers.stream().allMatch(a -> a.value().equals("b") && a.confirmed()), answers.toString());
        }
    }
}
