package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.tiedmixture.SetBasedGaussianMixture;

/**
 * A senone of a tied model scored by its codebook on the codebook's own weight rows ({@link TopGaussians#mix}):
 * the same sums, in the same order, as Sphinx4's {@link SetBasedGaussianMixture}, without its scattered weight reads
 * and per-term getter calls. Everything else (component scores, weights for adaptation) is Sphinx4's, reading the
 * same {@link CodebookWeights}.
 */
@SuppressWarnings("serial")
final class PtmSenone extends SetBasedGaussianMixture {
    private final TopGaussians codebook;
    private final int local;

    PtmSenone(CodebookWeights weights, TopGaussians codebook, int id) {
        super(weights, codebook, id);
        this.codebook = codebook;
        this.local = weights.local(id);
    }

    @Override
    public float calculateScore(Data feature) {
        codebook.updateTopScores(feature);
        return codebook.mix(local);
    }
}
