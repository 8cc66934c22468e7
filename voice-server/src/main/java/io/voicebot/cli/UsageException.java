package io.voicebot.cli;

/** Bad sub-command or option: printed with the usage text, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
