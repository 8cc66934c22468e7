package io.voicebot.speech.asr;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded pool (speech.threads workers, bounded queue) every engine decodes on, so recognition never runs on
 * a network thread and an overload is refused instead of queuing without limit.
 * <p>
 * When callers stop together the queue is served fairly instead of first come: every final decode (a caller waits
 * for the answer) before any checkpoint (an optimisation, {@link EarlyEndpoint}), and within each kind the oldest
 * utterance first, so one call's checkpoints never hold up another call's answer and a long queue does not starve
 * the call that has waited longest.
 */
final class DecodeExecutor {
    /** Why a decode runs; finals go first. */
    enum Kind { FINAL, CHECKPOINT }

    private static final Comparator<Runnable> ORDER = Comparator
            .comparing((Runnable r) -> ((Job) r).kind)
            .thenComparingLong(r -> ((Job) r).since)
            .thenComparingLong(r -> ((Job) r).seq);

    private final ThreadPoolExecutor pool;
    private final PriorityBlockingQueue<Runnable> queue = new PriorityBlockingQueue<>(64, ORDER);
    private final int capacity;
    private final AtomicLong seq = new AtomicLong();

    DecodeExecutor(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        capacity = 512 * threads;
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, queue,
                r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        // Started now: with an unbounded queue the pool would otherwise queue work before all threads exist.
        pool.prestartAllCoreThreads();
    }

    /** Runs {@code task} as a final decode of an utterance that starts now (engines without checkpoints). */
    boolean submit(Runnable task) {
        return submit(Kind.FINAL, System.nanoTime(), task);
    }

    /**
     * Runs {@code task} on the pool, after queued work of a more urgent kind or an older utterance ({@code since}:
     * the utterance's start, System.nanoTime()); false when the queue is full or the pool shut down.
     */
    synchronized boolean submit(Kind kind, long since, Runnable task) {
        if (queue.size() >= capacity) {
            return false;
        }
        try {
            pool.execute(new Job(kind, since, seq.incrementAndGet(), task));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    void shutdown() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Job(Kind kind, long since, long seq, Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }
}
