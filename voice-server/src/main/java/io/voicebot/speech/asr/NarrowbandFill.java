package io.voicebot.speech.asr;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.DataProcessingException;
import edu.cmu.sphinx.frontend.DoubleData;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the mel filters a telephone line leaves empty. The bundled acoustic model was trained on 16 kHz speech with
 * 25 mel filters up to 6800 Hz; telephone audio (upsampled from 8 kHz) has nothing above about 3.8 kHz, so the top
 * six filters hold a constant floor: after cepstral mean normalization a silent frame, a vowel and an "f" all show
 * the utterance's average there. The same synthetic answers were 88% right decoded as 16 kHz audio and 69% as
 * telephone audio (BENCHMARKS.md, "Telephone band").
 * <p>
 * Cepstral mean normalization removes each filter's utterance mean, so only a frame's deviation from that mean
 * matters. For an utterance whose top filters are empty, each frame's deviations there are predicted from its
 * deviations in the 16 in-band filters (283-3446 Hz) by a linear regression fitted on wideband speech of voices the
 * benchmark does not use. A gain change moves every filter of every frame alike, so it changes nothing here.
 * Wideband utterances pass unchanged. Works on a whole utterance, like the batch normalization after it.
 */
final class NarrowbandFill extends BaseDataProcessor {
    /** The in-band filters the prediction reads (0-based; 283-3446 Hz with the model's 25 filters). */
    static final int FIRST_INPUT = 2;
    static final int INPUTS = 16;
    /** The filters predicted: 3446-6800 Hz. */
    static final int FIRST_FILLED = 19;
    static final int FILLED = 6;
    /** The filters wholly above 4 kHz (4212-6800 Hz): what tells telephone audio from wideband. */
    static final int FIRST_EMPTY = 21;
    /**
     * Below this share of the in-band energy the top filters count as empty (-40 dB): wideband speech stays far
     * above it, the resampled telephone band far below.
     */
    static final double EMPTY_BELOW = 1e-4;
    /** Floor for the logarithm (filter energies of 16-bit samples). */
    private static final double FLOOR = 1e-3;

    /**
     * Per filled filter, the weights of the 16 in-band deviations (ln energy minus its utterance mean), from
     * scripts/fit-narrowband-fill: least squares (ridge 1.0) over every 10 ms frame, pauses included, of flite (awb,
     * rms, slt, kal16) and espeak-ng (en-gb, en-gb-x-rp, en-us+f2, +m1, +m4) reading 23 phonetically varied
     * sentences at 16 kHz. Leaving one voice out, the squared error of the predicted deviations was 3-5 against
     * 10-25 for the empty filters' zero.
     */
    static final double[][] WEIGHTS = {
            {0.0367, -0.0732, -0.0643, -0.0655, 0.0623, 0.0168, -0.1091, 0.1592, -0.0754, 0.1226, 0.0702, 0.0380,
                    -0.0744, 0.1756, 0.2437, 0.5304},
            {0.0963, -0.1863, -0.0007, -0.2344, 0.1240, 0.0224, -0.0035, -0.0069, 0.0081, 0.0322, 0.2727, -0.0548,
                    -0.0380, 0.1069, 0.2902, 0.4842},
            {0.0403, -0.2487, -0.0732, -0.3455, 0.0980, 0.1893, 0.1830, -0.2102, 0.1245, -0.0229, 0.4563, -0.1954,
                    0.1603, -0.1905, 0.4402, 0.4164},
            {-0.0217, -0.1834, -0.1445, -0.4351, 0.1423, 0.1802, 0.2343, -0.2051, 0.2111, -0.0699, 0.4908, -0.1827,
                    0.1737, -0.2520, 0.3305, 0.5156},
            {-0.0282, -0.1294, -0.1570, -0.4250, 0.1088, 0.1856, 0.2175, -0.1719, 0.1743, -0.0501, 0.4718, -0.1949,
                    0.1978, -0.2746, 0.3189, 0.5001},
            {-0.0144, -0.0862, -0.0769, -0.4890, 0.0477, 0.1614, 0.2590, -0.1163, 0.0776, -0.0064, 0.3742, -0.1480,
                    0.1888, -0.2089, 0.2383, 0.5524}};

    /**
     * {@code -Dvoicebot.sphinx.narrowband=off} leaves the filters empty, to measure against (BENCHMARKS.md); the
     * band is still told.
     */
    static final boolean ENABLED = !"off".equals(System.getProperty("voicebot.sphinx.narrowband"));
    private final ArrayDeque<Data> ready = new ArrayDeque<>();
    /** Told each utterance's band before its first frame goes on; null for no one. */
    private final java.util.function.Consumer<Boolean> band;

    NarrowbandFill() {
        this(null);
    }

    NarrowbandFill(java.util.function.Consumer<Boolean> band) {
        this.band = band;
    }

    @Override
    public Data getData() throws DataProcessingException {
        if (!ready.isEmpty()) {
            return ready.poll();
        }
        Data d = getPredecessor().getData();
        if (!(d instanceof DoubleData)) {
            return d; // signals between utterances
        }
        // the whole utterance: its means are needed before the first frame can be filled
        List<double[]> frames = new ArrayList<>();
        while (d != null) {
            ready.add(d);
            if (d instanceof DoubleData f && f.getValues().length >= FIRST_FILLED + FILLED) {
                frames.add(f.getValues());
            }
            if (d instanceof DataEndSignal) {
                break;
            }
            d = getPredecessor().getData();
        }
        boolean narrowband = fill(frames, ENABLED);
        if (band != null) {
            band.accept(narrowband); // before the utterance's first frame goes on
        }
        return ready.poll();
    }

    /** Fills the top filters of an utterance's frames of mel filter energies in place when they are empty. */
    static void fill(List<double[]> frames) {
        fill(frames, true);
    }

    /** Whether the frames are telephone audio; their top filters are filled when {@code fill}. */
    private static boolean fill(List<double[]> frames, boolean fill) {
        if (frames.isEmpty()) {
            return false;
        }
        double in = 0;
        double top = 0;
        for (double[] mel : frames) {
            for (int i = 0; i < INPUTS; i++) {
                in += mel[FIRST_INPUT + i];
            }
            for (int j = FIRST_EMPTY; j < mel.length; j++) {
                top += mel[j];
            }
        }
        if (top >= EMPTY_BELOW * in) {
            return false; // wideband audio: the filters hold real energy
        }
        if (!fill) {
            return true;
        }
        double[] mean = new double[INPUTS];
        double[][] logs = new double[frames.size()][INPUTS];
        for (int t = 0; t < frames.size(); t++) {
            for (int i = 0; i < INPUTS; i++) {
                logs[t][i] = Math.log(frames.get(t)[FIRST_INPUT + i] + FLOOR);
                mean[i] += logs[t][i] / frames.size();
            }
        }
        // the level the filled filters deviate around: any constant does, the normalization removes it
        double base = mean[INPUTS - 1];
        for (int t = 0; t < frames.size(); t++) {
            double[] mel = frames.get(t);
            for (int j = 0; j < FILLED; j++) {
                double[] w = WEIGHTS[j];
                double y = 0;
                for (int i = 0; i < INPUTS; i++) {
                    y += w[i] * (logs[t][i] - mean[i]);
                }
                mel[FIRST_FILLED + j] = Math.exp(base + y);
            }
        }
        return true;
    }
}
