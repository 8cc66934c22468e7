package io.voicebot.cli;

import io.voicebot.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code voicebot demo} through the CLI: a call list imported with a bad row, a campaign that reaches a person, a
 * busy number and an answering machine, and an inbound call; transcripts, progress and gate reasons on stdout.
 * The demo always runs on its own embedded H2 (it gets no environment here), so the MariaDB pass of scripts/test
 * would only repeat the H2 pass's 100 seconds.
 */
@DisabledIfEnvironmentVariable(named = "VOICEBOT_TEST_DB_URL", matches = ".+",
        disabledReason = "the demo runs on its embedded H2 whatever the test database; the H2 pass covers it")
class DemoCommandTest {

    @Test
    void demoRunsBothCallsAndPrintsTranscripts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("demo"), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("4 rows: 3 imported, 1 rejected"), text);
        assertTrue(text.contains("reminders.csv:5: phone: "), text);
        assertTrue(text.contains("=== outbound payment reminder"), text);
        assertTrue(text.contains("robot : Am I speaking with John Smith?"), text);
        assertTrue(text.contains("caller: \"next friday\""), text);
        assertTrue(text.contains("outcome stored: completed"), text);
        assertTrue(text.contains("=== answering machine"), text);
        assertTrue(text.contains("outcome stored: voicemail"), text);
        assertTrue(text.contains("(Mary Jones): pending, last outcome busy, next attempt"), text);
        assertTrue(text.contains("gate: ") && text.contains("America/New_York is inside the campaign window"), text);
        assertTrue(text.contains("=== inbound hotline"), text);
        assertTrue(text.contains("A new card arrives by post"), text);
        assertTrue(text.contains("outcome stored: transferred (queue hotline-agents)"), text);
        assertTrue(text.contains("dialplan next : queue:hotline-agents"), text);
    }

    @Test
    void demoTakesNoArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("demo", "extra"), Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("demo takes no arguments"));
    }
}
