package io.voicebot.campaign.lists;

import java.time.Instant;
import java.util.Optional;

/**
 * Who runs an import, as stored with its list while it is importing: "{@code <node id> pid <process id>}". The
 * server and the import-list command of one node share the node id (and the host), so the process id tells a
 * command still importing from an import a crashed server left behind.
 */
record ImportOwner(String node, long pid) {
    private static final String PID = " pid ";

    /** This process, on node {@code nodeId}. */
    static ImportOwner current(String nodeId) {
        return new ImportOwner(nodeId, ProcessHandle.current().pid());
    }

    /** Empty for text that is not an owner (null: an import started before owners were stored). */
    static Optional<ImportOwner> parse(String text) {
        int i = text == null ? -1 : text.lastIndexOf(PID);
        if (i <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ImportOwner(text.substring(0, i), Long.parseLong(text.substring(i + PID.length()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this owner's process may still be running an import started at {@code importStarted}: another
     * process with its id is alive and did not start after the import did (a process id reused after a reboot
     * started later). In doubt (the start time is not known) it may.
     */
    boolean mayBeRunning(Instant importStarted) {
        if (pid == ProcessHandle.current().pid()) {
            return false; // this process is starting: it runs no import yet
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        // Process start times are kept to the clock tick: a second of slack.
        return started.isEmpty() || importStarted == null
                || !started.get().isAfter(importStarted.plusSeconds(1));
    }

    String text() {
        return node + PID + pid;
    }
}
