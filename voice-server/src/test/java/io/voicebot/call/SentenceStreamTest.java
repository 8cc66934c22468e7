package io.voicebot.call;

import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.speech.audio.Levels;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.CallStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: a greeting whose first sentence is cached and whose second names a contact nobody has called starts
 * with the first sentence while the name's sentence is still being synthesized, and the caller hears the whole
 * prompt with no gap where the sentences meet. The name's sentence is made long (as LatePromptTest makes its
 * prompt long) so that its synthesis takes well over a second, and the fixed sentence longer still (about 10 s of
 * audio) so that the name's sentence is ready before the audio ahead of it ends, even on a busy machine.
 */
class SentenceStreamTest {
    private static final int RATE = 8000;
    private static final String FIXED = "Good afternoon, this is the customer care team of Example Bank, calling about "
            + "the short survey on the service you received at one of our branches last month, which takes about two "
            + "minutes of your time and helps us to serve you better.";
    private static final String NAMED = "Am I speaking with ${name}, the holder of the account that we opened for you "
            + "at our branch in the city centre last spring, together with the savings plan you chose then?";
    private static final String DIALOG = """
            name: streamed_greeting
            steps:
              - id: greet
                ask: "%s %s"
                slot: yes_no
                key: speaking
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """.formatted(FIXED, NAMED);
    private static SimulationFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("sentence-stream", Map.of("streamed_greeting", DIALOG));
        // As on a server up for a while: the dialog's fixed sentence is rendered.
        fixture.simulation().server().prompts().render(FIXED, RATE).get(2, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theFixedSentencePlaysWhileTheNameIsSynthesizedAndTheWholePromptIsHeardWithoutAGap() throws Exception {
        Simulation sim = fixture.simulation();
        String name = newName();
        String named = NAMED.replace("${name}", name);
        SimulatedCaller caller = new SimulatedCaller(List.of(new Reply.Keys("1")), 900, 60_000);
        NameWatch watch = NameWatch.start(sim.server().prompts(), named, caller);
        Simulation.CallReport r = sim.outbound("streamed_greeting", Map.of("name", name), "+15550193001", caller,
                Duration.ofMinutes(2));
        watch.stop();
        String why = Simulation.transcript("streamed greeting", r) + caller.events();
        assertEquals("completed", r.outcome(), why);
        assertEquals("yes", sim.server().callStore().answers(r.call().id()).get(0).value(), why);

        long ahead = TimeUnit.NANOSECONDS.toMillis(watch.nameReady.get() - watch.firstVoiced.get());
        assertTrue(watch.firstVoiced.get() > 0 && ahead >= 500, "the robot spoke " + ahead
                + " ms before the name's sentence was ready (at least 500 expected)" + why);
        System.out.printf("first voice %d ms before the name's sentence was ready%n", ahead);

        // What the callee heard contains the prompt exactly as the cache joins it: no gap, nothing missing.
        short[] whole = sim.server().prompts().render(FIXED + " " + named, RATE).get(1, TimeUnit.MINUTES);
        short[] heard = HeardAudio.of(caller);
        int at = HeardAudio.indexOf(heard, whole);
        assertTrue(at >= 0, "the " + whole.length + " samples of the prompt are not in the " + heard.length
                + " the callee heard, end to end" + why);
        // ... and it was the first thing heard (the voice heard early was the prompt, not the late line)
        int before = 0;
        while (before < at && heard[before] == 0) {
            before++;
        }
        assertEquals(at, before, "robot audio before the prompt, from sample " + before + why);
        assertFalse(caller.events().stream().anyMatch(e -> e.what().contains("late-prompt line")), why);

        List<CallStore.Turn> turns = sim.server().callStore().turns(r.call().id());
        assertEquals(FIXED + " " + named, turns.get(0).promptText(), why);
        assertEquals(whole.length * 1000L / RATE, (long) turns.get(0).promptMs(), "the whole prompt's length");
        String note = String.valueOf(turns.get(0).note());
        assertFalse(note.contains(LatePrompt.LOGGED), "no late line: " + note);
    }

    @Test
    void aBargeInDuringTheFirstSentenceStopsThePromptAndTheNameIsNeverPlayed() throws Exception {
        Simulation sim = fixture.simulation();
        String name = newName();
        String named = NAMED.replace("${name}", name);
        SimulatedCaller caller = new SimulatedCaller(List.of(new Reply.BargeIn("yes", sim.voice("yes"), 600)),
                900, 60_000);
        Simulation.CallReport r = sim.outbound("streamed_greeting", Map.of("name", name), "+15550193002", caller,
                Duration.ofMinutes(2));
        String why = Simulation.transcript("barge-in", r) + caller.events();
        assertEquals("completed", r.outcome(), why);
        assertEquals("yes", sim.server().callStore().answers(r.call().id()).get(0).value(), why);
        List<Long> cuts = caller.bargeInStops();
        assertEquals(1, cuts.size(), why);
        assertTrue(cuts.get(0) < 250 + 60, "robot kept talking " + cuts.get(0) + " ms after the caller started"
                + why);
        assertEquals("barge_in", sim.server().callStore().turns(r.call().id()).get(0).cutBy(), why);

        // The name's sentence, ready after the barge-in or queued when it came, was never heard.
        short[] nameAudio = sim.server().prompts().render(named, RATE).get(1, TimeUnit.MINUTES);
        short[] heard = HeardAudio.of(caller);
        assertTrue(HeardAudio.indexOf(heard, java.util.Arrays.copyOf(nameAudio, RATE / 2)) < 0,
                "the name's sentence played after the barge-in" + why);
        short[] fixed = sim.server().prompts().render(FIXED, RATE).get();
        assertTrue(HeardAudio.indexOf(heard, java.util.Arrays.copyOf(fixed, RATE / 2)) >= 0,
                "the greeting started" + why);
    }

    private static String newName() {
        return "Philippa Quartermaine " + UUID.randomUUID().toString().substring(0, 4);
    }

    /**
     * When the callee first heard the robot's voice, and when the name's sentence was synthesized: asked for (it
     * then joins the call's synthesis under way, or finds it done) as soon as the robot is heard.
     */
    private static final class NameWatch {
        final AtomicLong firstVoiced = new AtomicLong();
        final AtomicLong nameReady = new AtomicLong();
        private final Thread thread;

        private NameWatch(PromptCache prompts, String sentence, SimulatedCaller caller) {
            thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (AudioSocketPeer.ReceivedFrame f : caller.heard()) {
                        short[] s = f.frame().samples();
                        if (s != null && s.length > 0 && Levels.rmsDbfs(s) > -40) {
                            firstVoiced.set(f.nanos());
                            CompletableFuture<short[]> name = prompts.render(sentence, RATE);
                            name.join();
                            nameReady.set(System.nanoTime());
                            return;
                        }
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "name-watch");
            thread.setDaemon(true);
        }

        static NameWatch start(PromptCache prompts, String sentence, SimulatedCaller caller) {
            NameWatch w = new NameWatch(prompts, sentence, caller);
            w.thread.start();
            return w;
        }

        void stop() throws InterruptedException {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
    }
}
