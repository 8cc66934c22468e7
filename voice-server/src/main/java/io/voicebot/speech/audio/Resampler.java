package io.voicebot.speech.audio;

/**
 * Sample-rate converter for 16-bit mono PCM: a polyphase windowed-sinc (Kaiser) FIR for any rational ratio such
 * as 48000, 22050, 16000 and 8000 Hz in either direction. The cut-off sits at 90% of the lower Nyquist frequency
 * with about 80 dB stop-band attenuation, so downsampling does not alias (48 kHz to 8 kHz keeps 0-3.6 kHz).
 *
 * <p>One instance converts one stream: {@link #process} may be called with chunks of any size (e.g. 20 ms frames)
 * and keeps the history it needs; {@link #flush} emits the tail. Output is time-aligned with the input (no group
 * delay in the result); the cost is a latency of {@link #latencySamples()} input samples while streaming. After
 * warm-up a stream does not allocate when given output arrays sized by {@link #maxOutput(int)}. Not thread-safe.
 */
public final class Resampler {
    private static final double ROLLOFF = 0.9;
    private static final int ZERO_CROSSINGS = 20;
    private static final double KAISER_BETA = 8.0;
    private static final int MAX_PHASES = 2048;

    private final int inRate;
    private final int outRate;
    private final int up;
    private final int down;
    private final int half;
    private final int taps;
    private final float[] table;

    private float[] buf;
    private int bufLen;
    private long bufStart;
    private long consumed;
    private long nextOut;
    private boolean flushed;

    public Resampler(int inRate, int outRate) {
        if (inRate < 1000 || inRate > 384_000 || outRate < 1000 || outRate > 384_000) {
            throw new IllegalArgumentException("sample rates must be 1000..384000 Hz, got " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        if (up > MAX_PHASES) {
            throw new IllegalArgumentException("unsupported rate pair " + inRate + " -> " + outRate
                    + " (needs " + up + " filter phases, at most " + MAX_PHASES + ")");
        }
        if (inRate == outRate) {
            this.half = 0;
            this.taps = 0;
            this.table = new float[0];
        } else {
            // Cut-off in cycles per input sample, below the lower of the two Nyquist frequencies.
            double fc = 0.5 * Math.min(1.0, (double) outRate / inRate) * ROLLOFF;
            this.half = (int) Math.ceil(ZERO_CROSSINGS / (2 * fc));
            this.taps = 2 * half;
            this.table = design(up, half, fc);
        }
        this.buf = new float[Math.max(64, taps * 2)];
        reset();
    }

    /** Converts a whole clip in one go; the result has {@code ceil(len * outRate / inRate)} samples. */
    public static short[] resample(short[] in, int inRate, int outRate) {
        if (inRate == outRate) {
            return in.clone();
        }
        Resampler r = new Resampler(inRate, outRate);
        short[] out = new short[r.outputLength(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        n += r.flush(out, n);
        if (n != out.length) {
            throw new IllegalStateException("resampler produced " + n + " samples, expected " + out.length);
        }
        return out;
    }

    /** Forgets the stream so the instance can convert another one. */
    public void reset() {
        // H-1 zeros stand for the silence before the first sample.
        bufLen = Math.max(0, half - 1);
        java.util.Arrays.fill(buf, 0, bufLen, 0f);
        bufStart = -bufLen;
        consumed = 0;
        nextOut = 0;
        flushed = false;
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Input samples held back while streaming (the filter's look-ahead). */
    public int latencySamples() {
        return half;
    }

    /** Number of output samples a whole clip of {@code inputLen} samples becomes. */
    public int outputLength(long inputLen) {
        return (int) ((inputLen * up + down - 1) / down);
    }

    /** Upper bound of what one {@link #process} call with {@code inputLen} samples can write. */
    public int maxOutput(int inputLen) {
        return (int) (((long) inputLen * up + down - 1) / down) + 1;
    }

    /** Upper bound of what {@link #flush} can write. */
    public int maxFlush() {
        return (int) (((long) half * up + down - 1) / down) + 1;
    }

    /** Converts {@code len} samples; returns how many were written to {@code out} (it needs {@link #maxOutput}). */
    public int process(short[] in, int off, int len, short[] out, int outOff) {
        if (flushed) {
            throw new IllegalStateException("process after flush; call reset() first");
        }
        if (up == down) {
            System.arraycopy(in, off, out, outOff, len);
            consumed += len;
            nextOut += len;
            return len;
        }
        ensureCapacity(bufLen + len);
        for (int i = 0; i < len; i++) {
            buf[bufLen + i] = in[off + i];
        }
        bufLen += len;
        consumed += len;
        return emit(consumed, Long.MAX_VALUE, out, outOff);
    }

    /** Convenience for callers that do not manage buffers; allocates the result. */
    public short[] process(short[] in) {
        short[] out = new short[maxOutput(in.length)];
        int n = process(in, 0, in.length, out, 0);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Writes the samples still held back (needs {@link #maxFlush()} room); the stream is then finished. */
    public int flush(short[] out, int outOff) {
        if (flushed) {
            return 0;
        }
        flushed = true;
        if (up == down) {
            return 0;
        }
        ensureCapacity(bufLen + half + 1);
        java.util.Arrays.fill(buf, bufLen, bufLen + half + 1, 0f);
        bufLen += half + 1;
        return emit(consumed + half + 1, outputLength(consumed), out, outOff);
    }

    public short[] flush() {
        short[] out = new short[maxFlush()];
        int n = flush(out, 0);
        return java.util.Arrays.copyOf(out, n);
    }

    /** Emits outputs whose filter window lies inside the first {@code available} input samples. */
    private int emit(long available, long limit, short[] out, int outOff) {
        int written = 0;
        while (nextOut < limit) {
            long pos = nextOut * down;
            long k0 = pos / up;
            if (k0 + half >= available) {
                break;
            }
            int phase = (int) (pos - k0 * up);
            int start = (int) (k0 - half + 1 - bufStart);
            int t = phase * taps;
            float acc = 0f;
            for (int j = 0; j < taps; j++) {
                acc += buf[start + j] * table[t + j];
            }
            int v = Math.round(acc);
            out[outOff + written++] = (short) (v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
            nextOut++;
        }
        // Drop input no future output needs.
        long firstNeeded = (nextOut * down) / up - half + 1;
        int drop = (int) Math.min(bufLen, Math.max(0, firstNeeded - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
        return written;
    }

    private void ensureCapacity(int n) {
        if (n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
    }

    /** Table of {@code phases} rows of {@code 2*half} taps; each row has unity DC gain. */
    private static float[] design(int phases, int half, double fc) {
        int taps = 2 * half;
        float[] t = new float[phases * taps];
        double i0Beta = besselI0(KAISER_BETA);
        for (int p = 0; p < phases; p++) {
            double sum = 0;
            double[] row = new double[taps];
            for (int j = 0; j < taps; j++) {
                // Distance in input samples between the output instant and input sample j of the window.
                double d = half - 1 - j + (double) p / phases;
                double x = 2 * fc * d;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double r = d / half;
                double w = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
                row[j] = 2 * fc * sinc * w;
                sum += row[j];
            }
            for (int j = 0; j < taps; j++) {
                t[p * taps + j] = (float) (row[j] / sum);
            }
        }
        return t;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-12) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
