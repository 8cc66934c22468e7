package io.voicebot.speech.asr;

import edu.cmu.sphinx.decoder.search.Token;
import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.linguist.HMMSearchState;
import edu.cmu.sphinx.result.Result;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fits the model's telephone means (scripts/fit-telephone-means): for the same speech as 16 kHz and as telephone
 * audio, both decoded through the server's front end with a grammar of the transcript only (a forced alignment),
 * the least-squares affine map, per feature stream, from each speech frame's wideband features to its telephone
 * features. That map is what the telephone channel does to a frame on average, so applied to the model's means it
 * gives the means of the same speech heard over a telephone line ({@link PtmLoader}, {@link MllrMatrix}). Pauses
 * and fillers are left out: their telephone features are the line's noise, not a map of the wideband ones.
 * Usage: TelephoneMeansFit LIST OUT; LIST has one "wideband.wav TAB telephone.wav TAB transcript" per line.
 */
public final class TelephoneMeansFit {
    private static final String CONFIG = "resource:/io/voicebot/speech/asr/sphinx.config.xml";
    private static final int STREAMS = 3;
    private static final int DIM = 13;

    /** Per stream: sums of x x' and x y' over the frames, x the wideband features with a 1 appended. */
    private final double[][][] xx = new double[STREAMS][DIM + 1][DIM + 1];
    private final double[][][] xy = new double[STREAMS][DIM + 1][DIM];
    private long frames;

    /** Adds the frames both sides have (by first sample number: the same audio gives the same frames). */
    void add(Map<Long, float[]> wide, Map<Long, float[]> narrow) {
        for (Map.Entry<Long, float[]> e : wide.entrySet()) {
            float[] y = narrow.get(e.getKey());
            if (y == null) {
                continue;
            }
            float[] x = e.getValue();
            for (int s = 0; s < STREAMS; s++) {
                double[] xi = new double[DIM + 1];
                for (int d = 0; d < DIM; d++) {
                    xi[d] = x[s * DIM + d];
                }
                xi[DIM] = 1;
                for (int p = 0; p <= DIM; p++) {
                    for (int q = 0; q <= DIM; q++) {
                        xx[s][p][q] += xi[p] * xi[q];
                    }
                    for (int i = 0; i < DIM; i++) {
                        xy[s][p][i] += xi[p] * y[s * DIM + i];
                    }
                }
            }
            frames++;
        }
    }

    /**
     * The map, [stream][row][DIM + 1] with the bias last: telephone = A wideband + B, from the normal equations
     * (Jama, which MaryTTS brings along).
     */
    double[][][] solve() {
        double[][][] w = new double[STREAMS][DIM][];
        for (int s = 0; s < STREAMS; s++) {
            double[][] coef = new Jama.Matrix(xx[s]).solve(new Jama.Matrix(xy[s])).getArray(); // (DIM + 1) x DIM
            for (int i = 0; i < DIM; i++) {
                w[s][i] = new double[DIM + 1];
                for (int p = 0; p <= DIM; p++) {
                    w[s][i][p] = coef[p][i];
                }
            }
        }
        return w;
    }

    /** Sphinx's mllr_matrix text (as {@link MllrMatrix} reads it); the variance scales are ones. */
    static String format(double[][][] w) {
        StringBuilder sb = new StringBuilder("1\n").append(w.length).append('\n');
        for (int s = 0; s < w.length; s++) {
            sb.append(w[s].length).append(s + 1 < w.length ? " " : "\n");
        }
        for (double[][] ws : w) {
            int dim = ws.length;
            for (double[] row : ws) {
                for (int j = 0; j < dim; j++) {
                    sb.append(String.format(Locale.ROOT, "%.6f", row[j])).append(j + 1 < dim ? " " : "\n");
                }
            }
            for (int i = 0; i < dim; i++) {
                sb.append(String.format(Locale.ROOT, "%.6f", ws[i][dim])).append(i + 1 < dim ? " " : "\n");
            }
            for (int i = 0; i < dim; i++) {
                sb.append("1.0").append(i + 1 < dim ? " " : "\n");
            }
        }
        return sb.toString();
    }

    /**
     * The features of the best path's frames by first sample number: only speech (no pauses or fillers) when
     * {@code speechOnly}.
     */
    static Map<Long, float[]> frames(Result result, boolean speechOnly) {
        Map<Long, float[]> out = new HashMap<>();
        Token token = result == null ? null : result.getBestFinalToken();
        for (; token != null; token = token.getPredecessor()) {
            if (token.getSearchState() instanceof HMMSearchState hs && hs.isEmitting()
                    && token.getData() instanceof FloatData f
                    && !(speechOnly && hs.getHMMState().getHMM().getBaseUnit().isFiller())) {
                out.put(f.getFirstSampleNumber(), f.getValues());
            }
        }
        return out;
    }

    /** A wav file as the decoder reads it. */
    private static byte[] decoderInput(Path wav) throws IOException {
        Pcm pcm = WavFile.read(wav);
        return SphinxRecognizer.decoderInput(pcm.samples(), pcm.sampleRate());
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TelephoneMeansFit LIST OUT");
            System.exit(2);
        }
        SphinxGrammars grammars = new SphinxGrammars();
        String base = grammars.nameFor(new Vocabulary(List.of("yes", "no"), false));
        SphinxDecoder decoder = SphinxDecoder.load(CONFIG, false, grammars.dir(), base, 4);
        TelephoneMeansFit fit = new TelephoneMeansFit();
        int used = 0;
        int lineNo = 0;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            lineNo++;
            String[] parts = line.split("\t");
            if (parts.length != 3) {
                throw new IllegalArgumentException(args[0] + " line " + lineNo + ": wideband, telephone and "
                        + "transcript expected, tab-separated");
            }
            String text = parts[2].toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").trim().replaceAll(" +", " ");
            Vocabulary v = new Vocabulary(List.of(text), false);
            if (!grammars.unknownWords(v).isEmpty()) {
                throw new IllegalArgumentException(args[0] + " line " + lineNo + ": no pronunciation for "
                        + grammars.unknownWords(v));
            }
            String grammar = grammars.nameFor(v);
            Map<Long, float[]> wide = frames(decoder.decode(grammar, decoderInput(Path.of(parts[0])),
                    SphinxCheckpoint.NO_PARTIALS), true);
            Map<Long, float[]> narrow = frames(decoder.decode(grammar, decoderInput(Path.of(parts[1])),
                    SphinxCheckpoint.NO_PARTIALS), false);
            fit.add(wide, narrow);
            used++;
        }
        Files.writeString(Path.of(args[1]), format(fit.solve()));
        System.out.printf(Locale.ROOT, "%d utterances, %d speech frames: %s%n", used, fit.frames, args[1]);
        decoder.deallocate();
    }
}
