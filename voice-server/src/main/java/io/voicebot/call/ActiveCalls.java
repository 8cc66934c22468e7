package io.voicebot.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The calls in progress, for graceful shutdown: every listener registers a call before handling it and closes
 * the handle when the call ends. Once {@link #drain()} is called new calls are refused, and
 * {@link #awaitIdle(Duration)} waits for the ones in progress.
 */
public final class ActiveCalls {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Map<String, Handle> calls = new ConcurrentHashMap<>();
    private boolean draining;

    /** Proof that a call is registered; closing it (once or more) removes the call. */
    public final class Handle implements AutoCloseable {
        private final String callId;
        private boolean closed;

        private Handle(String callId) {
            this.callId = callId;
        }

        public String callId() {
            return callId;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                calls.remove(callId, this);
                if (calls.isEmpty()) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Registers a new call. Empty when the server is draining (the caller should reject the call, e.g. hang up
     * or answer busy). A call id already registered is an IllegalArgumentException: ids must be unique.
     */
    public Optional<Handle> tryRegister(String callId) {
        lock.lock();
        try {
            if (draining) {
                return Optional.empty();
            }
            Handle h = new Handle(callId);
            if (calls.putIfAbsent(callId, h) != null) {
                throw new IllegalArgumentException("call " + callId + " is already active");
            }
            return Optional.of(h);
        } finally {
            lock.unlock();
        }
    }

    /** From now on new calls are refused; calls in progress go on. */
    public void drain() {
        lock.lock();
        try {
            draining = true;
        } finally {
            lock.unlock();
        }
    }

    public boolean isDraining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    public int active() {
        return calls.size();
    }

    public List<String> activeIds() {
        return List.copyOf(calls.keySet());
    }

    /** Waits until no call is active or {@code timeout} has passed; true when idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!calls.isEmpty()) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
