package io.voicebot.speech.asr;

import edu.cmu.sphinx.linguist.acoustic.tiedstate.GaussianWeights;

import java.util.logging.Logger;

/**
 * A tied model's mixture weights laid out codebook by codebook: for each codebook (CI phone) and stream, Gaussian g's
 * weights of the codebook's senones sit side by side at [g * senones + local]. Sphinx4 keeps one array per Gaussian
 * over all 5,126 senones, so a senone's 12 weights (3 streams, top 4) were 12 scattered reads; here the senones of
 * one codebook scored in a frame read the same 12 short rows. Replaces Sphinx4's copy (the same 7.9 MB, not a
 * second one): every Sphinx4 reader goes through {@link #get}. Read-only once loaded.
 */
final class CodebookWeights extends GaussianWeights {
    private final int states;
    private final int gaussians;
    private final int[] codebookOf;
    /** Senone's index among its codebook's senones. */
    private final int[] localOf;
    /** Senones per codebook. */
    private final int[] sizes;
    /** [codebook][stream][gaussian * sizes[codebook] + local] (LogMath base, floored as Sphinx4 loaded them). */
    private final float[][][] weights;

    CodebookWeights(GaussianWeights source, int[] senoneCodebook, int codebooks) {
        // Sphinx4's own table left empty (zero states): the values live in this class's arrays.
        super(source.getName(), 0, source.getGauPerState(), source.getStreamsNum());
        states = source.getStatesNum();
        gaussians = source.getGauPerState();
        int streams = source.getStreamsNum();
        codebookOf = senoneCodebook.clone();
        localOf = new int[states];
        sizes = new int[codebooks];
        for (int i = 0; i < states; i++) {
            localOf[i] = sizes[codebookOf[i]]++;
        }
        weights = new float[codebooks][streams][];
        for (int c = 0; c < codebooks; c++) {
            for (int s = 0; s < streams; s++) {
                weights[c][s] = new float[gaussians * sizes[c]];
            }
        }
        for (int i = 0; i < states; i++) {
            for (int s = 0; s < streams; s++) {
                for (int g = 0; g < gaussians; g++) {
                    weights[codebookOf[i]][s][g * sizes[codebookOf[i]] + localOf[i]] = source.get(i, s, g);
                }
            }
        }
    }

    /** Codebook {@code codebook}'s weights by stream: Gaussian g of local senone k at [g * senones + k]. */
    float[][] codebook(int codebook) {
        return weights[codebook];
    }

    /** Senone {@code senone}'s index within its codebook's rows. */
    int local(int senone) {
        return localOf[senone];
    }

    @Override
    public float get(int stateId, int streamId, int gaussianId) {
        int c = codebookOf[stateId];
        return weights[c][streamId][gaussianId * sizes[c] + localOf[stateId]];
    }

    @Override
    public void put(int stateId, int streamId, float[] gauWeights) {
        int c = codebookOf[stateId];
        for (int g = 0; g < gaussians; g++) {
            weights[c][streamId][g * sizes[c] + localOf[stateId]] = gauWeights[g];
        }
    }

    @Override
    public int getStatesNum() {
        return states;
    }

    @Override
    public void logInfo(Logger logger) {
        logger.info("Gaussian weights: " + getName() + ". Entries: " + states * getStreamsNum());
    }
}
