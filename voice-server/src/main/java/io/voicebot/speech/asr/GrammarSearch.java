package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.search.SimpleBreadthFirstSearchManager;
import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.linguist.SearchState;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Sphinx4's breadth-first grammar search with a cheaper best-token table. Sphinx4 allocates a HashMap of ten
 * times the active list for every frame (a megabyte with the wide grammar beam), which with its scattered probes
 * was about a quarter of decoding time. The states of a flat grammar graph are identity-compared objects (no
 * equals or hashCode of their own), so one identity table, emptied at each frame, answers the same.
 * Configured for every compiled grammar by SphinxDecoder; one utterance at a time, like the decoder. Once the
 * linguist has compiled the grammar, its graph is compacted ({@link CompactGraph}).
 */
public class GrammarSearch extends SimpleBreadthFirstSearchManager {
    private final Map<SearchState, Token> best = new IdentityHashMap<>();
    /** The map Sphinx4 made for the frame being grown: a new one means a new frame. It stays empty. */
    private Map<SearchState, Token> frame;

    @Override
    public void allocate() {
        super.allocate();
        CompactGraph.compact(linguist);
    }

    @Override
    protected Token getBestToken(SearchState state) {
        sync();
        return best.get(state);
    }

    @Override
    protected Token setBestToken(Token token, SearchState state) {
        sync();
        return best.put(state, token);
    }

    private void sync() {
        if (bestTokenMap != frame) {
            frame = bestTokenMap;
            best.clear();
        }
    }

    @Override
    public void stopRecognition() {
        super.stopRecognition();
        best.clear(); // the tokens hold the utterance's whole lattice
        frame = null;
    }
}
