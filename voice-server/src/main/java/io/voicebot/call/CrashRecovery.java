package io.voicebot.call;

import io.voicebot.dialog.Outcome;
import io.voicebot.store.CallStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Start-up repair after a crash: a call this node was running when it died (kill -9, power, OOM) has no end time
 * and no outcome, and nothing else would ever give it one. Before the node takes calls again, each such call of
 * this node (calls.node_id) is closed with outcome "interrupted". Calls of other nodes are left alone: a live
 * node of the cluster may be running them. Attempts of these calls are settled by the dialer's reconciliation,
 * which reads the call's outcome.
 */
public final class CrashRecovery {
    private static final Logger log = LoggerFactory.getLogger(CrashRecovery.class);

    private CrashRecovery() {
    }

    /** Closes this node's open calls; returns how many. */
    public static int closeInterruptedCalls(CallStore store, String nodeId, Clock clock) {
        Instant now = clock.instant();
        List<CallStore.OpenCall> closed = store.closeOpenCalls(nodeId, now, Outcome.INTERRUPTED.scriptName());
        for (CallStore.OpenCall c : closed) {
            log.warn("call {} (started {}{}) was left open by this node's previous run: closed as interrupted",
                    c.callUuid(), c.startedAt(), c.attemptId() == null ? "" : ", attempt " + c.attemptId());
        }
        if (!closed.isEmpty()) {
            log.warn("crash recovery: {} call(s) of node {} closed as interrupted", closed.size(), nodeId);
        }
        return closed.size();
    }
}
