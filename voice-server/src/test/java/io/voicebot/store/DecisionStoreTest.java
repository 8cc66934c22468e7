package io.voicebot.store;

import io.voicebot.store.CallStore.CallRecord;
import io.voicebot.store.CallStore.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecisionStoreTest {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");
    static TestDatabase tdb;

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    @Test
    void decisionsAreKeptPerCallInOrderAndGoWithTheirCall() {
        tdb.clean();
        CallStore calls = new CallStore(tdb.database());
        long a = calls.insertCall(CallRecord.started("uuid-dec-a", Direction.OUTBOUND, "survey", "+12125550000",
                "+12125550107", T0)).id();
        long b = calls.insertCall(CallRecord.started("uuid-dec-b", Direction.INBOUND, "hotline", "+12125550108",
                "+12125550000", T0)).id();
        DecisionStore store = calls.decisions();
        DecisionStore.Decision no = new DecisionStore.Decision(a, "rating", "agent", false, "caller said no", T0);
        DecisionStore.Decision yes = new DecisionStore.Decision(a, "rating", "opt_out", true, "confirmed by voice",
                T0.plusSeconds(5));
        store.insert(no);
        store.insert(new DecisionStore.Decision(b, "main", "agent", true, "keypad", T0));
        store.insert(yes);
        assertEquals(List.of(no, yes), store.forCall(a));
        assertEquals(1, store.forCall(b).size());

        String longReason = "x".repeat(300);
        store.insert(new DecisionStore.Decision(b, null, "wrong_person", true, longReason, T0));
        assertEquals(200, store.forCall(b).get(1).reason().length(), "a long reason is cut to the column");

        tdb.clean();
        assertEquals(List.of(), store.forCall(a), "deleted with the call");
    }
}
