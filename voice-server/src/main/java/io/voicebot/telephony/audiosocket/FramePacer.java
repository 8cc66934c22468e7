package io.voicebot.telephony.audiosocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one frame per channel every 20 ms on an absolute clock (tick n at start + n*20 ms), so a slow tick
 * does not shift the ones after it. A few threads serve all channels.
 */
final class FramePacer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FramePacer.class);
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(AudioChannel.FRAME_MS);
    /**
     * A short stall (GC, CPU contention) is made up by sending the missed ticks at once, so the caller hears
     * the audio on its original timeline; behind by more than this, the missed ticks are skipped instead.
     */
    private static final long MAX_LAG_NANOS = 50 * PERIOD_NANOS;

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean running = true;

    FramePacer(int threads) {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], "audiosocket-pacer-" + i);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            t.start();
        }
    }

    void add(AudioChannel channel) {
        workers[Math.floorMod(next.getAndIncrement(), workers.length)].channels.add(channel);
    }

    void remove(AudioChannel channel) {
        for (Worker w : workers) {
            w.channels.remove(channel);
        }
    }

    @Override
    public void close() {
        running = false;
    }

    private final class Worker implements Runnable {
        final Set<AudioChannel> channels = ConcurrentHashMap.newKeySet();

        @Override
        public void run() {
            long start = System.nanoTime();
            long n = 0;
            while (running) {
                long due = start + n * PERIOD_NANOS;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                if (-wait > MAX_LAG_NANOS) {
                    long missed = -wait / PERIOD_NANOS;
                    // With no call on this pacer nobody missed a frame (an idle JVM pausing is no news).
                    if (!channels.isEmpty()) {
                        log.warn("AudioSocket pacer {} ms behind; skipping {} ticks", -wait / 1_000_000, missed);
                    }
                    n += missed;
                }
                for (AudioChannel c : channels) {
                    try {
                        c.tick();
                    } catch (RuntimeException e) {
                        log.warn("AudioSocket {}: pacing failed, dropping it from the pacer", c.uuid(), e);
                        channels.remove(c);
                    }
                }
                n++;
            }
        }
    }
}
