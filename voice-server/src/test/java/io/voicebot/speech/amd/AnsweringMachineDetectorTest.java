package io.voicebot.speech.amd;

import io.voicebot.speech.amd.AnsweringMachineDetector.Decision;
import io.voicebot.speech.amd.AnsweringMachineDetector.EndCause;
import io.voicebot.speech.amd.AnsweringMachineDetector.Event;
import io.voicebot.speech.amd.AnsweringMachineDetector.GreetingEnd;
import io.voicebot.speech.amd.AnsweringMachineDetector.Verdict;
import io.voicebot.speech.asr.TestAudio;
import io.voicebot.speech.audio.Levels;
import io.voicebot.speech.audio.Resampler;
import io.voicebot.speech.tts.MaryTtsSynthesizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.voicebot.speech.asr.TestAudio.concat;
import static io.voicebot.speech.asr.TestAudio.ms;
import static io.voicebot.speech.asr.TestAudio.noise;
import static io.voicebot.speech.asr.TestAudio.silence;
import static io.voicebot.speech.asr.TestAudio.tone;
import static io.voicebot.speech.asr.TestAudio.withNoiseFloor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector on audio made at test time: greetings spoken by MaryTTS (the simulated callers' voice) and
 * espeak-ng, a 1 kHz beep, silence and white line noise at the levels of a quiet (-60 dBFS) and a noisy (-45 dBFS)
 * line. Every case runs in 20 ms frames, as AudioSocket delivers them.
 */
class AnsweringMachineDetectorTest {
    private static final String VOICEMAIL = "Hi, you have reached Ann Lee. I cannot take your call right now. "
            + "Please leave your name and number after the tone, and I will call you back.";
    private static final double QUIET_LINE = -60;
    private static final double NOISY_LINE = -45;

    private static MaryTtsSynthesizer mary;
    /** Voice name to {hello, voicemail greeting}. */
    private static Map<String, short[][]> voices;

    @BeforeAll
    static void speak() {
        mary = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        TestAudio.Voice maryVoice = text -> mary.synthesize(text, 8000).join().samples();
        TestAudio.Voice espeak = TestAudio.espeak();
        voices = Map.of(
                "marytts", new short[][] {maryVoice.speak("Hello?"), maryVoice.speak(VOICEMAIL)},
                "espeak-ng", new short[][] {espeak.speak("Hello?"), espeak.speak(VOICEMAIL)});
    }

    @AfterAll
    static void stop() {
        if (mary != null) {
            mary.close();
        }
    }

    /** The events of feeding {@code pcm} in 20 ms frames. */
    private static List<Event> run(AmdSettings settings, short[] pcm, int rate) {
        AnsweringMachineDetector d = new AnsweringMachineDetector(settings, rate);
        List<Event> out = new ArrayList<>();
        int frame = rate / 50;
        for (int off = 0; off < pcm.length; off += frame) {
            Event e = d.accept(pcm, off, Math.min(frame, pcm.length - off));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Event> run(short[] pcm) {
        return run(AmdSettings.defaults(), pcm, 8000);
    }

    /** End of the last frame of {@code speech} louder than -45 dBFS: synthesizers pad their output with silence. */
    private static long speechEndMs(short[] speech) {
        long end = 0;
        for (int n = 0; (n + 1) * 160 <= speech.length; n++) {
            if (Levels.rmsDbfs(speech, n * 160, 160) >= -45) {
                end = (n + 1) * 20L;
            }
        }
        return end;
    }

    private static short[] beep(int ms) {
        return tone(ms, 1000, -12);
    }

    /** The greeting after 300 ms of line, then a gap, a 500 ms beep and the machine listening, all on the line. */
    private static short[] voicemailWithBeep(short[] greeting, double line) {
        return withNoiseFloor(concat(silence(300), greeting, silence(600), beep(500), silence(3000)), line, 7);
    }

    @Test
    void longGreetingThenBeepIsAMachineAndTheBeepEndsTheGreeting() {
        for (double line : new double[] {QUIET_LINE, NOISY_LINE}) {
            voices.forEach((voice, speech) -> {
                short[] greeting = speech[1];
                List<Event> ev = run(voicemailWithBeep(greeting, line));
                String why = voice + " on a " + line + " dBFS line: " + ev;
                assertEquals(2, ev.size(), why);
                Decision d = assertInstanceOf(Decision.class, ev.get(0), why);
                assertEquals(Verdict.MACHINE, d.verdict(), why);
                // The greeting is several seconds long: the verdict comes early in it, not at its end.
                assertTrue(ms(greeting) > 5000, why);
                assertTrue(d.atMs() < 300 + 2500, why);
                GreetingEnd end = assertInstanceOf(GreetingEnd.class, ev.get(1), why);
                assertEquals(EndCause.BEEP, end.cause(), why);
                long beepEnd = 300 + ms(greeting) + 600 + 500;
                assertTrue(end.atMs() >= beepEnd && end.atMs() <= beepEnd + 40, "ends with the beep: " + why);
                assertTrue(end.reason().contains("1000 Hz beep"), why);
            });
        }
    }

    @Test
    void helloThenSilenceIsAPerson() {
        for (double line : new double[] {QUIET_LINE, NOISY_LINE}) {
            voices.forEach((voice, speech) -> {
                short[] hello = speech[0];
                List<Event> ev = run(withNoiseFloor(concat(silence(300), hello, silence(4000)), line, 3));
                String why = voice + " on a " + line + " dBFS line: " + ev;
                assertEquals(1, ev.size(), why);
                Decision d = assertInstanceOf(Decision.class, ev.get(0), why);
                assertEquals(Verdict.HUMAN, d.verdict(), why);
                long helloEnd = 300 + speechEndMs(hello);
                // Decided after-greeting silence (800 ms) after the word's last loud frame; on the noisy line the
                // word's quiet tail is already silence.
                assertTrue(d.atMs() >= helloEnd + 800 - 200 && d.atMs() <= helloEnd + 800 + 20, why);
                assertTrue(d.greetingEndMs() >= helloEnd - 200 && d.greetingEndMs() <= helloEnd, why);
                assertEquals(d.atMs(), (d.frame() + 1) * 20, "frame offset and time agree: " + why);
            });
        }
    }

    @Test
    void silenceAndLineNoiseAreNotSure() {
        for (short[] line : List.of(silence(6000), noise(6000, QUIET_LINE, 1), noise(6000, NOISY_LINE, 2),
                noise(6000, -40, 3))) {
            List<Event> ev = run(line);
            assertEquals(1, ev.size(), ev.toString());
            Decision d = (Decision) ev.get(0);
            assertEquals(Verdict.NOT_SURE, d.verdict(), ev.toString());
            assertEquals(2500, d.atMs(), "at the initial silence: " + ev);
            assertTrue(d.reason().startsWith("no greeting in the first 2500 ms"), d.reason());
        }
    }

    @Test
    void aBeepAloneIsAMachine() {
        List<Event> ev = run(withNoiseFloor(concat(silence(700), beep(400), silence(2000)), QUIET_LINE, 5));
        assertEquals(2, ev.size(), ev.toString());
        Decision d = (Decision) ev.get(0);
        assertEquals(Verdict.MACHINE, d.verdict(), ev.toString());
        assertEquals("a 1000 Hz beep", d.reason());
        assertTrue(d.atMs() >= 700 + 120 && d.atMs() <= 700 + 140, "after 120 ms of tone: " + ev);
        GreetingEnd end = (GreetingEnd) ev.get(1);
        assertEquals(EndCause.BEEP, end.cause());
        assertTrue(end.atMs() >= 1100 && end.atMs() <= 1140, ev.toString());
    }

    @Test
    void speechAndNoiseAreNeverABeep() {
        for (short[][] speech : voices.values()) {
            for (short[] s : List.of(speech[0], speech[1], noise(5000, -20, 9))) {
                BeepDetector b = new BeepDetector(8000, 100);
                for (int off = 0, n = 0; off + 160 <= s.length; off += 160, n++) {
                    BeepDetector.Change c = b.accept(s, off, 160, n * 20L, n * 20L + 20, Levels.rmsDbfs(s, off, 160));
                    assertEquals(BeepDetector.Change.NONE, c, "frame " + n + " of " + ms(s) + " ms");
                }
            }
        }
    }

    @Test
    void beepsAreFoundAcrossTheBandButNotDualTones() {
        for (double hz : new double[] {440, 853, 1000, 1412.5, 2000}) {
            List<Event> ev = run(concat(silence(500), tone(300, hz, -20), silence(2500)));
            assertEquals(Verdict.MACHINE, ((Decision) ev.get(0)).verdict(), hz + " Hz: " + ev);
            assertTrue(((Decision) ev.get(0)).reason().contains("beep"), hz + " Hz: " + ev);
        }
        // A dual tone (ringback 440 + 480 Hz) holds half its energy in each: no beep, just sound.
        short[] a = tone(3000, 440, -23);
        short[] b = tone(3000, 480, -23);
        short[] ring = new short[a.length];
        for (int i = 0; i < a.length; i++) {
            ring[i] = (short) (a[i] + b[i]);
        }
        List<Event> ev = run(concat(silence(500), ring, silence(1000)));
        assertTrue(ev.stream().noneMatch(e -> e.toString().contains("beep")), ev.toString());
    }

    @Test
    void greetingWithoutBeepEndsOnSilenceAndAnEndlessOneAtTheLongestWait() {
        short[] greeting = voices.get("marytts")[1];
        List<Event> ev = run(withNoiseFloor(concat(silence(300), greeting, silence(3000)), QUIET_LINE, 4));
        GreetingEnd end = (GreetingEnd) ev.get(1);
        assertEquals(EndCause.SILENCE, end.cause(), ev.toString());
        long speechEnd = 300 + speechEndMs(greeting);
        assertTrue(end.atMs() >= speechEnd + 1200 - 200 && end.atMs() <= speechEnd + 1200 + 20, ev.toString());

        AmdSettings shortWait = new AmdSettings(5000, 2500, 1500, 800, 1200, 2000, 100, 50, 3, 100);
        List<Event> music = run(shortWait, concat(silence(300), noise(8000, -20, 6)), 8000);
        Decision d = (Decision) music.get(0);
        assertEquals(Verdict.MACHINE, d.verdict(), music.toString());
        GreetingEnd cut = (GreetingEnd) music.get(1);
        assertEquals(EndCause.MAX_WAIT, cut.cause(), music.toString());
        assertEquals(d.atMs() + 2000, cut.atMs(), music.toString());
    }

    @Test
    void sameVerdictAtSixteenKilohertzAndOnEveryRun() {
        short[] hello = voices.get("marytts")[0];
        short[] human = withNoiseFloor(concat(silence(300), hello, silence(3000)), QUIET_LINE, 8);
        short[] machine = voicemailWithBeep(voices.get("marytts")[1], QUIET_LINE);
        for (short[] pcm : List.of(human, machine)) {
            List<Event> at8k = run(pcm);
            assertEquals(at8k.toString(), run(pcm).toString(), "deterministic");
            List<Event> at16k = run(AmdSettings.defaults(), Resampler.resample(pcm, 8000, 16000), 16000);
            assertEquals(at8k.size(), at16k.size(), at8k + " vs " + at16k);
            for (int i = 0; i < at8k.size(); i++) {
                assertEquals(at8k.get(i).getClass(), at16k.get(i).getClass());
                long a = at8k.get(i) instanceof Decision d ? d.atMs() : ((GreetingEnd) at8k.get(i)).atMs();
                long b = at16k.get(i) instanceof Decision d ? d.atMs() : ((GreetingEnd) at16k.get(i)).atMs();
                assertTrue(Math.abs(a - b) <= 60, at8k + " vs " + at16k);
            }
        }
    }

    @Test
    void analysisTimeRunsOutOnAnUndecidedLineAndAHangUpEndsItNotSure() {
        // Words of 300 ms with 500 ms pauses: never 800 ms of silence; with high word and greeting limits nothing
        // else decides either.
        AmdSettings patient = new AmdSettings(5000, 2500, 4000, 800, 1200, 15_000, 100, 50, 20, 100);
        short[] word = noise(300, -20, 11);
        short[] pcm = concat(silence(200), word, silence(500), word, silence(500), word, silence(500), word,
                silence(500), word, silence(500), word, silence(500), word, silence(500));
        List<Event> ev = run(patient, pcm, 8000);
        Decision d = (Decision) ev.get(0);
        assertEquals(Verdict.NOT_SURE, d.verdict(), ev.toString());
        assertEquals(5000, d.atMs(), ev.toString());
        assertTrue(d.reason().startsWith("no decision within 5000 ms"), d.reason());

        AnsweringMachineDetector hungUp = new AnsweringMachineDetector(AmdSettings.defaults(), 8000);
        short[] start = concat(silence(300), voices.get("marytts")[0]);
        for (int off = 0; off + 160 <= start.length; off += 160) {
            hungUp.accept(start, off, 160);
        }
        assertNull(hungUp.decision());
        Decision end = hungUp.end();
        assertEquals(Verdict.NOT_SURE, end.verdict());
        assertTrue(end.reason().startsWith("the call ended after"), end.reason());
        assertNull(hungUp.accept(silence(20)), "nothing after the end");
    }
}
