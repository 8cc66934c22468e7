package io.voicebot.config;

/** A configuration value that is missing, unknown or malformed; the message names the key and the source. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
