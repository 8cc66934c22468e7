package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.tiedmixture.MixtureComponentSet;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.tiedmixture.PrunableMixtureComponent;
import edu.cmu.sphinx.util.LogMath;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * One codebook of a phonetically tied (PTM) model with Sphinx4's per-frame top-N Gaussian selection done on flat
 * arrays. Sphinx4's own {@link MixtureComponentSet} walks one object per Gaussian with a branch per dimension and
 * was 45% of the server's CPU at 50 calls (BENCHMARKS.md); here the means and precisions of a stream are stored
 * dimension by dimension, so the distances of all Gaussians are computed by one loop the JIT vectorizes. The
 * selection is exact and each score is summed in Sphinx4's order, so the chosen Gaussians and their scores are
 * Sphinx4's, except between Gaussians within one LogMath unit (1e-4 in ln) of each other: Sphinx4 sorts them with a
 * comparator that truncates to whole units and may keep the slightly worse one (TopGaussiansTest).
 * Confined to the decoder's thread, as the model is.
 */
final class TopGaussians extends MixtureComponentSet {
    private final int top;
    private final int gaussians;
    /** Per stream: dimension d of Gaussian g at [d * gaussians + g]. */
    private final float[][] means;
    /** The same for telephone audio (the model's means moved by an MLLR transform), or null for none. */
    private final float[][] telephoneMeans;
    private final float[][] precisions;
    /** Per stream: each Gaussian's constant term (ln). */
    private final float[][] factors;
    private final int[] dims;
    private final Gaussian[][] gaussiansByStream;
    /** Sphinx4's floor of a Gaussian score (LogMath base). */
    private final float floor;
    private final float[] distances;
    /** Per stream, the top N ascending: [stream * top + j]. */
    private final float[] topScores;
    private final int[] topIds;
    private final float[] topLn;
    private float[] scoredValues;
    private long scoredSample = Long.MIN_VALUE;
    /** The means the current utterance is scored with: set by the front end before its first frame. */
    private float[][] active;

    TopGaussians(Gaussian[][] byStream, int top) {
        this(byStream, top, null);
    }

    /** {@code telephone}: the transform whose means telephone utterances are scored with, or null. */
    TopGaussians(Gaussian[][] byStream, int top, MllrMatrix telephone) {
        super(new ArrayList<>(Arrays.<PrunableMixtureComponent[]>asList(byStream)), top);
        this.top = top;
        gaussiansByStream = byStream;
        int streams = byStream.length;
        gaussians = byStream[0].length;
        means = new float[streams][];
        telephoneMeans = telephone == null ? null : new float[streams][];
        precisions = new float[streams][];
        factors = new float[streams][gaussians];
        dims = new int[streams];
        float f = 0;
        for (int s = 0; s < streams; s++) {
            int d = byStream[s][0].mean().length;
            dims[s] = d;
            means[s] = new float[d * gaussians];
            precisions[s] = new float[d * gaussians];
            if (telephone != null) {
                telephoneMeans[s] = new float[d * gaussians];
            }
            for (int g = 0; g < gaussians; g++) {
                Gaussian c = byStream[s][g];
                factors[s][g] = c.factor();
                f = c.floor();
                for (int i = 0; i < d; i++) {
                    means[s][i * gaussians + g] = c.mean()[i];
                    precisions[s][i * gaussians + g] = c.precision()[i];
                }
                if (telephone != null) {
                    float[] moved = telephone.apply(s, c.mean());
                    for (int i = 0; i < d; i++) {
                        telephoneMeans[s][i * gaussians + g] = moved[i];
                    }
                }
            }
        }
        active = means;
        floor = f;
        distances = new float[gaussians];
        topScores = new float[streams * top];
        topIds = new int[streams * top];
        topLn = new float[top];
    }

    @Override
    public void updateTopScores(Data feature) {
        FloatData frame = FloatData.toFloatData(feature);
        float[] x = frame.getValues();
        // Every senone of this codebook asks for the same frame: select once per frame.
        if (x == scoredValues && frame.getFirstSampleNumber() == scoredSample) {
            return;
        }
        int offset = 0;
        for (int s = 0; s < dims.length; s++) {
            select(s, x, offset);
            offset += dims[s];
        }
        scoredValues = x;
        scoredSample = frame.getFirstSampleNumber();
    }

    /** Scores the following utterance with the telephone means (when there are some) or the model's own. */
    void telephone(boolean telephone) {
        active = telephone && telephoneMeans != null ? telephoneMeans : means;
        scoredValues = null;
    }

    /** Whether the telephone means score the current utterance. */
    boolean telephone() {
        return active != means;
    }

    private void select(int stream, float[] x, int offset) {
        float[] mean = active[stream];
        float[] precision = precisions[stream];
        float[] dist = distances;
        int n = gaussians;
        System.arraycopy(factors[stream], 0, dist, 0, n);
        for (int d = 0; d < dims[stream]; d++) {
            float xd = x[offset + d];
            int base = d * n;
            for (int g = 0; g < n; g++) {
                float diff = xd - mean[base + g];
                dist[g] += diff * diff * precision[base + g];
            }
        }
        // The N best, ascending (Sphinx4's order: the senone sums them in this order).
        int first = stream * top;
        int filled = 0;
        for (int g = 0; g < n; g++) {
            float v = dist[g];
            if (filled == top && v < topLn[0]) {
                continue;
            }
            int j;
            if (filled < top) {
                j = filled++;
                while (j > 0 && topLn[j - 1] > v) {
                    topLn[j] = topLn[j - 1];
                    topIds[first + j] = topIds[first + j - 1];
                    j--;
                }
            } else {
                j = 0;
                while (j + 1 < top && topLn[j + 1] < v) {
                    topLn[j] = topLn[j + 1];
                    topIds[first + j] = topIds[first + j + 1];
                    j++;
                }
            }
            topLn[j] = v;
            topIds[first + j] = g;
        }
        LogMath logMath = LogMath.getLogMath();
        for (int j = 0; j < top; j++) {
            float score = logMath.lnToLog(topLn[j]);
            if (Float.isNaN(score)) {
                score = LogMath.LOG_ZERO;
            }
            topScores[first + j] = Math.max(score, floor);
        }
    }

    /** Codebook stream {@code stream}'s Gaussians. */
    Gaussian[] gaussians(int stream) {
        return gaussiansByStream[stream];
    }

    @Override
    public float getTopGauScore(int streamId, int topGauId) {
        return topScores[streamId * top + topGauId];
    }

    @Override
    public int getTopGauId(int streamId, int topGauId) {
        return topIds[streamId * top + topGauId];
    }

    /**
     * Sphinx4's Gaussian (its variance floor and transforms applied), with what the scorer reads exposed; Sphinx4's
     * own code uses it for what is not per-frame selection (adaptation, scores of all components).
     */
    static final class Gaussian extends PrunableMixtureComponent {
        Gaussian(float[] mean, float[][] meanMatrix, float[] meanVector, float[] variance, float[][] varianceMatrix,
                 float[] varianceVector, float distFloor, float varianceFloor, int id) {
            super(mean, meanMatrix, meanVector, variance, varianceMatrix, varianceVector, distFloor, varianceFloor,
                    id);
        }

        float[] mean() {
            return meanTransformed;
        }

        /** -1 / (2 variance), per dimension. */
        float[] precision() {
            return precisionTransformed;
        }

        float factor() {
            return logPreComputedGaussianFactor;
        }

        float floor() {
            return distFloor;
        }
    }
}
