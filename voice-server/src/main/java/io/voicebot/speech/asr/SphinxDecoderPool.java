package io.voicebot.speech.asr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * At most {@code maxDecoders} Sphinx4 decoders of one kind (grammar or free speech), built on demand and reused: a
 * decoder holds a copy of the acoustic model, so they are few and lent to one utterance at a time. A decoder that
 * already has the wanted grammar compiled is lent first.
 */
final class SphinxDecoderPool {
    private static final Logger log = LoggerFactory.getLogger(SphinxDecoderPool.class);
    private static final long ACQUIRE_TIMEOUT_MS = 30_000;

    private final int maxDecoders;
    private final BooleanSupplier closed;
    private final Supplier<SphinxDecoder> factory;
    private final LinkedList<SphinxDecoder> idle = new LinkedList<>();
    private int created;

    /** {@code factory} builds a decoder (seconds); {@code closed}: the recognizer is closed, nothing more is lent. */
    SphinxDecoderPool(int maxDecoders, BooleanSupplier closed, Supplier<SphinxDecoder> factory) {
        this.maxDecoders = maxDecoders;
        this.closed = closed;
        this.factory = factory;
    }

    /** An idle decoder (one that has {@code grammar} compiled if any), a new one, or waits for one. */
    SphinxDecoder acquire(String grammar) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACQUIRE_TIMEOUT_MS);
        synchronized (this) {
            while (true) {
                if (closed.getAsBoolean()) {
                    throw new AsrException("the Sphinx recognizer is closed");
                }
                if (!idle.isEmpty()) {
                    for (java.util.Iterator<SphinxDecoder> it = idle.iterator(); it.hasNext(); ) {
                        SphinxDecoder d = it.next();
                        if (grammar == null || d.has(grammar)) {
                            it.remove();
                            return d;
                        }
                    }
                    return idle.removeFirst();
                }
                if (created < maxDecoders) {
                    created++;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AsrException("no Sphinx decoder became free within " + ACQUIRE_TIMEOUT_MS + " ms");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        try {
            return factory.get();
        } catch (RuntimeException e) {
            synchronized (this) {
                created--;
                notifyAll();
            }
            throw e;
        }
    }

    /** Builds decoders until there are maxDecoders. */
    void fill() {
        while (true) {
            synchronized (this) {
                if (closed.getAsBoolean() || created >= maxDecoders) {
                    return;
                }
                created++;
            }
            SphinxDecoder d;
            try {
                d = factory.get();
            } catch (RuntimeException e) {
                synchronized (this) {
                    created--;
                    notifyAll();
                }
                throw e;
            }
            release(d);
        }
    }

    /** Every idle decoder, taken out of the pool: the caller must release each. */
    synchronized List<SphinxDecoder> takeIdle() {
        List<SphinxDecoder> all = new ArrayList<>(idle);
        idle.clear();
        return all;
    }

    synchronized void release(SphinxDecoder d) {
        idle.addFirst(d);
        notifyAll();
    }

    synchronized void closeAll() {
        for (SphinxDecoder d : idle) {
            try {
                d.deallocate();
            } catch (RuntimeException e) {
                log.debug("deallocating a Sphinx decoder: {}", e.toString());
            }
        }
        idle.clear();
        notifyAll();
    }

    /** Decoders built so far (each holds one copy of the acoustic model). */
    synchronized int created() {
        return created;
    }

    /** The idle decoders now, for tests. */
    synchronized List<SphinxDecoder> idle() {
        return List.copyOf(idle);
    }
}
