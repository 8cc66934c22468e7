package io.voicebot.config;

import java.util.List;

/**
 * A configuration that cannot be used: one or more values missing, unknown or malformed. Each problem names the
 * key and its source (file and line, or environment variable); {@link #problems()} lists them all.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String message) {
        this(List.of(message));
    }

    public ConfigException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
