package io.voicebot.speech.audio;

/** Test signals and measurements shared by the audio and synthesis tests. */
final class Signals {
    private Signals() {}

    static short[] tone(double hz, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** Linear sweep from {@code f0} to {@code f1} Hz. */
    static short[] sweep(double f0, double f1, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        double k = (f1 - f0) / seconds;
        for (int i = 0; i < s.length; i++) {
            double t = (double) i / rate;
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * (f0 * t + k * t * t / 2)));
        }
        return s;
    }

    /** Amplitude of the {@code hz} component in {@code s[off..off+len)} (Goertzel, Hann window compensated). */
    static double amplitudeAt(short[] s, int off, int len, double hz, int rate) {
        double w = 2 * Math.PI * hz / rate;
        double re = 0;
        double im = 0;
        double wsum = 0;
        for (int i = 0; i < len; i++) {
            double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (len - 1));
            wsum += win;
            re += s[off + i] * win * Math.cos(w * i);
            im -= s[off + i] * win * Math.sin(w * i);
        }
        return 2 * Math.hypot(re, im) / wsum;
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
