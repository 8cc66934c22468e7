package io.voicebot.call;

import io.voicebot.sim.SimulatedCall;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the fault tests read off a simulated call: its AudioSocket id, whether audio is loud. */
final class CallProbes {
    private static final Pattern EXEC = Pattern.compile("EXEC \"AudioSocket\" \"([0-9a-fA-F-]{36}),");

    private CallProbes() {}

    /** The call id voicebot gave the dialplan's AudioSocket command. */
    static UUID uuidOf(SimulatedCall call) {
        for (String c : call.commands()) {
            Matcher m = EXEC.matcher(c);
            if (m.find()) {
                return UUID.fromString(m.group(1));
            }
        }
        throw new AssertionError("no EXEC AudioSocket in " + call.commands());
    }

    /** Whether {@code pcm} holds speech (any sample above silence and line noise). */
    static boolean loud(short[] pcm) {
        for (short s : pcm) {
            if (Math.abs(s) > 500) {
                return true;
            }
        }
        return false;
    }
}
