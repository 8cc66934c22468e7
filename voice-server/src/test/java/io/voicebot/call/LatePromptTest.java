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
    private static SimulationFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("late-prompt", Map.of("late_prompt", DIALOG),
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
        String transcript = Simulation.transcript("late prompt", r);
        assertEquals("completed", r.outcome(), transcript);
        assertTrue(caller.events().stream().anyMatch(e -> e.what().contains("late-prompt line")),
                "the caller heard the neutral line first: " + caller.events());
        long fillers = caller.events().stream().filter(e -> e.what().contains("late-prompt line")).count();
        assertEquals(1, fillers, "once in the turn: " + caller.events());
        List<String> events = caller.events().stream().map(SimulatedCaller.Event::what).toList();
        int filler = events.indexOf("robot said its late-prompt line; waiting for the question");
        int pressed = events.indexOf("caller presses 1");
        assertTrue(filler >= 0 && pressed > filler, "the caller answered after the line, not into it: " + events);

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
}
