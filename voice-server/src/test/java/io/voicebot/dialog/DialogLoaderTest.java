package io.voicebot.dialog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class DialogLoaderTest {

    private static final String BROKEN = """
            name: broken_one
            contact_fields: [name]
            colour: blue
            defaults:
              max_failures: 0
            messages:
              goodby: "Bye"
            steps:
              - id: hello
                say: "Hello ${name}, you owe ${amount}."
                nxt: ask_it
              - id: ask_it
                ask: "Rate us?"
                slot: number
                grammar: stars
                min: 5
                max: 1
                next: nowhere
              - id: ask_it
                say: "dup"
                next: hello
              - id: pick
                ask: "Pick one"
                choices: ["Plan 2", "gold"]
                on:
                  silver: hello
                next: hello
              - id: both
                ask: "x"
                hangup: completed
              - id: end
                hangup: exploded
              - id: check
                branch:
                  - when: "rating >< 3"
                    goto: end
                otherwise: end
              - id: hook
                webhook: "ftp://example.com"
                next: end
              - id: disclose
                say: "Recorded ${oops"
                non_interruptible: true
                barge_in: true
                next: end
              - id: when_date
                ask: "When?"
                slot: date
                dtmf: true
                globals: [agent, dance]
                next: end
            """;

    @Test
    void everyProblemIsReportedWithSourceStepAndField() {
        DialogException e = assertThrows(DialogException.class, () -> loader().parse("broken.yaml", BROKEN));
        List<String> p = e.problems();
        List<String> expected = List.of(
                "broken.yaml: colour: unknown field",
                "broken.yaml: messages.goodby: unknown message",
                "broken.yaml: defaults.max_failures: must be a whole number from 1 to 10, got '0'",
                "broken.yaml: step 'hello': nxt: unknown field for a say step",
                "broken.yaml: step 'hello': next: missing: which step comes next?",
                "broken.yaml: step 'ask_it': grammar: no grammar named 'stars'",
                "broken.yaml: step 'ask_it': max: max 1 is below min 5",
                "broken.yaml: step 'ask_it': next: unknown step 'nowhere'",
                "broken.yaml: step 'ask_it': id: duplicate step id",
                "broken.yaml: step 'pick': choices: 'Plan 2' must be plain words",
                "broken.yaml: step 'pick': on.silver: 'silver' is not an answer this step can give (possible: gold)",
                "broken.yaml: step 'both': ask: a step does one thing, but this one has ask and hangup",
                "broken.yaml: step 'end': hangup: unknown outcome 'exploded'",
                "broken.yaml: step 'check': branch[0].when: cannot read condition 'rating >< 3'",
                "broken.yaml: step 'hook': webhook: must be an http:// or https:// URL, got 'ftp://example.com'",
                "broken.yaml: step 'disclose': barge_in: a non_interruptible prompt cannot allow barge-in",
                "broken.yaml: step 'when_date': dtmf: keys cannot answer a date question",
                "broken.yaml: step 'when_date': globals: unknown global intent 'dance'",
                "broken.yaml: step 'hello': say: unknown variable ${amount}",
                "broken.yaml: step 'disclose': say: malformed ${...} placeholder");
        for (String x : expected) {
            assertTrue(p.stream().anyMatch(m -> m.startsWith(x)), "missing problem: " + x + "\nin:\n" + String.join("\n", p));
        }
        assertEquals(expected.size(), p.size(), String.join("\n", p));
    }

    @Test
    void notYamlNamesTheLine() {
        DialogException e = assertThrows(DialogException.class,
                () -> loader().parse("x.yaml", "name: x\nsteps:\n  - id: a\n    say: [unclosed\n"));
        assertTrue(e.getMessage().matches("(?s)x\\.yaml:\\d+: not valid YAML/JSON: .*"), e.getMessage());
    }

    @Test
    void unreachableStepIsAWarningNotAnError() {
        Dialog d = loader().parse("w.yaml", """
                name: warn
                steps:
                  - id: a
                    hangup: completed
                  - id: orphan
                    say: "never said"
                    next: a
                """);
        assertEquals(List.of("w.yaml: step 'orphan': unreachable from start step 'a'"), d.warnings());
    }

    @Test
    void machineOutcomesBelongToAnsweringMachineDetectionNotToScripts() {
        for (String o : List.of("machine", "voicemail")) {
            DialogException e = assertThrows(DialogException.class, () -> loader().parse("m.yaml",
                    "name: m\nsteps:\n  - id: end\n    hangup: " + o + "\n"));
            assertEquals(List.of("m.yaml: step 'end': hangup: outcome '" + o + "' is set by answering-machine "
                    + "detection, not by a script (one of: completed, partial, transferred, opted_out, wrong_person, "
                    + "callback_requested, no_input, hung_up, failed)"), e.problems());
        }
        assertEquals(Outcome.HUNG_UP, hangupOutcome(run(loader().parse("h.yaml",
                "name: h\nsteps:\n  - id: end\n    hangup: hung_up\n")).start(Map.of())));
    }

    @Test
    void jsonScriptsWorkToo() {
        Dialog d = loader().parse("j.json", """
                {"name": "j", "steps": [
                  {"id": "q", "ask": "Amount?", "slot": "amount", "key": "amt", "next": "done"},
                  {"id": "done", "hangup": "completed"}]}
                """);
        DialogRun run = run(d);
        run.start(Map.of());
        run.onInput(say("two hundred fifty dollars and forty cents"));
        assertEquals("250.40", run.answers().get("amt"));
        DialogRun run2 = run(d);
        run2.start(Map.of());
        run2.onInput(keys("99*5#"));
        assertEquals("99.50", run2.answers().get("amt"));
    }

    @Test
    void builtInsRoundTripThroughYaml() {
        for (String name : List.of("satisfaction_survey", "payment_reminder", "hotline")) {
            Dialog d = builtIn(name);
            assertEquals(List.of(), d.warnings(), name);
            Dialog back = loader().parse(name + ".yaml", ScriptWriter.toYaml(d));
            assertEquals(d.steps(), back.steps(), name);
            assertEquals(d.vars(), back.vars(), name);
            assertEquals(d.messageOverrides(), back.messageOverrides(), name);
            assertEquals(d.defaults(), back.defaults(), name);
            assertEquals(d.agentQueue(), back.agentQueue(), name);
        }
    }

    /** The recognizer has a fixed dictionary: every phrase of every grammar, choice and answer is plain words. */
    @Test
    void allShippedPhrasesArePlainWords() {
        Pattern plain = Pattern.compile("[a-z']+( [a-z']+)*");
        grammars().all().values().forEach(g -> g.phrases().forEach(p ->
                assertTrue(plain.matcher(p).matches(), g.name() + ": '" + p + "'")));
        knowledge().phrases().forEach(p -> assertTrue(plain.matcher(p).matches(), "faq: '" + p + "'"));
    }

    @Test
    void loadDirReportsProblemsOfAllFilesAndDuplicateNames(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "name: same\nsteps:\n  - id: x\n    hangup: completed\n");
        Files.writeString(dir.resolve("b.yml"), "name: same\nsteps:\n  - id: x\n    hangup: completed\n");
        Files.writeString(dir.resolve("c.json"), "{\"name\": \"c\", \"steps\": []}");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        DialogException e = assertThrows(DialogException.class, () -> loader().loadDir(dir));
        assertEquals(List.of(dir.resolve("b.yml") + ": name: dialog 'same' is already defined in " + dir.resolve("a.yaml"),
                dir.resolve("c.json") + ": steps: must be a non-empty list of steps"), e.problems());
    }

    @Test
    void knowledgeFileProblems() {
        DialogException e = assertThrows(DialogException.class, () -> KnowledgeLoader.parse("faq.yaml", """
                entries:
                  - id: hours
                    answer: "Nine to five."
                    phrases: ["opening hours", "open at 9"]
                  - id: hours
                    phrases: ["opening hours"]
                    colour: red
                """));
        assertEquals(List.of(
                "faq.yaml: entry 'hours': phrases: 'open at 9' must be plain words (no digits or symbols)",
                "faq.yaml: entry 'hours': id: used by another entry",
                "faq.yaml: entry 'hours': colour: unknown field (allowed: id, question, answer, phrases)",
                "faq.yaml: entry 'hours': answer: missing"), e.problems());
    }

    @Test
    void branchSetAndCallbackSteps() {
        Dialog d = loader().parse("b.yaml", """
                name: branchy
                steps:
                  - id: rate
                    ask: "Rate us from one to ten"
                    slot: number
                    min: 1
                    max: 10
                    key: rating
                    next: check
                  - id: check
                    branch:
                      - when: "rating <= 3"
                        goto: unhappy
                      - when: "vip == yes"
                        goto: vip
                    otherwise: bye
                  - id: unhappy
                    set: {mood: "unhappy with ${rating}"}
                    callback: "${retry_at}"
                    next: bye
                  - id: vip
                    transfer: vip-desk
                  - id: bye
                    hangup: completed
                """);
        DialogRun r = run(d);
        r.start(Map.of("retry_at", "2026-03-05T14:30"));
        List<Action> a = r.onInput(say("two"));
        Action.ScheduleCallback cb = one(a, Action.ScheduleCallback.class);
        assertEquals(java.time.ZonedDateTime.of(2026, 3, 5, 14, 30, 0, 0, ZONE).toInstant(), cb.at());
        assertEquals("unhappy with 2", r.vars().get("mood"));
        assertEquals(Outcome.COMPLETED, hangupOutcome(a));

        DialogRun v = run(d);
        v.start(Map.of("vip", "YES"));
        a = v.onInput(say("eight"));
        assertEquals("rate", listensAt(a), "an answer that leads to a transfer is confirmed first");
        a = v.onInput(say("yes"));
        assertEquals(new Action.Transfer("vip", "vip-desk", "vip"), a.get(a.size() - 1));

        DialogRun o = run(d);
        o.start(Map.of());
        a = o.onInput(say("eleven"));
        assertEquals("rate", listensAt(a), "eleven is out of range");
    }
}
