package io.voicebot.store;

import io.voicebot.store.CallStore.CallRecord;
import io.voicebot.store.CallStore.Direction;
import io.voicebot.store.DncStore.Entry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DncStoreTest {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");
    static TestDatabase tdb;
    static TimeZone savedZone;
    DncStore dnc;

    @BeforeAll
    static void setUp() {
        // A non-UTC JVM zone must not shift expiry times.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
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
        dnc = new DncStore(tdb.database());
    }

    static Entry entry(String phone, String reason, Instant at, Instant expires) {
        return new Entry(phone, reason, "api", null, at, expires);
    }

    @Test
    void anEntryIsKeptButALaterExpiryExtendsIt() {
        Entry first = entry("+12125550100", "asked on the phone", T0, T0.plus(Duration.ofDays(30)));
        assertTrue(dnc.add(first));
        assertEquals(first, dnc.find("+12125550100").orElseThrow());

        assertFalse(dnc.add(entry("+12125550100", "sooner", T0.plusSeconds(60), T0.plus(Duration.ofDays(10)))),
                "an earlier expiry changes nothing");
        assertEquals(first, dnc.find("+12125550100").orElseThrow());

        Instant later = T0.plus(Duration.ofDays(90));
        assertTrue(dnc.add(entry("+12125550100", "again", T0.plusSeconds(120), later)));
        assertEquals(new Entry("+12125550100", "asked on the phone", "api", null, T0, later),
                dnc.find("+12125550100").orElseThrow(), "reason and creation kept, expiry extended");

        assertTrue(dnc.add(entry("+12125550100", "for good", T0.plusSeconds(180), null)));
        assertEquals(null, dnc.find("+12125550100").orElseThrow().expiresAt());
        assertFalse(dnc.add(entry("+12125550100", "once more", T0.plusSeconds(240), later)),
                "nothing outlasts for good");
    }

    @Test
    void anExpiredEntryIsReplacedByANewOne() {
        dnc.add(entry("+12125550101", "old", T0, T0.plus(Duration.ofDays(1))));
        Instant now = T0.plus(Duration.ofDays(2));
        Entry fresh = new Entry("+12125550101", "caller asked", "dialog", null, now, null);
        assertTrue(dnc.add(fresh));
        assertEquals(fresh, dnc.find("+12125550101").orElseThrow());
    }

    @Test
    void blockedMeansNoExpiryOrExpiringAfterTheMoment() {
        Instant expires = T0.plus(Duration.ofHours(1));
        dnc.add(entry("+12125550102", null, T0, expires));
        dnc.add(entry("+12125550103", null, T0, null));
        assertTrue(dnc.isBlocked("+12125550102", T0));
        assertTrue(dnc.isBlocked("+12125550102", expires.minusMillis(1)));
        assertFalse(dnc.isBlocked("+12125550102", expires), "expired at its expiry");
        assertTrue(dnc.isBlocked("+12125550103", T0.plus(Duration.ofDays(3650))));
        assertFalse(dnc.isBlocked("+12125550199", T0));

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(String.format("+1212555%04d", i));
        }
        assertEquals(Set.of("+12125550102", "+12125550103"), dnc.blockedAmong(many, T0));
        assertEquals(Set.of("+12125550103"), dnc.blockedAmong(many, expires));
        assertEquals(Set.of(), dnc.blockedAmong(List.of(), T0));
    }

    @Test
    void removeAndPageByNumber() {
        for (String p : new String[] {"+12125550105", "+12125550103", "+12125550104", "+4930123456"}) {
            dnc.add(entry(p, null, T0, null));
        }
        assertEquals(List.of("+12125550103", "+12125550104"), phones(dnc.list(null, 2)));
        assertEquals(List.of("+12125550105", "+4930123456"), phones(dnc.list("+12125550104", 2)));
        assertEquals(List.of(), dnc.list("+4930123456", 2));
        assertTrue(dnc.remove("+12125550104"));
        assertFalse(dnc.remove("+12125550104"));
        assertEquals(List.of("+12125550103", "+12125550105", "+4930123456"), phones(dnc.list(null, 1000)));
        assertEquals("limit must be 1 to 1000, got 0",
                assertThrows(IllegalArgumentException.class, () -> dnc.list(null, 0)).getMessage());
    }

    @Test
    void theCallThatAddedAnEntryIsRemembered() {
        long call = new CallStore(tdb.database()).insertCall(CallRecord.started("uuid-dnc", Direction.OUTBOUND,
                "survey", "+12125550000", "+12125550106", T0)).id();
        Entry e = new Entry("+12125550106", "stop calling me", "dialog", call, T0, null);
        assertTrue(dnc.add(e));
        assertEquals(e, dnc.find("+12125550106").orElseThrow());
    }

    @Test
    void concurrentAddsOfOneNumberMakeOneEntry() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                results.add(pool.submit(() -> dnc.add(entry("+12125550107", "thread " + n, T0, null))));
            }
            int added = 0;
            for (Future<Boolean> f : results) {
                added += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, added);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, dnc.list(null, 10).size());
    }

    @Test
    void badEntriesNameTheField() {
        assertEquals("phone must be 1 to 32 characters, got ''", assertThrows(IllegalArgumentException.class,
                () -> dnc.add(entry("", null, T0, null))).getMessage());
        assertEquals("reason must be at most 200 characters, got 201", assertThrows(IllegalArgumentException.class,
                () -> dnc.add(entry("+12125550108", "x".repeat(201), T0, null))).getMessage());
        assertEquals("createdAt is required", assertThrows(IllegalArgumentException.class,
                () -> dnc.add(entry("+12125550108", null, null, null))).getMessage());
    }

    static List<String> phones(List<Entry> entries) {
        return entries.stream().map(Entry::phone).toList();
    }
}
