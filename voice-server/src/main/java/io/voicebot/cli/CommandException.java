package io.voicebot.cli;

/** The command could not do its job (a missing file, an unknown grammar): the message is printed, exit code 1. */
public final class CommandException extends RuntimeException {
    public CommandException(String message) {
        super(message);
    }
}
