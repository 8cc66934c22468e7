package io.voicebot.telephony.agi;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Maps script paths ("/inbound", "/outbound") to scripts; paths match exactly, without the query string. */
public final class AgiRouter {
    private final Map<String, AgiScript> scripts = new ConcurrentHashMap<>();

    public AgiRouter register(String path, AgiScript script) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("AGI script path must start with '/': " + path);
        }
        if (scripts.putIfAbsent(path, script) != null) {
            throw new IllegalArgumentException("AGI script path already registered: " + path);
        }
        return this;
    }

    public Optional<AgiScript> route(String path) {
        return Optional.ofNullable(scripts.get(path));
    }
}
