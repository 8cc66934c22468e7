package io.voicebot.speech.asr;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the decoding threads (thread CPU time, so other processes on a shared machine do not count), for
 * benchmarks that report CPU seconds per second of decoded audio.
 */
final class DecodeCpu {
    private DecodeCpu() {
    }

    /** Total CPU seconds of the live threads whose name starts with {@code prefix} (asr-sphinx-: the decode pool). */
    static double seconds(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long ns = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long c = mx.getThreadCpuTime(t.getId());
                if (c > 0) {
                    ns += c;
                }
            }
        }
        return ns / 1e9;
    }
}
