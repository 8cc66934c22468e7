package io.voicebot.telephony.agi;

/** Asterisk answered 520: the command line was malformed; {@link #usage()} is the text Asterisk sent. */
public final class AgiUsageException extends AgiException {
    private final String command;
    private final String usage;

    public AgiUsageException(String command, String usage) {
        super("520 invalid command syntax for '" + command + "'" + (usage.isEmpty() ? "" : ": " + usage));
        this.command = command;
        this.usage = usage;
    }

    public String command() {
        return command;
    }

    public String usage() {
        return usage;
    }
}
