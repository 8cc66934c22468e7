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
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recorder and writer on a real database and disk: frames line up on the robot's clock with the caller's
 * audio (silence where the caller sent nothing, jitter absorbed), and a writer that falls behind (its thread held
 * back, like a stalled disk) never makes the audio threads wait: the chunks it has no room for are dropped at
 * once, written as silence later, and the recording is marked incomplete.
 */
class RecordingWriterTest {
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static TestDatabase tdb;
    private static CallStore calls;
    private static RecordingStore store;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        tdb = TestDatabase.fresh();
        calls = new CallStore(tdb.database());
        store = new RecordingStore(tdb.database());
    }

    @AfterAll
    static void stop() {
        tdb.close();
    }

    private static UUID call() {
        UUID id = UUID.randomUUID();
        calls.insertCall(CallStore.CallRecord.started(id.toString(), CallStore.Direction.INBOUND, "hotline",
                "+12025550100", "8005550100", NOW));
        return id;
    }

    private static short[] tone(int n, short level) {
        short[] s = new short[n];
        java.util.Arrays.fill(s, level);
        return s;
    }

    private static CallQueries.Recording awaitState(UUID id, String state) throws InterruptedException {
        CallQueries q = new CallQueries(tdb.database());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var r = q.recording(id.toString());
            if (r.isPresent() && state.equals(r.get().state())) {
                return r.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("recording of " + id + " never became " + state + ": " + q.recording(id.toString()));
    }

    @Test
    void framesLineUpOnTheRobotsClock() throws Exception {
        try (RecordingWriter w = new RecordingWriter(dir, store, Clock.fixed(NOW, ZoneOffset.UTC), 100)) {
            UUID id = call();
            CallRecorder rec = w.start(id);
            // tick 0: the caller's frame came before; tick 1: nothing from the caller; then two caller frames
            // arrive in a burst and are played out over the next two ticks
            rec.caller(tone(160, (short) 1000), 8000);
            rec.robot(tone(160, (short) -2000), 8000);
            rec.robot(tone(160, (short) -2000), 8000);
            rec.caller(tone(160, (short) 3000), 8000);
            rec.caller(tone(160, (short) 4000), 8000);
            rec.robot(new short[160], 8000);
            rec.robot(new short[160], 8000);
            rec.robot(new short[160], 8000);
            rec.closed();
            CallQueries.Recording r = awaitState(id, RecordingStore.COMPLETE);
            assertEquals("2026/11/20/" + id + ".wav", r.path());
            short[][] ch = RecordingEndToEndTest.stereo(Files.readAllBytes(dir.resolve(r.path())));
            assertEquals(5 * 160, ch[0].length);
            short[] expectLeft = {1000, 0, 3000, 4000, 0};
            short[] expectRight = {-2000, -2000, 0, 0, 0};
            for (int f = 0; f < 5; f++) {
                for (int i = 0; i < 160; i++) {
                    assertEquals(expectLeft[f], ch[0][f * 160 + i], "left, frame " + f);
                    assertEquals(expectRight[f], ch[1][f * 160 + i], "right, frame " + f);
                }
            }
        }
    }

    @Test
    void aWriterThatFallsBehindDropsAudioAtOnceAndMarksTheRecordingIncomplete() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        RecordingWriter w = new RecordingWriter(dir, store, Clock.fixed(NOW, ZoneOffset.UTC), 2, r -> new Thread(() -> {
            try {
                disk.await();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        }));
        try (w) {
            UUID id = call();
            CallRecorder rec = w.start(id);
            int frames = 10 * CallRecorder.CHUNK_FRAMES;
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                rec.caller(tone(160, (short) (i + 1)), 8000);
                rec.robot(tone(160, (short) -(i + 1)), 8000);
            }
            rec.closed();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(tookMs < 1000, "feeding " + frames + " frames to a stalled writer took " + tookMs + " ms");
            disk.countDown();
            CallQueries.Recording r = awaitState(id, RecordingStore.INCOMPLETE);
            short[][] ch = RecordingEndToEndTest.stereo(Files.readAllBytes(dir.resolve(r.path())));
            // the whole timeline is there: two chunks of audio, then silence where the dropped chunks were
            assertEquals(frames * 160, ch[0].length);
            int kept = 2 * CallRecorder.CHUNK_FRAMES;
            assertEquals(1, ch[0][0]);
            assertEquals(-kept, ch[1][(kept - 1) * 160]);
            assertEquals(kept, ch[0][(kept - 1) * 160]);
            for (int i = kept * 160; i < frames * 160; i++) {
                assertEquals(0, ch[0][i]);
                assertEquals(0, ch[1][i]);
            }
        }
        w.close(Duration.ofSeconds(1));
    }
}
