package io.voicebot.speech.audio;

/**
 * Signal levels of 16-bit PCM. dBFS is relative to a full-scale square wave (RMS 32768), so a full-scale sine
 * reads -3.01 dBFS and digital silence reads {@link #SILENCE_DBFS}. No allocation: safe on the 20 ms path.
 */
public final class Levels {
    /** What silence (all zeros) reads as, instead of negative infinity. */
    public static final double SILENCE_DBFS = -120.0;

    private Levels() {}

    /** Mean of the squared samples (0 .. 2^30), the frame energy used for voice activity decisions. */
    public static double meanSquare(short[] pcm, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        long sum = 0;
        for (int i = off, end = off + len; i < end; i++) {
            int s = pcm[i];
            sum += (long) s * s;
        }
        return (double) sum / len;
    }

    public static double rms(short[] pcm, int off, int len) {
        return Math.sqrt(meanSquare(pcm, off, len));
    }

    public static double rmsDbfs(short[] pcm, int off, int len) {
        return toDbfs(rms(pcm, off, len));
    }

    public static double rmsDbfs(short[] pcm) {
        return rmsDbfs(pcm, 0, pcm.length);
    }

    /** Largest absolute sample value (0 .. 32768). */
    public static int peak(short[] pcm, int off, int len) {
        int peak = 0;
        for (int i = off, end = off + len; i < end; i++) {
            int a = Math.abs(pcm[i]);
            if (a > peak) {
                peak = a;
            }
        }
        return peak;
    }

    public static double peakDbfs(short[] pcm, int off, int len) {
        return toDbfs(peak(pcm, off, len));
    }

    /** Energy of one frame in dBFS: {@code frame} is the frame index, {@code frameLen} samples per frame. */
    public static double frameDbfs(short[] pcm, int frame, int frameLen) {
        int off = frame * frameLen;
        int len = Math.min(frameLen, pcm.length - off);
        return len <= 0 ? SILENCE_DBFS : rmsDbfs(pcm, off, len);
    }

    /** Amplitude (0 .. 32768) to dBFS, clamped at {@link #SILENCE_DBFS}. */
    public static double toDbfs(double amplitude) {
        if (amplitude <= 0) {
            return SILENCE_DBFS;
        }
        return Math.max(SILENCE_DBFS, 20 * Math.log10(amplitude / 32768.0));
    }
}
