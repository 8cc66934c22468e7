package io.voicebot.speech.amd;

/**
 * Finds the beep of a voicemail: one steady tone between {@link #LOW_HZ} and {@link #HIGH_HZ}. Per frame, Goertzel
 * filters every {@link #STEP_HZ} Hz measure how much of the frame's energy sits in its strongest bin
 * ("tonality": 1 for a pure tone on a bin, at least 0.95 half-way between two); noise spreads its energy over
 * all bins and speech over harmonics that move with the pitch. A beep is a run of tonal frames on the same bin
 * (give or take one) at a steady level, lasting at least the minimum. Synthetic vowels come close: MaryTTS's
 * "hello?" holds 0.84 of its energy in one harmonic for a frame or two, while its level moves by several dB.
 * Not thread-safe.
 */
final class BeepDetector {
    /** What one frame changed. */
    enum Change { NONE, STARTED, ENDED }

    static final double LOW_HZ = 400;
    static final double HIGH_HZ = 2100;
    static final double STEP_HZ = 12.5;
    static final double MIN_TONALITY = 0.8;
    /** Largest level swing within a beep. */
    static final double MAX_SWING_DB = 3;
    /** Quieter frames are not looked at: beeps are loud, and this keeps the filters off most frames. */
    static final double MIN_DBFS = -45;

    private final double[] coefficients;
    private final long minMs;
    private long runStartMs = -1;
    private long runEndMs;
    private int runBin;
    private double runMinDbfs;
    private double runMaxDbfs;
    private boolean confirmed;
    private long lastStartMs;
    private long lastEndMs;
    private double lastHz;

    BeepDetector(int sampleRate, long minMs) {
        int bins = (int) Math.round((HIGH_HZ - LOW_HZ) / STEP_HZ) + 1;
        coefficients = new double[bins];
        for (int i = 0; i < bins; i++) {
            coefficients[i] = 2 * Math.cos(2 * Math.PI * (LOW_HZ + i * STEP_HZ) / sampleRate);
        }
        this.minMs = minMs;
    }

    /** One frame covering [startMs, endMs) with its RMS level. */
    Change accept(short[] pcm, int off, int len, long startMs, long endMs, double levelDbfs) {
        int bin = levelDbfs >= MIN_DBFS ? tonalBin(pcm, off, len) : -1;
        Change change = Change.NONE;
        if (bin >= 0 && runStartMs >= 0 && Math.abs(bin - runBin) <= 1
                && Math.max(runMaxDbfs, levelDbfs) - Math.min(runMinDbfs, levelDbfs) <= MAX_SWING_DB) {
            runEndMs = endMs;
            runMinDbfs = Math.min(runMinDbfs, levelDbfs);
            runMaxDbfs = Math.max(runMaxDbfs, levelDbfs);
        } else {
            if (confirmed) {
                confirmed = false;
                lastEndMs = runEndMs;
                change = Change.ENDED;
            }
            runStartMs = bin >= 0 ? startMs : -1;
            runEndMs = endMs;
            runBin = bin;
            runMinDbfs = levelDbfs;
            runMaxDbfs = levelDbfs;
        }
        if (!confirmed && runStartMs >= 0 && runEndMs - runStartMs >= minMs && change == Change.NONE) {
            confirmed = true;
            lastStartMs = runStartMs;
            lastHz = LOW_HZ + runBin * STEP_HZ;
            change = Change.STARTED;
        }
        return change;
    }

    /** A confirmed beep is sounding now. */
    boolean inBeep() {
        return confirmed;
    }

    /** Frequency of the last confirmed beep (to {@link #STEP_HZ}). */
    double hz() {
        return lastHz;
    }

    long startMs() {
        return lastStartMs;
    }

    /** End of the last beep that ended. */
    long endMs() {
        return lastEndMs;
    }

    /** The strongest bin when it holds at least {@link #MIN_TONALITY} of the frame's energy, else -1. */
    private int tonalBin(short[] pcm, int off, int len) {
        double energy = 0;
        for (int i = off, end = off + len; i < end; i++) {
            energy += (double) pcm[i] * pcm[i];
        }
        if (energy <= 0 || len < 16) {
            return -1;
        }
        double best = 0;
        int bestBin = -1;
        for (int b = 0; b < coefficients.length; b++) {
            double c = coefficients[b];
            double s1 = 0;
            double s2 = 0;
            for (int i = off, end = off + len; i < end; i++) {
                double s0 = pcm[i] + c * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            double power = s1 * s1 + s2 * s2 - c * s1 * s2;
            if (power > best) {
                best = power;
                bestBin = b;
            }
        }
        // A sine of energy E over N samples peaks at N*E/2 on its own bin.
        return 2 * best / (len * energy) >= MIN_TONALITY ? bestBin : -1;
    }
}
