package io.voicebot.speech.asr;

import edu.cmu.sphinx.linguist.Linguist;
import edu.cmu.sphinx.linguist.flat.FlatLinguist;
import edu.cmu.sphinx.linguist.flat.SentenceHMMState;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Drops what Sphinx4's flat linguist keeps of a compiled grammar only for building it. Each state of the graph
 * holds its successors twice: in a LinkedHashMap keyed by the successor's full name (a string of every state
 * name up to the root, built for each state) and, once the search has asked, in an array. The linguist also keeps
 * a set of all its states. The search reads only the array, so after compilation the map, the cached names and
 * the set are about two thirds of a compiled grammar's heap: 92 → 32 MB for the built-in dialogs' ten phrase
 * lists on one decoder (BENCHMARKS.md, "Resident memory at 50 calls"). Names are rebuilt on demand if anything
 * (a debug dump) asks for them.
 */
final class CompactGraph {
    private static final Field ARCS = field(SentenceHMMState.class, "arcs");
    private static final Field FULL_NAME = field(SentenceHMMState.class, "fullName");
    private static final Field CACHED_NAME = field(SentenceHMMState.class, "cachedName");
    private static final Field STATE_SET = field(FlatLinguist.class, "stateSet");

    private CompactGraph() {}

    /** Compacts {@code linguist}'s compiled graph if it is a flat linguist's; returns the number of states. */
    static int compact(Linguist linguist) {
        if (!(linguist instanceof FlatLinguist flat)) {
            return 0;
        }
        try {
            @SuppressWarnings("unchecked")
            Collection<SentenceHMMState> states = (Collection<SentenceHMMState>) STATE_SET.get(flat);
            if (states == null) {
                return 0;
            }
            for (SentenceHMMState s : states) {
                s.getSuccessors(); // caches the successor array the search reads
                ARCS.set(s, Map.of());
                FULL_NAME.set(s, null);
                CACHED_NAME.set(s, null);
            }
            // Read again only if the grammar's initial node changes, which a compiled voicebot grammar never does.
            STATE_SET.set(flat, List.of());
            return states.size();
        } catch (IllegalAccessException e) {
            throw new AsrException("cannot compact a Sphinx4 grammar graph: " + e, e);
        }
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new AsrException("this Sphinx4 version does not have " + owner.getSimpleName() + "." + name
                    + " (sphinx4-core 5prealpha is required): " + e, e);
        }
    }
}
