package io.voicebot.telephony.audiosocket;

/**
 * A session's sample rate is that of its first audio frame (AudioChannel). Asterisk may still send a frame of
 * another rate (a codec or translation change mid-call). Ending the session for it made the call look hung up by
 * the caller; instead such a frame is converted to the session's rate (linear interpolation: it is an exception,
 * not the media path) and the session goes on, with one warning per session.
 */
final class RateMismatch {
    private boolean warned;

    /** True the first time only: the caller logs then. */
    boolean firstTime() {
        if (warned) {
            return false;
        }
        warned = true;
        return true;
    }

    /** {@code in} at {@code inRate} as the same stretch of time at {@code outRate}. */
    static short[] convert(short[] in, int inRate, int outRate) {
        int n = (int) ((long) in.length * outRate / inRate);
        short[] out = new short[n];
        if (in.length == 0) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            double pos = (double) i * inRate / outRate;
            int a = Math.min((int) pos, in.length - 1);
            int b = Math.min(a + 1, in.length - 1);
            double f = pos - a;
            out[i] = (short) Math.round(in[a] * (1 - f) + in[b] * f);
        }
        return out;
    }
}
