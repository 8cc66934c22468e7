package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.scorer.Scoreable;
import edu.cmu.sphinx.decoder.scorer.SimpleAcousticScorer;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.linguist.acoustic.HMM;
import edu.cmu.sphinx.linguist.acoustic.HMMPosition;
import edu.cmu.sphinx.linguist.acoustic.HMMState;
import edu.cmu.sphinx.linguist.acoustic.Unit;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Loader;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;
import edu.cmu.sphinx.util.props.S4Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sphinx4's acoustic scorer that also scores every context-independent (CI) HMM state on each frame, while the
 * frame's Gaussians are still cached (about a hundred mixture lookups per frame: a small fraction of decoding).
 * {@link AcousticConfidence} compares the grammar path's CI score with the best CI state of each frame: an
 * unconstrained CI phone loop without duration limits, which bounds the path's score from above on every frame.
 * Configured as the grammar decoder's scorer in sphinx.config.xml; one instance per decoder, one utterance at a time.
 */
public class CiFrameScorer extends SimpleAcousticScorer {
    @S4Component(type = Loader.class)
    public static final String PROP_LOADER = "loader";

    private Loader loader;
    private HMMState[] states;
    private Map<String, Integer> firstState;
    /** CI state scores (LogMath base) of each frame, by the frame's first sample number. */
    private final Map<Long, float[]> frames = new HashMap<>();

    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        loader = (Loader) ps.getComponent(PROP_LOADER);
    }

    @Override
    public void startRecognition() {
        super.startRecognition();
        frames.clear();
    }

    @Override
    protected Data calculateScoresForData(List<? extends Scoreable> scoreableList, Data data) {
        Data best = super.calculateScoresForData(scoreableList, data);
        if (data instanceof FloatData f && !scoreableList.isEmpty()) {
            HMMState[] s = states();
            float[] row = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                row[i] = s[i].getScore(f);
            }
            frames.put(f.getFirstSampleNumber(), row);
        }
        return best;
    }

    /** The CI state scores of the frame that starts at {@code firstSample}, or null if it was not scored. */
    float[] frame(long firstSample) {
        return frames.get(firstSample);
    }

    /** Index in a frame's row of state {@code state} of CI phone {@code phone}, or -1 when the model has none. */
    int index(String phone, int state) {
        states();
        Integer first = firstState.get(phone);
        return first == null ? -1 : first + state;
    }

    /** The model's CI HMM states, read once (the model is loaded by the front end before any scoring). */
    private HMMState[] states() {
        if (states == null) {
            List<HMMState> all = new ArrayList<>();
            Map<String, Integer> first = new HashMap<>();
            for (Map.Entry<String, Unit> e : loader.getContextIndependentUnits().entrySet()) {
                HMM hmm = loader.getHMMManager().get(HMMPosition.UNDEFINED, e.getValue());
                if (hmm == null) {
                    continue;
                }
                first.put(e.getKey(), all.size());
                for (int i = 0; i < hmm.getOrder(); i++) {
                    all.add(hmm.getState(i));
                }
            }
            firstState = first;
            states = all.toArray(new HMMState[0]);
        }
        return states;
    }
}
