package io.voicebot.call;

import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.speech.asr.TestAudio;
import io.voicebot.store.CallStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: answers that end in faint line noise. Every answer of a survey call over the in-process Asterisk is
 * MaryTTS speech (which ends in its own few hundred ms of near-silence) followed by {@value #NOISE_MS} ms of white
 * noise at -50 dBFS, so the noise goes on after the turn has ended and over the start of the robot's next prompt.
 * The turn must end at the words, not when the noise stops (the VAD places the end of speech at the words and the
 * robot answers long before the noise is over), and the rest of the noise must be no new speech: no prompt cut by
 * it, no empty answer, and the call completes with the answers the caller gave.
 */
class NoiseTailCallTest {
    private static final int NOISE_MS = 4000;
    private static SimulationFixture fixture;
    private static Simulation sim;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.shipped("noise-tail", (dir, o) -> { });
        sim = fixture.simulation();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void answersEndingInLineNoiseEndAtTheWordsAndTheNextAnswersAreUnderstood() throws Exception {
        List<Reply> replies = new ArrayList<>();
        Map<String, Integer> voicedEndMs = new HashMap<>();
        Map<String, Integer> voicedMs = new HashMap<>();
        int seed = 1;
        for (String s : List.of("yes", "yes", "four", "yes")) {
            short[] words = TurnLatencyBenchmark.voice(sim, s);
            voicedEndMs.put(s, TurnLatencyBenchmark.voicedEnd(words));
            voicedMs.put(s, TurnLatencyBenchmark.voicedEnd(words) - voicedStart(words));
            replies.add(new Reply.Speak(s, TestAudio.concat(words, TestAudio.noise(NOISE_MS, -50, seed++))));
        }
        SimulatedCaller caller = new SimulatedCaller(replies, 1200, 60_000);
        Simulation.CallReport r = sim.outbound("satisfaction_survey", Map.of("name", "Noel Tate"), "+15550104401",
                caller, Duration.ofMinutes(4));
        String why = Simulation.transcript("noise tail", r) + "\n" + caller.events();

        assertEquals("completed", r.outcome(), why);
        Map<String, String> answers = new LinkedHashMap<>();
        r.answers().forEach(a -> answers.put(a.questionKey(), a.value()));
        assertEquals(Map.of("identity_confirmed", "yes", "resolved", "yes", "rating", "4", "recommend", "yes"),
                answers, why);
        List<CallStore.Turn> spoken = r.turns().stream()
                .filter(t -> t.inputMode() == CallStore.InputMode.SPEECH).toList();
        assertEquals(4, spoken.size(), "one spoken turn per answer, none made of noise: " + why);
        List<String> said = List.of("yes", "yes", "four", "yes");
        for (int i = 0; i < spoken.size(); i++) {
            CallStore.Turn t = spoken.get(i);
            assertTrue(t.transcript() != null && !t.transcript().isBlank(), "turn " + t.seq() + " heard: " + why);
            // where the VAD put the end of speech: at the words (MaryTTS's own faint ending may count), not in the
            // noise that follows for seconds
            int span = t.speechEndMs() - t.speechStartMs();
            assertTrue(span <= voicedMs.get(said.get(i)) + 400, "turn " + t.seq() + ": speech " + span
                    + " ms long, words " + voicedMs.get(said.get(i)) + " ms: " + why);
        }
        for (CallStore.Turn t : r.turns()) {
            assertNull(t.cutBy(), "no prompt was cut by the noise: turn " + t.seq() + " " + why);
        }
        // From the caller's side: the robot answered each time while the noise was still going on. Less the turn's
        // recognition latency (its decode, longer on a loaded machine, or the quiet a checkpoint waited for), that
        // is when the turn ended: at the words plus the VAD's endpoint, not after the noise.
        List<Long> latencies = TurnLatencyBenchmark.callerSide(caller, voicedEndMs);
        assertEquals(4, latencies.size(), latencies + " " + why);
        for (int i = 0; i < latencies.size(); i++) {
            long endedAfter = latencies.get(i) - spoken.get(i).latencyMs();
            assertTrue(endedAfter < NOISE_MS / 2, "turn " + spoken.get(i).seq() + " ended " + endedAfter
                    + " ms after the words (robot answered after " + latencies.get(i) + " ms, recognition "
                    + spoken.get(i).latencyMs() + " ms; the noise lasts " + NOISE_MS + " ms): " + why);
        }
    }

    /** Start of the first 10 ms window louder than -45 dBFS, in ms (8 kHz). */
    private static int voicedStart(short[] pcm) {
        for (int off = 0; off + 80 <= pcm.length; off += 80) {
            if (io.voicebot.speech.audio.Levels.rmsDbfs(pcm, off, 80) > -45) {
                return off / 8;
            }
        }
        return 0;
    }
}
