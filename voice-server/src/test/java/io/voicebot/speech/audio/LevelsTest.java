package io.voicebot.speech.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LevelsTest {

    @Test
    void fullScaleSineIsMinusThreeDbfs() {
        short[] s = Signals.tone(1000, 8000, 1.0, 32767);
        assertEquals(-3.01, Levels.rmsDbfs(s), 0.02);
        assertEquals(32767, Levels.peak(s, 0, s.length), 1);
        assertEquals(0.0, Levels.peakDbfs(s, 0, s.length), 0.01);
    }

    @Test
    void halfAmplitudeIsSixDbLower() {
        short[] loud = Signals.tone(440, 8000, 0.5, 20000);
        short[] quiet = Signals.tone(440, 8000, 0.5, 10000);
        assertEquals(-6.02, Levels.rmsDbfs(quiet) - Levels.rmsDbfs(loud), 0.02);
    }

    @Test
    void silenceAndEmptyInput() {
        assertEquals(Levels.SILENCE_DBFS, Levels.rmsDbfs(new short[160]));
        assertEquals(Levels.SILENCE_DBFS, Levels.rmsDbfs(new short[0]));
        assertEquals(0, Levels.peak(new short[0], 0, 0));
    }

    @Test
    void peakOfMostNegativeSampleAndMeanSquare() {
        short[] s = {0, -32768, 100, -100};
        assertEquals(32768, Levels.peak(s, 0, 4));
        assertEquals((32768.0 * 32768 + 20000) / 4, Levels.meanSquare(s, 0, 4), 1e-6);
        assertEquals(100, Levels.rms(s, 2, 2), 1e-9);
    }

    @Test
    void frameEnergyFindsTheLoudFrame() {
        short[] s = new short[160 * 5];
        short[] tone = Signals.tone(1000, 8000, 0.02, 8000);
        System.arraycopy(tone, 0, s, 320, 160);
        assertEquals(Levels.SILENCE_DBFS, Levels.frameDbfs(s, 1, 160));
        assertEquals(Levels.rmsDbfs(tone), Levels.frameDbfs(s, 2, 160), 1e-9);
        assertEquals(Levels.SILENCE_DBFS, Levels.frameDbfs(s, 9, 160), "frame past the end");
    }
}
