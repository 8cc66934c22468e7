package io.voicebot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The server's start-up steps: started in order, stopped in reverse, each stop with a bounded wait. */
final class StartSteps {
    // the logger name of before the split
    private static final Logger log = LoggerFactory.getLogger(VoicebotServer.class);
    /** Longest wait for one step to stop before shutdown moves on to the next. */
    private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(10);

    /** Something that starts or stops. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private record Step(String name, Action start, Action stop) {}

    private final List<Step> steps = new ArrayList<>();
    private final Deque<Step> started = new ArrayDeque<>();

    /** Adds a step; {@code stop} may be null. */
    void add(String name, Action start, Action stop) {
        steps.add(new Step(name, start, stop));
    }

    /** Starts every step in order; on failure stops what had started and rethrows. */
    void startAll() throws Exception {
        for (Step s : steps) {
            try {
                s.start.run();
                started.push(s);
            } catch (Exception e) {
                log.error("start-up failed at step '{}': {}", s.name, e.getMessage());
                stopAll();
                throw e;
            }
        }
    }

    /** Stops the started steps in reverse order, giving up on one after {@link #STOP_STEP_TIMEOUT}. */
    void stopAll() {
        ExecutorService stopper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "voicebot-stop");
            t.setDaemon(true);
            return t;
        });
        try {
            while (!started.isEmpty()) {
                Step s = started.pop();
                if (s.stop == null) {
                    continue;
                }
                Future<?> f = stopper.submit(() -> {
                    s.stop.run();
                    return null;
                });
                try {
                    f.get(STOP_STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    log.warn("shutdown: step '{}' did not stop within {} s; moving on", s.name,
                            STOP_STEP_TIMEOUT.toSeconds());
                } catch (ExecutionException e) {
                    log.warn("shutdown: step '{}' failed to stop: {}", s.name, e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.warn("shutdown: interrupted while stopping '{}'", s.name);
                }
            }
        } finally {
            stopper.shutdownNow();
        }
    }
}
