package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.dialog.Dialog;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.speech.tts.PromptTemplate;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Personalized prompts are rendered before the call needs them: a payment reminder to a contact nobody has called
 * yet (a new name, amount and date) has its amount-and-date prompt synthesized while the phone rings and the first
 * prompts play, even though this caller hangs up before the robot gets there. A prompt that needs an answer the
 * caller has not given (the promised date) is not rendered.
 */
class PromptLookaheadTest {
    private static TestDatabase tdb;
    private static Simulation sim;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty("voicebot.home", "..")),
                tdb.overrides());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        tdb.close();
    }

    @Test
    void aNewContactsAmountPromptIsReadyBeforeTheCallGetsThere() throws Exception {
        String name = "Philippa Quennell";
        // An amount nobody has been called about (the prompt cache on disk outlives the test).
        String amount = (100 + new java.util.Random().nextInt(900)) + "." + (10 + new java.util.Random().nextInt(90));
        Map<String, String> fields = Map.of("amount", amount, "due_date", "2026-10-07");
        Dialog dialog = sim.server().dialogs().find("payment_reminder").orElseThrow();
        Map<String, String> vars = new HashMap<>(dialog.vars());
        vars.putAll(fields);
        vars.put("name", name);
        String reminder = PromptTemplate.parse("test", ((io.voicebot.dialog.Step.Ask) dialog.step("reminder"))
                .prompt()).render(vars);
        assertTrue(reminder.contains("dollars") && reminder.contains("October seventh"), reminder);
        PromptCache prompts = sim.server().prompts();
        Path file = prompts.fileFor(reminder, 8000);
        assertFalse(Files.exists(file), "nobody has heard this prompt yet");

        // The fixed prompts the server renders at start-up share the low-priority lane: let them finish first.
        java.util.Set<String> fixed = new java.util.LinkedHashSet<>();
        for (String d : List.of("payment_reminder", "satisfaction_survey", "hotline")) {
            sim.server().dialogs().find(d).ifPresent(x -> fixed.addAll(x.fixedPrompts()));
        }
        prompts.prerender(fixed, 8000).get(10, TimeUnit.MINUTES);

        // The caller hangs up as soon as the robot first stops talking: the call never reaches the reminder.
        Simulation.CallReport r = sim.originate("payment_reminder", "+15550177001", name, fields,
                new SimulatedCaller(List.of(new Reply.HangUp()), 1200, 60_000), Duration.ofMinutes(3));
        assertFalse(r.turns().stream().anyMatch(t -> "reminder".equals(t.stepId())), "the call stopped before it");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file), "the amount-and-date prompt was rendered ahead: " + file);
        long misses = prompts.stats().misses();
        prompts.render(reminder, 8000).get(60, TimeUnit.SECONDS);
        assertEquals(misses, prompts.stats().misses(), "when the call needs it, no synthesis is left to do");

        // "Thank you, <name>. ... on ${promise_date:date}" needs an answer the caller never gave.
        String thanks = ((io.voicebot.dialog.Step.Hangup) dialog.step("thanks_promise")).say();
        assertTrue(PromptLookahead.renderable(dialog, vars).stream().noneMatch(t -> t.startsWith("Thank you, "
                + name)), "not rendered without the promised date: " + thanks);
    }
}
