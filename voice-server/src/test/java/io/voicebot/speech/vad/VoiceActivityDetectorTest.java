package io.voicebot.speech.vad;

import io.voicebot.speech.asr.TestAudio;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpointing on constructed audio: tone bursts in quiet and in steady noise. */
class VoiceActivityDetectorTest {

    /** Runs the audio in 20 ms frames and returns "START@ms" / "END@detectedMs(end=ms)" events. */
    static List<String> events(short[] pcm, long silenceMs) {
        VoiceActivityDetector vad = new VoiceActivityDetector(8000, silenceMs, 20);
        List<String> out = new ArrayList<>();
        for (short[] f : TestAudio.frames(pcm)) {
            switch (vad.process(f, 0, f.length)) {
                case SPEECH_START -> out.add("START " + vad.speechStartMs());
                case SPEECH_END -> out.add("END " + vad.nowMs() + " " + vad.speechEndMs());
                default -> { }
            }
        }
        return out;
    }

    static long at(String event, int field) {
        return Long.parseLong(event.split(" ")[field]);
    }

    @Test
    void toneBurstInQuietGivesStartAndEndAfterTrailingSilence() {
        short[] pcm = TestAudio.concat(TestAudio.noise(1000, -60, 1), TestAudio.tone(800, 440, -20),
                TestAudio.noise(1500, -60, 2));
        List<String> ev = events(pcm, 600);
        assertEquals(2, ev.size(), ev.toString());
        assertTrue(Math.abs(at(ev.get(0), 1) - 1000) <= 20, "start at the onset: " + ev);
        assertTrue(Math.abs(at(ev.get(1), 2) - 1800) <= 20, "reported end is the end of the tone: " + ev);
        long detectedAfter = at(ev.get(1), 1) - 1800;
        assertTrue(detectedAfter >= 600 && detectedAfter <= 640, "end detected 600 ms (+1 frame) later: " + ev);
    }

    @Test
    void configurableTrailingSilence() {
        short[] pcm = TestAudio.concat(TestAudio.noise(1000, -60, 1), TestAudio.tone(500, 300, -25),
                TestAudio.noise(2000, -60, 2));
        List<String> ev = events(pcm, 1000);
        long detectedAfter = at(ev.get(1), 1) - 1500;
        assertTrue(detectedAfter >= 1000 && detectedAfter <= 1040, ev.toString());
    }

    @Test
    void shortGapInsideSpeechDoesNotEndIt() {
        short[] pcm = TestAudio.concat(TestAudio.noise(1000, -60, 1), TestAudio.tone(400, 440, -20),
                TestAudio.noise(300, -60, 3), TestAudio.tone(400, 440, -20), TestAudio.noise(1500, -60, 2));
        List<String> ev = events(pcm, 600);
        assertEquals(2, ev.size(), "one utterance: " + ev);
        assertTrue(Math.abs(at(ev.get(1), 2) - 2100) <= 20, ev.toString());
    }

    @Test
    void steadyNoiseIsNotSpeechButSpeechAboveItIs() {
        short[] pcm = TestAudio.concat(TestAudio.noise(4000, -35, 1),
                TestAudio.withNoiseFloor(TestAudio.tone(600, 500, -15), -35, 5), TestAudio.noise(1500, -35, 2));
        List<String> ev = events(pcm, 600);
        assertEquals(2, ev.size(), "only the tone is speech: " + ev);
        assertTrue(Math.abs(at(ev.get(0), 1) - 4000) <= 40, ev.toString());
    }

    @Test
    void digitalSilenceAndClicksAreNotSpeech() {
        short[] click = TestAudio.tone(20, 1000, -10);
        short[] pcm = TestAudio.concat(TestAudio.silence(1000), click, TestAudio.silence(1000));
        assertEquals(List.of(), events(pcm, 600), "a single 20 ms click is not speech");
    }
}
