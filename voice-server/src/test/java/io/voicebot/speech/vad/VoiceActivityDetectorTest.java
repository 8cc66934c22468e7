package io.voicebot.speech.vad;

import io.voicebot.speech.asr.TestAudio;
import io.voicebot.speech.audio.Levels;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpointing on constructed audio (tone bursts in quiet and in steady noise) and on speech followed by faint noise. */
class VoiceActivityDetectorTest {

    /** Runs the audio in 20 ms frames and returns "START ms" / "END detectedMs endMs" / "NOISE detectedMs" events. */
    static List<String> events(short[] pcm, long silenceMs) {
        VoiceActivityDetector vad = new VoiceActivityDetector(8000, silenceMs, 20);
        List<String> out = new ArrayList<>();
        for (short[] f : TestAudio.frames(pcm)) {
            switch (vad.process(f, 0, f.length)) {
                case SPEECH_START -> out.add("START " + vad.speechStartMs());
                case SPEECH_END -> out.add("END " + vad.nowMs() + " " + vad.speechEndMs());
                case NOT_SPEECH -> out.add("NOISE " + vad.nowMs());
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

    /** espeak-ng speech, made once for the class (a second per synthesis on a loaded machine). */
    private static short[] spoken;

    private static synchronized short[] speech() {
        if (spoken == null) {
            spoken = TestAudio.espeak().speak("yes that is right");
        }
        return spoken;
    }

    /** The end the VAD reports for the speech followed by {@code tail}, and when it detects it. */
    private static long[] endOf(short[] tail) {
        List<String> ev = events(TestAudio.concat(TestAudio.silence(500), speech(), tail, TestAudio.silence(1500)), 600);
        assertEquals(2, ev.size(), "one utterance: " + ev);
        return new long[] {at(ev.get(1), 2), at(ev.get(1), 1)};
    }

    /** Faint noise after the words ends the speech where the words end, not where the noise ends. */
    @Test
    void faintNoiseAfterSpeechIsNotSpeech() throws Exception {
        long[] clean = endOf(new short[0]);
        int speechEnd = 500 + TestAudio.ms(speech());
        assertTrue(clean[0] <= speechEnd && clean[0] > 500 + 300, "clean end within the words: " + clean[0]);
        short[][] tails = {
            TestAudio.noise(1500, -44, 7),
            TestAudio.noise(1500, -50, 8),
            TestAudio.noise(1500, -56, 9),
            fading(TestAudio.noise(1500, 0, 10), -44, -56),
            scaled(soxNoise("pinknoise", 1500), -48),
            scaled(soxNoise("brownnoise", 1500), -46),
        };
        String[] names = {"white -44", "white -50", "white -56", "white fading -44..-56", "pink -48", "brown -46"};
        for (int i = 0; i < tails.length; i++) {
            long[] noisy = endOf(tails[i]);
            // Not later than without noise; earlier by at most the words' faint tail that the noise covers.
            assertTrue(noisy[0] <= clean[0] + 40 && noisy[0] >= clean[0] - 150, names[i] + ": end " + noisy[0]
                    + " ms, without noise " + clean[0] + " ms");
            assertTrue(noisy[1] - noisy[0] <= 600 + 200, names[i] + ": detected " + (noisy[1] - noisy[0])
                    + " ms after the end, trailing silence 600 ms");
        }
    }

    /** After faint noise has raised the floor, a new utterance still starts at once (barge-in stays fast). */
    @Test
    void speechAfterFaintNoiseStartsAtOnce() {
        short[] pcm = TestAudio.concat(TestAudio.silence(500), speech(),
                TestAudio.noise(2000, -48, 11), TestAudio.withNoiseFloor(speech(), -48, 12),
                TestAudio.noise(1500, -48, 13));
        List<String> ev = events(pcm, 600);
        assertEquals(4, ev.size(), "two utterances: " + ev);
        long secondOnset = 500 + TestAudio.ms(speech()) + 2000;
        long clean = at(events(TestAudio.concat(TestAudio.silence(500), speech()), 600).get(0), 1) - 500;
        assertTrue(Math.abs(at(ev.get(2), 1) - (secondOnset + clean)) <= 40, "second start within 40 ms of its onset: "
                + ev + ", onset at " + (secondOnset + clean));
    }

    /**
     * The line floor raised by an answer's noise tail must never make the VAD miss the next answer, however quiet:
     * a quiet caller (RMS -25..-45 dBFS) right after the noise stops, or after a pause, is found, and no later than
     * it is found on a silent line by more than 120 ms (the listener keeps 300 ms of audio before an onset, so the
     * recognizer still gets the first sounds).
     */
    @Test
    void quietAnswerAfterNoiseTailIsNotMissed() {
        short[] four = TestAudio.espeak().speak("four");
        for (double noise : new double[] {-44, -50, -56}) {
            for (int gap : new int[] {0, 100, 400, 1200}) {
                for (double level : new double[] {-25, -35, -45}) {
                    short[] quiet = scaled(four, level);
                    List<String> alone = events(TestAudio.concat(TestAudio.silence(500), quiet,
                            TestAudio.silence(1500)), 600);
                    assertEquals(2, alone.size(), "the quiet answer alone is speech: " + alone);
                    long cleanOnset = at(alone.get(0), 1) - 500;
                    List<String> ev = events(TestAudio.concat(TestAudio.silence(500), speech(),
                            TestAudio.noise(700, noise, 21), TestAudio.silence(gap), quiet, TestAudio.silence(1500)),
                            600);
                    String what = "noise " + noise + " dBFS, gap " + gap + " ms, answer at " + level + " dBFS: " + ev;
                    assertEquals(4, ev.size(), "both answers heard, " + what);
                    long onset = at(ev.get(2), 1) - (500 + TestAudio.ms(speech()) + 700 + gap);
                    assertTrue(onset >= cleanOnset - 20 && onset <= cleanOnset + 120,
                            "onset " + onset + " ms, on a silent line " + cleanOnset + " ms, " + what);
                }
            }
        }
    }

    /**
     * The call path's case (bench-turns with the line-floor VAD, issue 14): MaryTTS words end in ~400 ms of their own
     * near-silence (-55..-62 dBFS), the turn ends early in it (a checkpoint: {@code endSpeechNow()} after 220 ms of
     * quiet), and then the caller's -50 dBFS line noise starts. The line floor had followed the near-silence down,
     * so the noise passed the onset test: it barged in on the next prompt and came back as an empty answer. Steady
     * quiet noise is taken back as {@code NOT_SPEECH} when the onset would be confirmed (120 ms, the barge-in
     * minimum), and the noise that goes on is no new onset.
     */
    @Test
    void noiseStartingAfterAnEarlyEndIsNotSpeech() {
        for (double noiseDb : new double[] {-44, -50, -56}) {
            short[] pcm = TestAudio.concat(TestAudio.silence(500), speech(), TestAudio.noise(400, -60, 31),
                    TestAudio.noise(2000, noiseDb, 32), TestAudio.silence(1500));
            VoiceActivityDetector vad = new VoiceActivityDetector(8000, 600, 20);
            List<String> ev = new ArrayList<>();
            for (short[] f : TestAudio.frames(pcm)) {
                VoiceActivityDetector.Event e = vad.process(f, 0, f.length);
                if (e != VoiceActivityDetector.Event.NONE) {
                    ev.add(e + " " + vad.nowMs());
                }
                if (vad.isSpeaking() && vad.quietMs() >= 220 && ev.size() == 1) {
                    vad.endSpeechNow(); // the checkpoint heard a complete answer
                    ev.add("EARLY " + vad.nowMs());
                }
            }
            String what = "noise " + noiseDb + " dBFS: " + ev;
            assertTrue(ev.size() >= 2 && ev.get(1).startsWith("EARLY"), "the turn ended early in the quiet, " + what);
            long early = at(ev.get(1), 1);
            assertTrue(early < 500 + TestAudio.ms(speech()) + 400, "ended before the noise, " + what);
            if (ev.size() > 2) {
                // the noise may pass the onset test against the quiet before it, but is taken back at once
                assertEquals(4, ev.size(), what);
                assertTrue(ev.get(2).startsWith("SPEECH_START") && ev.get(3).startsWith("NOT_SPEECH"), what);
                assertTrue(at(ev.get(3), 1) - at(ev.get(2), 1) <= VoiceActivityDetector.CONFIRM_MS, what);
            }
        }
    }

    /** A quiet word right after the line went silent is speech, not taken back as noise. */
    @Test
    void quietSpeechIsConfirmed() {
        for (double level : new double[] {-25, -35, -45}) {
            List<String> ev = events(TestAudio.concat(TestAudio.silence(500), scaled(TestAudio.espeak().speak("four"),
                    level), TestAudio.silence(1500)), 600);
            assertEquals(2, ev.size(), level + " dBFS: " + ev);
            assertTrue(ev.get(0).startsWith("START") && ev.get(1).startsWith("END"), level + " dBFS: " + ev);
        }
    }

    /** A steady sound as loud as the speech (a held vowel, music on the line) is not taken for line noise. */
    @Test
    void loudSteadySoundStaysSpeech() {
        short[] pcm = TestAudio.concat(TestAudio.silence(500), TestAudio.tone(300, 300, -20),
                TestAudio.tone(700, 500, -24), TestAudio.silence(1500));
        List<String> ev = events(pcm, 600);
        assertEquals(2, ev.size(), ev.toString());
        assertTrue(Math.abs(at(ev.get(1), 2) - 1500) <= 20, "ends with the steady tone: " + ev);
    }

    private static short[] fading(short[] unitNoise, double fromDb, double toDb) {
        short[] out = new short[unitNoise.length];
        for (int i = 0; i < out.length; i++) {
            double db = fromDb + (toDb - fromDb) * i / out.length;
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(unitNoise[i] * Math.pow(10, db / 20))));
        }
        return out;
    }

    /** Scales to an RMS of {@code dbfs}. */
    private static short[] scaled(short[] pcm, double dbfs) {
        double rms = Math.max(1e-9, Levels.rms(pcm, 0, pcm.length));
        double gain = Math.pow(10, dbfs / 20) * 32768 / rms;
        short[] out = new short[pcm.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(pcm[i] * gain)));
        }
        return out;
    }

    /** Coloured noise from sox ({@code pinknoise}, {@code brownnoise}) at 8 kHz. */
    private static short[] soxNoise(String kind, int ms) throws Exception {
        Path f = Files.createTempFile("voicebot-noise", ".wav");
        try {
            Process p = new ProcessBuilder("sox", "-R", "-n", "-r", "8000", "-c", "1", "-b", "16", f.toString(), "synth",
                    String.valueOf(ms / 1000.0), kind, "vol", "0.3").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "sox " + kind + ": " + out);
            return TestAudio.readWav(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
