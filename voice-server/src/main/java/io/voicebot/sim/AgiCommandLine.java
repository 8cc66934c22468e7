package io.voicebot.sim;

import java.util.ArrayList;
import java.util.List;

/** The AGI commands the simulated channel knows (res_agi's words, dead-channel rule and usage) and its argv parser. */
final class AgiCommandLine {
    private AgiCommandLine() {
    }

    record Command(String[] words, boolean deadOk, String usage) {}

    private static final List<Command> COMMANDS = List.of(
            new Command(new String[] {"answer"}, false, "Answers channel if not already in answer state."),
            new Command(new String[] {"channel", "status"}, false, "Returns the status of the specified channel."),
            new Command(new String[] {"exec"}, true, "Executes application with given options."),
            new Command(new String[] {"get", "full", "variable"}, true,
                    "Evaluates the given expression against the channel specified by channelname, or the current "
                            + "channel if channelname is not provided."),
            new Command(new String[] {"get", "variable"}, true, "Returns 0 if variablename is not set."),
            new Command(new String[] {"hangup"}, false, "Hangs up the specified channel."),
            new Command(new String[] {"noop"}, true, "Does nothing."),
            new Command(new String[] {"say", "digits"}, false, "Say a given digit string, returning early if any "
                    + "of the given DTMF digits are received on the channel."),
            new Command(new String[] {"set", "autohangup"}, false,
                    "Cause the channel to automatically hangup at time seconds in the future."),
            new Command(new String[] {"set", "variable"}, true, "Sets a variable to the current channel."),
            new Command(new String[] {"stream", "file"}, false, "Send the given file, allowing playback to be "
                    + "interrupted by the given digits, if any."),
            new Command(new String[] {"verbose"}, true, "Sends message to the console via verbose message system."),
            new Command(new String[] {"wait", "for", "digit"}, false,
                    "Waits up to timeout milliseconds for channel to receive a DTMF digit."));

    /** The command {@code argv} starts with, as res_agi matches it; null when none. */
    static Command find(List<String> argv) {
        for (Command c : COMMANDS) {
            if (argv.size() < c.words().length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < c.words().length && match; i++) {
                match = c.words()[i].equalsIgnoreCase(argv.get(i));
            }
            if (match) {
                return c;
            }
        }
        return null;
    }

    /** res_agi.c parse_args: whitespace separates, double quotes group, backslash escapes. */
    static List<String> parseArgs(String s) {
        List<String> argv = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        boolean escaped = false;
        boolean whitespace = true;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' && !escaped) {
                quoted = !quoted;
                if (quoted && whitespace) {
                    cur = new StringBuilder();
                    argv.add(null);
                    whitespace = false;
                }
                continue;
            }
            if ((ch == ' ' || ch == '\t') && !quoted && !escaped) {
                if (cur != null && !whitespace) {
                    argv.set(argv.size() - 1, cur.toString());
                }
                whitespace = true;
                continue;
            }
            if (ch == '\\' && !escaped) {
                escaped = true;
                continue;
            }
            if (whitespace) {
                cur = new StringBuilder();
                argv.add(null);
                whitespace = false;
            }
            cur.append(ch);
            escaped = false;
        }
        if (cur != null && !argv.isEmpty() && argv.get(argv.size() - 1) == null) {
            argv.set(argv.size() - 1, cur.toString());
        }
        return argv;
    }
}
