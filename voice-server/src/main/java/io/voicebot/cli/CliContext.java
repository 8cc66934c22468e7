package io.voicebot.cli;

import io.voicebot.config.Settings;
import io.voicebot.config.VoicebotConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** What every command gets: the loaded configuration and where to print. */
public record CliContext(Path home, Path configFile, Map<String, String> env, PrintStream out, PrintStream err) {

    public Settings settings() {
        return Settings.load(configFile, env);
    }

    public VoicebotConfig config() {
        return VoicebotConfig.from(settings(), home);
    }
}
