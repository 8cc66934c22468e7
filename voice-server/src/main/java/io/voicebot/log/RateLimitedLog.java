package io.voicebot.log;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that a peer can trigger at will (a refused address, a stray protocol line): logged at most once per
 * interval, the next one saying how many were left out, so a flood cannot fill the disk or bury other lines.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger suppressed = new AtomicInteger();

    public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    /** Logs at WARN unless one was logged within the interval; {@code format} as SLF4J's. */
    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextNanos.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        int left = suppressed.getAndSet(0);
        if (left > 0) {
            log.warn(format + " ({} similar warnings left out in the last {} s)", append(args, left,
                    TimeUnit.NANOSECONDS.toSeconds(intervalNanos)));
        } else {
            log.warn(format, args);
        }
    }

    /** How many warnings were left out since the last one logged. */
    public int suppressed() {
        return suppressed.get();
    }

    private static Object[] append(Object[] args, Object a, Object b) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 2);
        out[args.length] = a;
        out[args.length + 1] = b;
        return out;
    }
}
