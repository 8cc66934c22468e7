package io.voicebot.recording;

import io.voicebot.store.CallQueries;
import io.voicebot.store.CallStore;
import io.voicebot.store.RecordingStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention on a real database and disk with a clock the test moves: old recordings go, newer ones stay. */
class RecordingRetentionTest {
    private static TestDatabase tdb;
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void start() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void stop() {
        tdb.close();
    }

    private String recordedCall(Instant startedAt) throws Exception {
        String id = UUID.randomUUID().toString();
        new CallStore(tdb.database()).insertCall(CallStore.CallRecord.started(id, CallStore.Direction.OUTBOUND,
                "payment_reminder", null, "+12025550100", startedAt));
        String path = startedAt.toString().substring(0, 10).replace('-', '/') + "/" + id + ".wav";
        Files.createDirectories(dir.resolve(path).getParent());
        Files.write(dir.resolve(path), RecordingWriter.header(8000, 0));
        new RecordingStore(tdb.database()).set(id, path, RecordingStore.COMPLETE);
        return id;
    }

    @Test
    void deletesRecordingsOlderThanTheRetentionAndKeepsNewerOnes() throws Exception {
        Instant start = Instant.parse("2026-01-10T12:00:00Z");
        String old1 = recordedCall(start);
        String old2 = recordedCall(start.plus(Duration.ofDays(1)));
        String recent = recordedCall(start.plus(Duration.ofDays(20)));
        CallQueries q = new CallQueries(tdb.database());
        Path oldFile = dir.resolve(q.recording(old1).orElseThrow().path());
        Path recentFile = dir.resolve(q.recording(recent).orElseThrow().path());
        MovableClock clock = new MovableClock(start.plus(Duration.ofDays(29)));
        RecordingRetention retention = new RecordingRetention(new RecordingStore(tdb.database()), dir, clock,
                Duration.ofDays(30));

        assertEquals(0, retention.runOnce(), "nothing is 30 days old yet");
        assertTrue(Files.exists(oldFile));

        clock.now = start.plus(Duration.ofDays(31)).plusSeconds(1);
        assertEquals(2, retention.runOnce());
        assertFalse(Files.exists(oldFile));
        assertTrue(q.recording(old1).isEmpty());
        assertTrue(q.recording(old2).isEmpty());
        assertTrue(Files.exists(recentFile));
        assertEquals(RecordingStore.COMPLETE, q.recording(recent).orElseThrow().state());
        assertEquals(0, retention.runOnce());

        clock.now = start.plus(Duration.ofDays(51));
        assertEquals(1, retention.runOnce());
        assertFalse(Files.exists(recentFile));
        assertFalse(Files.exists(recentFile.getParent()), "the emptied day directory is removed");
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aRecordingWhoseFileIsAlreadyGoneIsStillForgotten() throws Exception {
        Instant start = Instant.parse("2025-03-01T08:00:00Z");
        String id = recordedCall(start);
        CallQueries q = new CallQueries(tdb.database());
        Files.delete(dir.resolve(q.recording(id).orElseThrow().path()));
        RecordingRetention retention = new RecordingRetention(new RecordingStore(tdb.database()), dir,
                new MovableClock(start.plus(Duration.ofDays(100))), Duration.ofDays(90));
        assertTrue(retention.runOnce() >= 1);
        assertTrue(q.recording(id).isEmpty());
    }
}
