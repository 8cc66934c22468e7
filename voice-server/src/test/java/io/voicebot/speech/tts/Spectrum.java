package io.voicebot.speech.tts;

/** Energy per frequency band of a signal, from Hann-windowed FFT frames (test helper). */
final class Spectrum {
    private Spectrum() {}

    /** Fraction (0..1) of the signal's energy between {@code loHz} and {@code hiHz}. */
    static double energyFraction(short[] s, int rate, double loHz, double hiHz) {
        int n = 512;
        double in = 0;
        double total = 0;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int off = 0; off + n <= s.length; off += n / 2) {
            for (int i = 0; i < n; i++) {
                re[i] = s[off + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
                im[i] = 0;
            }
            fft(re, im);
            for (int k = 1; k < n / 2; k++) {
                double e = re[k] * re[k] + im[k] * im[k];
                double hz = (double) k * rate / n;
                total += e;
                if (hz >= loHz && hz <= hiHz) {
                    in += e;
                }
            }
        }
        return total == 0 ? 0 : in / total;
    }

    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int j = 0; j < len / 2; j++) {
                    double wr = Math.cos(ang * j);
                    double wi = Math.sin(ang * j);
                    int a = i + j;
                    int b = i + j + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
