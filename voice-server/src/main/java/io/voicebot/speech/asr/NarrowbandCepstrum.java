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
        // it tells the band even with the fill off: the model scores telephone utterances with its telephone means
        NarrowbandFill fill = new NarrowbandFill(loader instanceof PtmLoader ptm ? ptm::telephone : null);
        int at = selectedDataProcessors.indexOf(dct);
        fill.setPredecessor(selectedDataProcessors.get(at - 1));
        dct.setPredecessor(fill);
        selectedDataProcessors.add(at, fill);
    }
}
