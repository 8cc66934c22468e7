package io.voicebot;

import io.voicebot.config.VoicebotConfig;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The server's shared thread pools, each bounded so that background work never crowds out calls. */
final class ServerExecutors {
    final ExecutorService calls;
    final ScheduledExecutorService timer;
    final ExecutorService speechPrepare;
    final ExecutorService listImports;

    ServerExecutors(VoicebotConfig config) {
        // Call sessions block on synthesis and JDBC: a pool bounded by the number of AGI sessions it serves.
        calls = Executors.newFixedThreadPool(Math.max(4, Math.min(256, config.agi().maxSessions())),
                named("voicebot-call"));
        timer = Executors.newScheduledThreadPool(1, named("voicebot-timer"));
        // One thread: preparing speech for new dialogs is background work that must not crowd out calls.
        speechPrepare = Executors.newSingleThreadExecutor(named("voicebot-speech-prepare"));
        // One thread, lowest priority: imports queue behind each other instead of taking both cores from calls.
        listImports = Executors.newSingleThreadExecutor(r -> {
            Thread t = named("voicebot-list-import").newThread(r);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    void shutdownNow() {
        calls.shutdownNow();
        timer.shutdownNow();
        speechPrepare.shutdownNow();
        listImports.shutdownNow();
    }

    /** Daemon threads named prefix-1, prefix-2, ... */
    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
