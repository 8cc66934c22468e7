package io.voicebot.telephony.agi;

/** Asterisk refused a command: 510 (invalid or unknown command). A 511 (dead channel) is an AgiHangupException. */
public final class AgiCommandException extends AgiException {
    private final int code;
    private final String command;

    public AgiCommandException(int code, String command, String text) {
        super(code + " " + text + " (command '" + command + "')");
        this.code = code;
        this.command = command;
    }

    public int code() {
        return code;
    }

    public String command() {
        return command;
    }
}
