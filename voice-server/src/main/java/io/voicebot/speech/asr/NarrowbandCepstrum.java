package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.AutoCepstrum;
import edu.cmu.sphinx.frontend.DataProcessor;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;

/**
 * Sphinx4's {@link AutoCepstrum} (mel filter bank, noise removal, DCT, lifter from the model's feat.params) with
 * {@link NarrowbandFill} before the DCT, so telephone audio reaches the cepstra with its empty top filters filled.
 */
public class NarrowbandCepstrum extends AutoCepstrum {
    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        if (!NarrowbandFill.ENABLED) {
            return;
        }
        NarrowbandFill fill = new NarrowbandFill();
        int at = selectedDataProcessors.indexOf(dct);
        fill.setPredecessor(selectedDataProcessors.get(at - 1));
        dct.setPredecessor(fill);
        selectedDataProcessors.add(at, fill);
    }
}
