package io.voicebot.speech.asr;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes queued behind a busy decoding thread run fairly: every final before any checkpoint, and the oldest
 * utterance first within each kind, whatever order they were queued in.
 */
class DecodeExecutorTest {
    @Test
    void finalsBeforeCheckpointsAndOldestUtteranceFirst() throws Exception {
        DecodeExecutor ex = new DecodeExecutor("test-decode", 1);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(5);
            assertTrue(ex.submit(DecodeExecutor.Kind.FINAL, 0, blocker(busy, release)));
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            // Queued while the only thread decodes: call A's utterance started first (since 100), then B (200), C.
            submit(ex, DecodeExecutor.Kind.CHECKPOINT, 100, "A checkpoint", order, done);
            submit(ex, DecodeExecutor.Kind.CHECKPOINT, 200, "B checkpoint", order, done);
            submit(ex, DecodeExecutor.Kind.FINAL, 300, "C final", order, done);
            submit(ex, DecodeExecutor.Kind.FINAL, 200, "B final", order, done);
            submit(ex, DecodeExecutor.Kind.CHECKPOINT, 50, "D checkpoint", order, done);
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("B final", "C final", "D checkpoint", "A checkpoint", "B checkpoint"), order);
        } finally {
            ex.shutdown();
        }
    }

    @Test
    void aFullQueueRefusesInsteadOfQueuingWithoutLimit() throws Exception {
        DecodeExecutor ex = new DecodeExecutor("test-decode", 1);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            assertTrue(ex.submit(blocker(busy, release)));
            assertTrue(busy.await(10, TimeUnit.SECONDS)); // taken off the queue: the queue is empty
            int accepted = 0;
            while (ex.submit(DecodeExecutor.Kind.CHECKPOINT, 1, () -> { }) && accepted < 10_000) {
                accepted++;
            }
            assertEquals(512, accepted, "512 queued per decoding thread, the rest refused");
            assertFalse(ex.submit(() -> { }));
            release.countDown();
        } finally {
            ex.shutdown();
        }
    }

    private static void submit(DecodeExecutor ex, DecodeExecutor.Kind kind, long since, String name,
                               List<String> order, CountDownLatch done) {
        assertTrue(ex.submit(kind, since, () -> {
            order.add(name);
            done.countDown();
        }));
    }

    /** Holds the decoding thread that runs it (counting down {@code busy}) until {@code release}. */
    private static Runnable blocker(CountDownLatch busy, CountDownLatch release) {
        return () -> {
            busy.countDown();
            await(release);
        };
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
