package io.voicebot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a Linux process, from /proc/PID/stat (utime + stime) and /proc/PID/status
 * (VmRSS). A process that is gone (or another OS) reads as -1.
 */
final class ProcSampler {
    /** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on every Linux build in use). */
    private static final double TICKS_PER_SECOND = 100.0;
    private final long pid;

    ProcSampler(long pid) {
        this.pid = pid;
    }

    /** CPU seconds used so far (user + system), or -1. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory in MiB, or -1. */
    double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
