package io.voicebot.bench;

import java.util.List;

/**
 * How late the robot's frames arrive against the 20 ms schedule they are sent on. The schedule is anchored at
 * the earliest arrival of the call (smallest arrival minus index times 20 ms), as a jitter buffer that had
 * waited for the best case would be: a frame is late by how much it arrives after its slot. Delay common to all
 * frames cancels out; a stall on the server (or the load generator) shows up as late frames.
 */
final class FrameClock {
    static final long PERIOD_NANOS = 20_000_000L;

    private FrameClock() {
    }

    /** How many of the frames that arrived at {@code arrivals} (System.nanoTime(), in order) are late by more than {@code limitMs}. */
    static long late(List<Long> arrivals, long limitMs) {
        long anchor = Long.MAX_VALUE;
        for (int i = 0; i < arrivals.size(); i++) {
            anchor = Math.min(anchor, arrivals.get(i) - i * PERIOD_NANOS);
        }
        long limit = limitMs * 1_000_000L;
        long late = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            if (arrivals.get(i) - i * PERIOD_NANOS - anchor > limit) {
                late++;
            }
        }
        return late;
    }
}
