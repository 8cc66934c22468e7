package io.voicebot.speech.asr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Scanner;

/**
 * An MLLR mean transform in Sphinx's mllr_matrix text format (as pocketsphinx and sphinx4's Transform write it):
 * the number of classes (one), of streams, each stream's length, then per stream the rows of A, the bias B and the
 * variance scale H, which is not used. A mean becomes A mean + B.
 */
record MllrMatrix(float[][][] a, float[][] b) {

    /** All streams' lengths together. */
    int dimensions() {
        int n = 0;
        for (float[] v : b) {
            n += v.length;
        }
        return n;
    }

    /** A mean of stream {@code stream} moved: A mean + B. */
    float[] apply(int stream, float[] mean) {
        float[][] m = a[stream];
        float[] out = b[stream].clone();
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                out[i] += m[i][j] * mean[j];
            }
        }
        return out;
    }

    /** Reads {@code location}: "resource:/path" on the class path, or a file, of a model with {@code streams}. */
    static MllrMatrix read(String location, int streams) {
        try (InputStream in = open(location); Scanner sc = new Scanner(in, StandardCharsets.US_ASCII)) {
            sc.useLocale(java.util.Locale.ROOT);
            int classes = sc.nextInt();
            int n = sc.nextInt();
            if (classes != 1 || n != streams) {
                throw new AsrException("MLLR transform " + location + ": " + classes + " class(es) and " + n
                        + " stream(s); one class and the model's " + streams + " streams expected");
            }
            int[] len = new int[n];
            for (int s = 0; s < n; s++) {
                len[s] = sc.nextInt();
            }
            float[][][] a = new float[n][][];
            float[][] b = new float[n][];
            for (int s = 0; s < n; s++) {
                a[s] = new float[len[s]][len[s]];
                for (int i = 0; i < len[s]; i++) {
                    for (int j = 0; j < len[s]; j++) {
                        a[s][i][j] = sc.nextFloat();
                    }
                }
                b[s] = new float[len[s]];
                for (int i = 0; i < len[s]; i++) {
                    b[s][i] = sc.nextFloat();
                }
                for (int i = 0; i < len[s]; i++) {
                    sc.nextFloat();
                }
            }
            return new MllrMatrix(a, b);
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new AsrException("cannot read the MLLR transform " + location + ": " + e, e);
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("resource:")) {
            InputStream in = MllrMatrix.class.getResourceAsStream(location.substring("resource:".length()));
            if (in == null) {
                throw new IOException("no such resource");
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }
}
