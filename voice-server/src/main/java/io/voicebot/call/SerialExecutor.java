package io.voicebot.call;

import io.voicebot.log.CallLog;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs one call's tasks one at a time, in order, on a shared pool: a call needs no thread of its own and its
 * state needs no locks. Each task runs with the call id in the log context; a task that throws is handed to
 * {@code onError} (which ends that call) and the queue goes on.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final String callId;
    private final Consumer<Throwable> onError;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool, String callId, Consumer<Throwable> onError) {
        this.pool = pool;
        this.callId = callId;
        this.onError = onError;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.addLast(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        try (CallLog ignored = CallLog.call(callId)) {
            while (true) {
                Runnable next;
                synchronized (tasks) {
                    next = tasks.pollFirst();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (Throwable t) {
                    onError.accept(t);
                }
            }
        }
    }
}
