package io.voicebot.campaign.lists;

import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.UnfinishedImport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Start-up repair after a crash: a list whose import died with its process (kill -9, power, OOM) would stay
 * importing for ever, since only the import itself ends that state. Before the node serves the API, each list of
 * this node still importing with no live import is made failed, with an error saying so and how many rows had been
 * imported; those rows are kept (the operator decides: delete the list, or upload the file again under a new name).
 * Lists of other nodes are left alone (a live node may be importing them), as is one whose owner process on this
 * host may still be running it (the import-list command). A list with no owner was started by a version before
 * owners were stored: every node treats it as its own.
 */
public final class InterruptedImports {
    private static final Logger log = LoggerFactory.getLogger(InterruptedImports.class);

    private InterruptedImports() {
    }

    /** Fails this node's imports left behind by a previous run; returns how many. */
    public static int failLeftBehind(ListStore lists, String nodeId) {
        int failed = 0;
        for (UnfinishedImport u : lists.unfinishedImports()) {
            Optional<ImportOwner> owner = ImportOwner.parse(u.owner());
            if (u.owner() != null && (owner.isEmpty() || !owner.get().node().equals(nodeId))) {
                continue;
            }
            if (owner.isPresent() && owner.get().mayBeRunning(u.createdAt())) {
                log.info("list '{}' (id {}) is importing in process {} of this node, still running: left alone",
                        u.name(), u.id(), owner.get().pid());
                continue;
            }
            String error = "import interrupted by a restart of node " + nodeId + ": " + u.imported() + " of the "
                    + u.rows() + " rows read had been imported and are kept; the rest of the file was not read";
            if (lists.failImport(u.id(), error)) {
                failed++;
                log.warn("list '{}' (id {}) was left importing by {}: {}", u.name(), u.id(),
                        u.owner() == null ? "an earlier version" : "this node's previous run", error);
            }
        }
        return failed;
    }
}
