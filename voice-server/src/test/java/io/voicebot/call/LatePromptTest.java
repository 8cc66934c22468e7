package io.voicebot.call;

import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
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
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a turn whose prompt is not synthesized after tts.late.prompt.ms plays "One moment, please." once, then
 * the prompt. The greeting here names a customer nobody has called in one sentence of about fifty words, so it
 * cannot be cached (prompts are cached sentence by sentence) and takes longer than the 300 ms set here to
 * synthesize. The simulated caller recognizes the neutral line
 * and waits for the question instead of answering into the silence after it; the call completes with its answer,
 * and the stored turn shows the line marked as the filler it was, before the real prompt.
 */
class LatePromptTest {
    private static final String DIALOG = """
            name: late_prompt
            steps:
              - id: greet
                ask: "Good afternoon ${name}, we are calling about the notice we sent to your home address last month \
            concerning the renewal of your account, the new conditions that apply from the first of next quarter, and \
            the documents we still need from you, so please press one to confirm that you received it, or two if you \
            did not."
                slot: yes_no
                key: received
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;
    /** The same question after a cached "Hello.", far shorter than the question's synthesis. */
    private static final String SECOND_LATE = DIALOG.replace("name: late_prompt", "name: late_sentence")
            .replace("ask: \"Good afternoon", "ask: \"Hello. Good afternoon");
    private static SimulationFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("late-prompt", Map.of("late_prompt", DIALOG, "late_sentence", SECOND_LATE),
                (dir, o) -> o.put("tts.late.prompt.ms", "300"));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aSlowPromptIsPrecededByTheNeutralLineAndTheCallerAnswersTheQuestion() throws Exception {
        Simulation sim = fixture.simulation();
        String name = "Philippa Quartermaine " + UUID.randomUUID().toString().substring(0, 4);
        SimulatedCaller caller = new SimulatedCaller(List.of(new Reply.Keys("1")), 900, 60_000);
        Simulation.CallReport r = sim.outbound("late_prompt", Map.of("name", name), "+15550192001", caller,
                Duration.ofMinutes(2));
        String transcript = Simulation.transcript("late prompt", r) + caller.events();
        assertEquals("completed", r.outcome(), transcript);
        // What the caller heard, sample for sample: the line once, then the question. The caller's own watcher tells
        // the line apart only when the question comes more than 900 ms after it, which a synthesizer warmed by the
        // test before does not always leave; the audio shows the order either way.
        short[] heard = HeardAudio.of(caller);
        short[] line = sim.server().prompts().render(LatePrompt.TEXT, 8000).get(1, TimeUnit.MINUTES);
        short[] question = sim.server().prompts().render(secondSentence(name), 8000).get(1, TimeUnit.MINUTES);
        int atLine = HeardAudio.indexOf(heard, line);
        int atQuestion = HeardAudio.indexOf(heard, question, Math.max(0, atLine));
        assertTrue(atLine >= 0 && atQuestion > atLine, "heard the line at " + atLine + ", the question at "
                + atQuestion + ": " + transcript);
        assertEquals(-1, HeardAudio.indexOf(heard, line, atLine + line.length), "the line once: " + transcript);
        long pressedAtMs = caller.events().stream().filter(e -> e.what().equals("caller presses 1"))
                .mapToLong(SimulatedCaller.Event::atMs).findFirst().orElse(-1);
        assertTrue(pressedAtMs >= (atQuestion + question.length) / 8,
                "the caller answered the question, not the silence after the line: " + transcript);

        List<CallStore.Turn> turns = sim.server().callStore().turns(r.call().id());
        // the prompt text stays the dialog's words; the turn's note says the line was played
        String first = turns.get(0).promptText();
        assertTrue(first.startsWith("Good afternoon " + name), first);
        assertTrue(turns.get(0).note() != null && turns.get(0).note().startsWith(LatePrompt.LOGGED),
                String.valueOf(turns.get(0).note()));
        assertEquals(1, turns.stream().filter(t -> t.note() != null && t.note().contains(LatePrompt.LOGGED)).count(),
                turns.toString());
        List<CallStore.Answer> answers = sim.server().callStore().answers(r.call().id());
        assertEquals(1, answers.size(), answers.toString());
        assertEquals("received", answers.get(0).questionKey());
        assertEquals("yes", answers.get(0).value());
    }

    /**
     * Issue 14: the cached "Hello." plays at once; when it has ended and the long sentence after it is still being
     * synthesized, the turn waits as a late turn does: the neutral line after tts.late.prompt.ms, once, then the
     * sentence as soon as it is ready. The callee hangs up once that sentence has been heard.
     */
    @Test
    void aLaterSentenceStillRenderingWhenTheAudioBeforeItEndsGetsTheNeutralLineBetween() throws Exception {
        Simulation sim = fixture.simulation();
        short[] hello = sim.server().prompts().render("Hello.", 8000).get(1, TimeUnit.MINUTES);
        short[] filler = sim.server().prompts().render(LatePrompt.TEXT, 8000).get(1, TimeUnit.MINUTES);
        String name = "Evander Thistlewood " + UUID.randomUUID().toString().substring(0, 4);
        AtomicReference<CompletableFuture<short[]>> second = new AtomicReference<>();
        AtomicReference<SimulatedCaller> self = new AtomicReference<>();
        SimulatedCaller caller = new SimulatedCaller(List.of(new Reply.HangUpWhen("the greeting's second sentence",
                () -> {
                    second.compareAndSet(null, sim.server().prompts().render(secondSentence(name), 8000));
                    short[] s = second.get().getNow(null);
                    return s != null && HeardAudio.indexOf(HeardAudio.of(self.get()), s) >= 0;
                })), 900, 60_000);
        self.set(caller);
        Simulation.CallReport r = sim.outbound("late_sentence", Map.of("name", name), "+15550192002", caller,
                Duration.ofMinutes(2));
        String why = Simulation.transcript("late sentence", r) + caller.events();
        assertTrue(caller.events().stream().anyMatch(e -> e.what().startsWith("caller hangs up during")), why);

        short[] heard = HeardAudio.of(caller);
        int atHello = HeardAudio.indexOf(heard, hello);
        int atFiller = HeardAudio.indexOf(heard, filler, atHello + hello.length);
        int atSecond = HeardAudio.indexOf(heard, second.get().get(), atFiller + filler.length);
        assertTrue(atHello >= 0 && atFiller > atHello && atSecond > atFiller,
                "heard: 'Hello.' at " + atHello + ", the line at " + atFiller + ", the sentence at " + atSecond + why);
        assertEquals(-1, HeardAudio.indexOf(heard, filler, atFiller + filler.length), "the line once" + why);
        List<CallStore.Turn> turns = sim.server().callStore().turns(r.call().id());
        assertTrue(turns.get(0).note() != null && turns.get(0).note().contains(LatePrompt.LOGGED),
                "the turn notes the line: " + turns);
    }

    private static String secondSentence(String name) {
        return DIALOG.substring(DIALOG.indexOf("Good afternoon"), DIALOG.indexOf("did not.") + 8)
                .replace("${name}", name).replaceAll("\\s+", " ");
    }
}
