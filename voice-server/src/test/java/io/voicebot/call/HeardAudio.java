package io.voicebot.call;

import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCaller;

import java.util.List;

/** The robot's audio as a simulated callee received it, and where a prompt's audio is in it, sample for sample. */
final class HeardAudio {
    private HeardAudio() {}

    /** Every frame the robot sent, end to end, silence frames included. */
    static short[] of(SimulatedCaller caller) {
        List<AudioSocketPeer.ReceivedFrame> frames = caller.heard();
        int n = 0;
        for (AudioSocketPeer.ReceivedFrame f : frames) {
            n += f.frame().samples() == null ? 0 : f.frame().samples().length;
        }
        short[] out = new short[n];
        int at = 0;
        for (AudioSocketPeer.ReceivedFrame f : frames) {
            short[] s = f.frame().samples();
            if (s != null) {
                System.arraycopy(s, 0, out, at, s.length);
                at += s.length;
            }
        }
        return out;
    }

    /** Where {@code part} starts in {@code in} at or after {@code from}, or -1. */
    static int indexOf(short[] in, short[] part, int from) {
        outer:
        for (int i = Math.max(0, from); i + part.length <= in.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (in[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int indexOf(short[] in, short[] part) {
        return indexOf(in, part, 0);
    }
}
