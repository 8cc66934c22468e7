package io.voicebot.speech.asr;

import edu.cmu.sphinx.linguist.acoustic.UnitManager;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Pool;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Senone;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.tiedmixture.SetBasedGaussianMixture;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;
import edu.cmu.sphinx.util.props.S4String;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;

/**
 * Sphinx4's model loader, with the codebooks of a phonetically tied model (the bundled en-US model is one) scored
 * by {@link TopGaussians} instead of Sphinx4's per-object selection. Configured as acousticModelLoader in
 * sphinx.config.xml; a continuous model loads as Sphinx4 loads it.
 */
public class PtmLoader extends Sphinx3Loader {
    /**
     * Sphinx's mllr_matrix file (one class, an affine transform per stream) that moves every codebook's means to
     * telephone audio (scripts/fit-telephone-means); telephone utterances are scored with the moved means, wideband
     * ones with the model's own. Empty for none.
     */
    @S4String(defaultValue = "")
    public static final String PROP_MEAN_TRANSFORM = "meanTransform";

    /** {@code -Dvoicebot.sphinx.telephone.means=off} scores every utterance with the model's means (A/B). */
    static final boolean TELEPHONE_MEANS = !"off".equals(System.getProperty("voicebot.sphinx.telephone.means"));

    private int topGaussians;
    private String meanTransform = "";
    /** The codebooks built for a tied model; empty for a continuous one. */
    private TopGaussians[] codebooks = new TopGaussians[0];

    /** Configured by Sphinx4 from sphinx.config.xml. */
    public PtmLoader() {
    }

    /** Sphinx3Loader's explicit constructor (benchmarks and tests compare the two loaders on one model). */
    public PtmLoader(String location, UnitManager unitManager, float distFloor, float mixtureWeightFloor,
                     float varianceFloor, int topGaussians, boolean useCDUnits)
            throws MalformedURLException, ClassNotFoundException {
        super(location, unitManager, distFloor, mixtureWeightFloor, varianceFloor, topGaussians, useCDUnits);
        this.topGaussians = topGaussians;
    }

    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        topGaussians = ps.getInt(PROP_TOPN);
        meanTransform = ps.getString(PROP_MEAN_TRANSFORM);
    }

    /** Sphinx4 builds the HMMs from the senone pool here: the pool is replaced just before. */
    @Override
    protected void loadHMMPool(boolean useCDUnits, InputStream inputStream) throws IOException {
        if (hasTiedMixtures()) {
            senonePool = tiedSenonePool();
        }
        super.loadHMMPool(useCDUnits, inputStream);
    }

    /** What Sphinx4's createTiedSenonePool builds, with TopGaussians codebooks. */
    private Pool<Senone> tiedSenonePool() {
        int perState = mixtureWeights.getGauPerState();
        int streams = mixtureWeights.getStreamsNum();
        int[] senone2ci = getSenone2Ci();
        int count = meansPool.size() / (perState * streams);
        MllrMatrix transform = meanTransform.isEmpty() || !TELEPHONE_MEANS ? null
                : MllrMatrix.read(meanTransform, streams);
        float[][] meanMatrix = first(meanTransformationMatrixPool);
        float[] meanVector = first(meanTransformationVectorPool);
        float[][] varianceMatrix = first(varianceTransformationMatrixPool);
        float[] varianceVector = first(varianceTransformationVectorPool);
        TopGaussians[] sets = new TopGaussians[count];
        for (int i = 0; i < count; i++) {
            TopGaussians.Gaussian[][] byStream = new TopGaussians.Gaussian[streams][perState];
            for (int j = 0; j < streams; j++) {
                for (int k = 0; k < perState; k++) {
                    int which = (i * streams + j) * perState + k;
                    byStream[j][k] = new TopGaussians.Gaussian(meansPool.get(which), meanMatrix, meanVector,
                            variancePool.get(which), varianceMatrix, varianceVector, distFloor, varianceFloor, k);
                }
            }
            sets[i] = new TopGaussians(byStream, topGaussians, transform);
        }
        codebooks = sets;
        Pool<Senone> pool = new Pool<>("senones");
        for (int i = 0; i < senone2ci.length; i++) {
            pool.put(i, new SetBasedGaussianMixture(mixtureWeights, sets[senone2ci[i]], i));
        }
        return pool;
    }

    /**
     * Scores the following utterance with the telephone means ({@link #PROP_MEAN_TRANSFORM}) or the model's own;
     * called by the front end ({@link NarrowbandCepstrum}) once it has told the utterance's band.
     */
    void telephone(boolean telephone) {
        for (TopGaussians c : codebooks) {
            c.telephone(telephone);
        }
    }

    /** The tied model's codebooks by CI phone index; empty for a continuous model. */
    TopGaussians[] codebooks() {
        return codebooks.clone();
    }

    private static <T> T first(Pool<T> pool) {
        return pool == null ? null : pool.get(0);
    }
}
