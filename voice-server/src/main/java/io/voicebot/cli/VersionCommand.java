package io.voicebot.cli;

import java.util.List;

public final class VersionCommand implements Command {
    @Override
    public String summary() {
        return "version           print the voicebot version";
    }

    @Override
    public Help help() {
        return Help.of("voicebot version", "Prints the voicebot version.");
    }

    @Override
    public int run(CliContext ctx, List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("version takes no arguments");
        }
        ctx.out().println("voicebot " + version());
        return 0;
    }

    public static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
