package io.voicebot.bench;

import java.util.Arrays;

/** Caller audio helpers for the load run: 8 kHz, 20 ms frames. */
final class Audio {
    static final int FRAME = 160;
    /** Mean square of a voiced frame: about -45 dBFS, the level the caller side calls the robot voiced at. */
    static final double VOICED = 1e-4 * 32768.0 * 32768.0 / 3;

    private Audio() {
    }

    /** {@code pcm} without the unvoiced frames at its start and end, so its first and last frames are voiced. */
    static short[] trim(short[] pcm) {
        int frames = pcm.length / FRAME;
        int first = 0;
        while (first < frames && meanSquare(pcm, first) <= VOICED) {
            first++;
        }
        int last = frames - 1;
        while (last >= first && meanSquare(pcm, last) <= VOICED) {
            last--;
        }
        if (last < first) {
            throw new IllegalArgumentException("no voiced frame in " + pcm.length + " samples");
        }
        return Arrays.copyOfRange(pcm, first * FRAME, (last + 1) * FRAME);
    }

    static double meanSquare(short[] pcm, int frame) {
        double sum = 0;
        for (int i = frame * FRAME; i < (frame + 1) * FRAME; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return sum / FRAME;
    }
}
