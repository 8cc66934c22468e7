package io.voicebot.cli;

import io.voicebot.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The dialog sub-command, driven through Main as scripts/voicebot runs it. */
class DialogCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkValidatesTheShippedDialogs() {
        assertEquals(0, run("dialog", "check"), err());
        assertTrue(out().contains("ok hotline (20 steps)"), out());
        assertTrue(out().contains("ok payment_reminder"), out());
        assertTrue(out().contains("ok satisfaction_survey"), out());
    }

    @Test
    void checkReportsEveryProblemAndFails(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: bad\nsteps:\n  - id: a\n    ask: \"Sure?\"\n    slot: yes_no\n    next: b\n"
                + "  - id: c\n    hangup: done\n");
        assertEquals(1, run("dialog", "check", f.toString()));
        assertTrue(err().contains(f + ": step 'c': hangup: unknown outcome 'done'"), err());
        assertTrue(err().contains(f + ": step 'a': next: unknown step 'b'"), err());
    }

    @Test
    void compileQuestionnaireThenCheckTheScript(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("quick_poll.csv");
        Files.writeString(csv, "question,type,choices,required\nDid we call at a good time?,yes_no,,yes\n"
                + "Which do you prefer?,choice,Email|Text message|Letter,no\n");
        Path yaml = dir.resolve("quick_poll.yaml");
        assertEquals(0, run("dialog", "compile", csv.toString(), "--out", yaml.toString()), err());
        String script = Files.readString(yaml);
        assertTrue(script.contains("name: quick_poll"), script);
        assertTrue(script.contains("text_message:"), script);
        assertEquals(0, run("dialog", "check", yaml.toString()), err());
        assertTrue(out().contains("ok quick_poll (5 steps)"), out());
    }

    @Test
    void compileRejectsBadQuestionnaire(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "question,type,choices,required\nA?,yesno,,yes\n");
        assertEquals(1, run("dialog", "compile", csv.toString()));
        assertTrue(err().contains(csv + ": line 2, column 'type': unknown type 'yesno'"), err());
    }

    @Test
    void chatWithTheSurvey(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "yes\n\n#1\nfour @0.3\nyes\nno I would not\n");
        assertEquals(0, run("dialog", "chat", "satisfaction_survey", "--var", "name=Ann Lee", "--tz", "UTC",
                "--input", in.toString()), err());
        String o = out();
        assertTrue(o.contains("bot: Hello, this is an automated survey from Example Bank"), o);
        assertTrue(o.contains("Am I speaking with Ann Lee?"), o);
        assertTrue(o.contains("bot: Sorry, I did not hear you. Was your issue resolved?"), o);
        assertTrue(o.contains("bot: I heard 4. Is that right?"), o);
        assertTrue(o.contains("outcome: completed"), o);
        assertTrue(o.contains("answer rating = 4"), o);
        assertTrue(o.contains("answer recommend = no"), o);
    }

    @Test
    void unknownActionIsAUsageError() {
        assertEquals(2, run("dialog", "frobnicate"));
        assertTrue(err().contains("unknown dialog action 'frobnicate'"), err());
    }
}
