package io.voicebot.cli;

import io.voicebot.config.Settings;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.store.Database;

import java.util.List;
import java.util.Map;

/** {@code config}: validates the configuration and prints every key, its value and where it came from. */
public final class ConfigCommand implements Command {

    @Override
    public String summary() {
        return "config            check the configuration and print every key with its source";
    }

    @Override
    public Help help() {
        return Help.of("voicebot config",
                "Checks the configuration (defaults, then --config FILE, then VOICEBOT_* variables) and prints every\n"
                + "key=value with where it came from; secrets print as ****. Every bad key is reported, with its\n"
                + "file and line or environment variable, and the exit code is 3.");
    }

    @Override
    public int run(CliContext ctx, List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("config takes no arguments");
        }
        Settings s = ctx.settings();
        VoicebotConfig.from(s, ctx.home()); // fails with the key and source on a bad value
        for (Map.Entry<String, String> e : s.asMap().entrySet()) {
            String key = e.getKey();
            String value = s.get(key);
            if (key.contains("secret") || key.contains("password") || key.endsWith("token")) {
                value = value.isEmpty() ? "" : "****";
            } else if (key.equals("db.url")) {
                value = Database.redactUrl(value);
            }
            ctx.out().println(key + "=" + value + "    # " + s.source(key));
        }
        return 0;
    }
}
