package io.voicebot.store;

import io.voicebot.store.CallStore.CallRecord;
import io.voicebot.store.CallStore.Direction;
import io.voicebot.store.FollowupStore.Followup;
import io.voicebot.store.FollowupStore.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FollowupStoreTest {
    static final Instant T0 = Instant.parse("2024-03-10T12:34:56.789654321Z");
    static TestDatabase tdb;
    static TimeZone savedZone;
    MutableClock clock;
    FollowupStore store;
    CallStore calls;

    @BeforeAll
    static void setUp() {
        // A non-UTC JVM zone must not shift stored times.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
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
        store = new FollowupStore(tdb.database(), clock);
        calls = new CallStore(tdb.database());
    }

    long call(String uuid) {
        return calls.insertCall(CallRecord.started(uuid, Direction.OUTBOUND, "survey", "+15550000001",
                "+15550000002", T0)).id();
    }

    @Test
    void createdTaskRoundTripsInUtcMilliseconds() {
        long callId = call("f-1");
        Instant due = Instant.parse("2024-03-11T09:00:00.123999Z");
        long id = store.create(callId, "callback", due, "asked to be called tomorrow morning");
        Instant created = Instant.parse("2024-03-10T12:34:56.789Z");
        Followup expected = new Followup(id, callId, "callback", Instant.parse("2024-03-11T09:00:00.123Z"),
                "asked to be called tomorrow morning", State.OPEN, created, created);
        assertEquals(List.of(expected), store.forCall(callId));
        assertEquals(List.of(expected), store.open());
        String raw = tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT CAST(created_at AS CHAR(30)) FROM followup_tasks WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertEquals("2024-03-10 12:34:56.789", raw, "stored as UTC wall time");
    }

    @Test
    void openListsSoonestFirstAndUndatedLastAndCloseRemovesThem() {
        long callA = call("f-a");
        long callB = call("f-b");
        long undated = store.create(null, "review", null, null);
        long late = store.create(callA, "callback", T0.plus(Duration.ofDays(2)), "late");
        clock.advance(Duration.ofSeconds(5));
        long soon = store.create(callB, "send_document", T0.plus(Duration.ofHours(1)), "soon");
        long alsoLate = store.create(callA, "callback", T0.plus(Duration.ofDays(2)), "same time, created later");

        assertEquals(List.of(soon, late, alsoLate, undated), store.open().stream().map(Followup::id).toList());
        assertEquals(List.of(late, alsoLate), store.forCall(callA).stream().map(Followup::id).toList());

        clock.advance(Duration.ofMinutes(3));
        assertTrue(store.close(late));
        assertFalse(store.close(late), "already closed");
        assertFalse(store.close(999_999), "no such task");
        assertEquals(List.of(soon, alsoLate, undated), store.open().stream().map(Followup::id).toList());
        Followup closed = store.forCall(callA).get(0);
        assertEquals(State.CLOSED, closed.state());
        assertEquals(Instant.parse("2024-03-10T12:34:56.789Z"), closed.createdAt());
        assertEquals(Instant.parse("2024-03-10T12:38:01.789Z"), closed.updatedAt());
        assertEquals(List.of(), store.forCall(987_654));
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        IllegalArgumentException noCall = assertThrows(IllegalArgumentException.class,
                () -> store.create(424_242L, "callback", null, null));
        assertEquals("follow-up: no call with id 424242", noCall.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> store.create(null, " ", null, null));
        assertEquals("follow-up kind must be 1 to 32 characters, got ' '", kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.create(null, "x".repeat(33), null, null));
        assertEquals(List.of(), store.open(), "nothing stored");
    }

    @Test
    void deletingTheCallKeepsTheTask() {
        long callId = call("f-del");
        long id = store.create(callId, "callback", null, "keep me");
        tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM calls WHERE id = ?")) {
                ps.setLong(1, callId);
                return ps.executeUpdate();
            }
        });
        Followup f = store.open().get(0);
        assertEquals(id, f.id());
        assertEquals(null, f.callId());
    }
}
