package io.voicebot.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What GET /health reports: the database and every listener that registered (name + "is it bound?").
 * Healthy only when all are up and the server is not draining. GET /ready adds the parts that load behind
 * start-up (speech): alive is not the same as ready.
 */
public final class HealthChecks {
    private final BooleanSupplier database;
    private final BooleanSupplier draining;
    private final Map<String, BooleanSupplier> listeners = new ConcurrentHashMap<>();
    private final Map<String, Supplier<String>> reasons = new ConcurrentHashMap<>();
    private final Map<String, BooleanSupplier> readiness = new ConcurrentHashMap<>();

    /** {@code reasons}: why a listener that is down is down, for those that can say (e.g. "ami"). */
    public record Report(boolean healthy, String status, String database, Map<String, String> listeners,
                         Map<String, String> reasons) {}

    public HealthChecks(BooleanSupplier database, BooleanSupplier draining) {
        this.database = database;
        this.draining = draining;
    }

    /** Adds a listener's check, e.g. {@code health.listener("agi", agi::isBound)}. */
    public void listener(String name, BooleanSupplier bound) {
        if (listeners.putIfAbsent(name, bound) != null) {
            throw new IllegalArgumentException("health check '" + name + "' is already registered");
        }
    }

    /** A check that can also say why it is down, e.g. {@code health.listener("ami", ami::isConnected, ami::unavailableReason)}. */
    public void listener(String name, BooleanSupplier up, Supplier<String> reasonWhenDown) {
        listener(name, up);
        reasons.put(name, reasonWhenDown);
    }

    /**
     * A part the server needs before it is ready for calls at full speed (GET /ready), e.g. "speech": models
     * loaded and the dialogs' prompts and grammars prepared. /health (alive) does not wait for these.
     */
    public void readiness(String name, BooleanSupplier ready) {
        if (readiness.putIfAbsent(name, ready) != null) {
            throw new IllegalArgumentException("readiness check '" + name + "' is already registered");
        }
    }

    /** What GET /ready reports: alive (as /health) and every readiness part ready. */
    public record Readiness(boolean ready, String status, String database, Map<String, String> parts) {}

    /** /health's checks plus the readiness parts; status "ready", "starting" (a part not yet), or /health's. */
    public Readiness ready() {
        Report alive = check();
        Map<String, String> parts = new LinkedHashMap<>();
        boolean allReady = true;
        for (String name : readiness.keySet().stream().sorted().toList()) {
            boolean ok = safe(readiness.get(name));
            parts.put(name, ok ? "ready" : "loading");
            allReady &= ok;
        }
        String status = !alive.healthy() ? alive.status() : allReady ? "ready" : "starting";
        return new Readiness(alive.healthy() && allReady, status, alive.database(), parts);
    }

    public void remove(String name) {
        listeners.remove(name);
        reasons.remove(name);
    }

    /** Longest a /health request waits for the database's answer: a database that is down must not stall it. */
    static final long DATABASE_WAIT_MS = 1000;
    private final java.util.concurrent.ExecutorService dbCheck = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "voicebot-health-db");
                t.setDaemon(true);
                return t;
            });
    private java.util.concurrent.CompletableFuture<Boolean> inFlight;

    /**
     * The database check, answered within {@link #DATABASE_WAIT_MS}: "down" when it takes longer (the pool waits
     * for a connection up to db.connection.timeout.ms). Concurrent requests share one check in flight.
     */
    private boolean databaseUp() {
        java.util.concurrent.CompletableFuture<Boolean> f;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> safe(database), dbCheck);
            }
            f = inFlight;
        }
        try {
            return f.get(DATABASE_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Runs every check; blocking (the database check, at most about a second), so not on an event loop. */
    public Report check() {
        boolean dbUp = databaseUp();
        Map<String, String> ls = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        boolean allUp = dbUp;
        for (String name : listeners.keySet().stream().sorted().toList()) {
            boolean up = safe(listeners.get(name));
            ls.put(name, up ? "up" : "down");
            allUp &= up;
            Supplier<String> reason = reasons.get(name);
            String r = up || reason == null ? null : reason.get();
            if (r != null) {
                why.put(name, r);
            }
        }
        boolean drain = safe(draining);
        String status = drain ? "draining" : allUp ? "ok" : "unavailable";
        return new Report(allUp && !drain, status, dbUp ? "up" : "down", ls, why);
    }

    private static boolean safe(BooleanSupplier s) {
        try {
            return s != null && s.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
