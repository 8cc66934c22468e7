package io.voicebot.recording;

import io.voicebot.store.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes recordings of calls that started more than {@code retention} ago and clears their path on the call
 * row, on its own low-priority timer thread (every {@code interval}), in batches, so it never competes with calls
 * for the call executor or the database pool for long.
 */
public final class RecordingRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
    private static final int BATCH = 500;

    private final RecordingStore store;
    private final Path dir;
    private final Clock clock;
    private final Duration retention;
    private ScheduledExecutorService timer;

    public RecordingRetention(RecordingStore store, Path dir, Clock clock, Duration retention) {
        this.store = store;
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = clock;
        this.retention = retention;
    }

    /** Runs {@link #runOnce()} now and every {@code interval}. */
    public synchronized void start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "voicebot-recording-retention");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("recording retention failed; retried in {} s: {}", interval.toSeconds(), e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes every recording past retention; returns how many. */
    public int runOnce() {
        Instant before = clock.instant().minus(retention);
        int deleted = 0;
        for (List<RecordingStore.Stored> batch; !(batch = store.startedBefore(before, BATCH)).isEmpty(); ) {
            for (RecordingStore.Stored s : batch) {
                Path file = dir.resolve(s.path()).normalize();
                try {
                    if (file.startsWith(dir)) {
                        Files.deleteIfExists(file);
                        removeEmptyParents(file);
                    }
                } catch (IOException e) {
                    log.warn("recording {} of call {} not deleted: {}", s.path(), s.callUuid(), e.toString());
                    return deleted; // tried again next run, not in a loop now
                }
                store.clear(s.callUuid());
                deleted++;
            }
        }
        if (deleted > 0) {
            log.info("recording retention: deleted {} recordings of calls before {}", deleted, before);
        }
        return deleted;
    }

    /** The day's and month's directories once their last recording is gone. */
    private void removeEmptyParents(Path file) {
        for (Path p = file.getParent(); p != null && p.startsWith(dir) && !p.equals(dir); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return; // not empty (or already gone): the parents are not empty either
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
