package io.voicebot.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What GET /health reports: the database and every listener that registered (name + "is it bound?").
 * Healthy only when all are up and the server is not draining.
 */
public final class HealthChecks {
    private final BooleanSupplier database;
    private final BooleanSupplier draining;
    private final Map<String, BooleanSupplier> listeners = new ConcurrentHashMap<>();
    private final Map<String, Supplier<String>> reasons = new ConcurrentHashMap<>();

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

    public void remove(String name) {
        listeners.remove(name);
        reasons.remove(name);
    }

    /** Runs every check; blocking (the database check), so not on an event loop. */
    public Report check() {
        boolean dbUp = safe(database);
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
