package io.voicebot.qa;

import io.voicebot.store.CallStore;
import io.voicebot.store.QaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks every finished call against the QA rules, after the call, on one low-priority thread of its own: never on
 * the call's thread or the event loop. The rules come from the newest set an operator stored through the API,
 * else from the rules file, else there are none.
 */
public final class QaService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QaService.class);
    private static final int QUEUE = 10_000;

    private final CallStore calls;
    private final QaStore store;
    private final ThreadPoolExecutor worker;
    private volatile QaRules rules;

    /** Reads the rules (stored set, else {@code rulesFile} when it exists); a bad file fails with its problems. */
    public QaService(CallStore calls, QaStore store, Path rulesFile) throws QaRules.Invalid, IOException {
        this.calls = calls;
        this.store = store;
        Optional<String> stored = store.latestRules();
        if (stored.isPresent()) {
            rules = QaRules.parse("stored QA rules", stored.get());
        } else if (rulesFile != null && Files.isRegularFile(rulesFile)) {
            rules = QaRules.parse(rulesFile.toString(), Files.readString(rulesFile));
        } else {
            rules = QaRules.none();
        }
        worker = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "qa-check");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        log.info("QA: {} rule(s)", rules.rules().size());
    }

    public QaRules rules() {
        return rules;
    }

    /** Checks and stores a new rule set (YAML or JSON); calls that end from now on are checked against it. */
    public QaRules replaceRules(String text) throws QaRules.Invalid {
        QaRules parsed = QaRules.parse("body", text);
        store.saveRules(text);
        rules = parsed;
        log.info("QA rules replaced: {} rule(s)", parsed.rules().size());
        return parsed;
    }

    /** A call ended and is stored: queue its check. Returns at once. */
    public void callEnded(long callRowId) {
        try {
            worker.execute(() -> check(callRowId));
        } catch (RejectedExecutionException e) {
            log.warn("QA check of call row {} skipped: {} checks are waiting", callRowId, QUEUE);
        }
    }

    private void check(long callRowId) {
        QaRules current = rules;
        if (current.rules().isEmpty()) {
            return;
        }
        try {
            Optional<CallStore.CallRecord> call = calls.findCallById(callRowId);
            if (call.isEmpty()) {
                return;
            }
            List<CallStore.Turn> turns = calls.turns(callRowId);
            List<QaStore.Flag> flags = QaChecker.check(call.get(), turns, current);
            store.saveCheck(callRowId, store.campaignOf(callRowId).orElse(null), flags);
            if (!flags.isEmpty()) {
                log.info("QA: call {} flagged by {}", call.get().callUuid(),
                        flags.stream().map(QaStore.Flag::ruleName).distinct().toList());
            }
        } catch (RuntimeException e) {
            log.warn("QA check of call row {} failed: {}", callRowId, e.toString());
        }
    }

    /** Waits up to {@code timeoutMs} for queued checks (tests, shutdown). */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (worker.getActiveCount() > 0 || !worker.getQueue().isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
