package io.voicebot.speech.tts;

import io.voicebot.speech.audio.Levels;

/**
 * Cuts the silence MaryTTS puts before the first word (up to about 140 ms), which the caller hears as the robot
 * being slow to answer. A short lead-in is kept so the first consonant is not clipped. Trimming twice gives the
 * same audio, so prompts cached before trimming existed are trimmed when read.
 */
final class LeadingSilence {
    /** A 10 ms window louder than this is where speech begins. */
    static final double ONSET_DBFS = -50;
    /** Audio kept before the onset. */
    static final int LEAD_MS = 20;

    private LeadingSilence() {
    }

    /** {@code pcm} without its leading silence; the same array when there is nothing to cut. */
    static short[] trim(short[] pcm, int sampleRate) {
        int window = Math.max(1, sampleRate / 100);
        int onset = -1;
        for (int off = 0; off + window <= pcm.length; off += window) {
            if (Levels.rmsDbfs(pcm, off, window) > ONSET_DBFS) {
                onset = off;
                break;
            }
        }
        int cut = onset - sampleRate * LEAD_MS / 1000;
        if (onset < 0 || cut <= 0) {
            return pcm;
        }
        return java.util.Arrays.copyOfRange(pcm, cut, pcm.length);
    }
}
