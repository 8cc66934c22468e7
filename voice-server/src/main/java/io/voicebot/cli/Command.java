package io.voicebot.cli;

import java.util.List;

/** One sub-command of scripts/voicebot. */
public interface Command {
    /** One line for the usage text, e.g. "serve             run the server". */
    String summary();

    /** What {@code voicebot <command> --help} prints: every option, the exit codes. */
    Help help();

    /** Runs the command; returns the process exit code. Throw {@link UsageException} for bad options (exit 2). */
    int run(CliContext ctx, List<String> args) throws Exception;
}
