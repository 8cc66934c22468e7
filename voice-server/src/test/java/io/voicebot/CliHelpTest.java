package io.voicebot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command explains itself with --help, and its errors read as sentences, not Java exceptions. */
class CliHelpTest {
    /** What a user must be able to find in each command's --help (the options the docs and code accept). */
    private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("serve", List.of());
        OPTIONS.put("token", List.of("create", "list", "revoke ID", "--role ROLE", "--name NAME"));
        OPTIONS.put("config", List.of());
        OPTIONS.put("version", List.of());
        OPTIONS.put("dialog", List.of("check", "compile FILE", "chat NAME", "--out FILE", "--var NAME=VALUE",
                "--tz ZONE", "--input FILE"));
        OPTIONS.put("say", List.of("--out FILE.wav", "--var NAME=VALUE", "--rate 8000|16000", "--no-cache"));
        OPTIONS.put("demo", List.of("--verbose", "--serve", "--port N"));
        OPTIONS.put("recognize", List.of("FILE.wav", "--grammar NAME", "--phrases 'A,B'", "--engine vosk|sphinx"));
        OPTIONS.put("simulate-call", List.of("--dialog NAME", "--inbound", "--say TEXT", "--audio FILE.wav",
                "--press KEYS", "--var NAME=VALUE", "--caller NUMBER", "--timeout SECONDS", "--server HOST",
                "--agi-port PORT", "--audiosocket-port PORT", "--http-port PORT", "--token TOKEN"));
        OPTIONS.put("import-list", List.of("FILE", "--name NAME", "--region CC", "--dialog DIALOG"));
    }

    /** A fully qualified Java class name, e.g. io.voicebot.dialog.grammar.GrammarException. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*");

    @TempDir
    Path dir;

    @Test
    void everyCommandHasAHelpListingItsOptionsAndTheExitCodes() {
        assertEquals(OPTIONS.keySet(), Main.commands().keySet(), "a new command needs its options listed here");
        for (Map.Entry<String, List<String>> e : OPTIONS.entrySet()) {
            String cmd = e.getKey();
            for (String flag : List.of("--help", "-h")) {
                MainTest.Run r = MainTest.run(Map.of(), cmd, flag);
                assertEquals(0, r.code(), cmd + " " + flag + ": " + r.err());
                assertEquals("", r.err(), cmd);
                assertTrue(r.out().startsWith("usage: voicebot " + cmd), r.out());
                for (String option : e.getValue()) {
                    assertTrue(r.out().contains(option), cmd + " --help does not mention " + option + ":\n" + r.out());
                }
                assertTrue(r.out().contains("exit codes:\n  0  done\n  1  failed"), r.out());
                assertTrue(r.out().contains("3  configuration error"), r.out());
            }
            assertEquals(MainTest.run(Map.of(), cmd, "--help").out(), MainTest.run(Map.of(), "help", cmd).out());
        }
        // --help wins over everything else on the line, even options the command would reject.
        assertEquals(0, MainTest.run(Map.of(), "simulate-call", "--say", "hi", "--bogus", "--help").code());

        MainTest.Run global = MainTest.run(Map.of(), "--help");
        assertEquals(0, global.code());
        for (String cmd : OPTIONS.keySet()) {
            assertTrue(global.out().contains("\n  " + cmd + " "), cmd + " missing from:\n" + global.out());
        }
        assertTrue(global.out().contains("'voicebot <command> --help'") && global.out().contains("exit codes:"),
                global.out());
    }

    @Test
    void badOptionsGiveOneLineAndAPointerToHelpNotTheWholeUsage() {
        MainTest.Run r = MainTest.run(Map.of(), "import-list", "calls.csv", "--nmae", "x");
        assertEquals(2, r.code());
        assertEquals("voicebot import-list: unknown option --nmae\n(voicebot import-list --help lists its options)\n",
                r.err());
    }

    @Test
    void failuresNameTheProblemWithoutJavaClassNames() throws Exception {
        Path wav = dir.resolve("nope.wav");
        MainTest.Run missing = MainTest.run(Map.of(), "recognize", wav.toString());
        assertEquals(1, missing.code());
        assertEquals("voicebot recognize: " + wav + ": no such file\n", missing.err());

        Path silence = dir.resolve("quiet.wav");
        io.voicebot.speech.audio.WavFile.write(silence, new io.voicebot.speech.audio.Pcm(new short[800], 8000));
        MainTest.Run grammar = MainTest.run(Map.of(), "recognize", silence.toString(), "--grammar", "nah");
        assertEquals(1, grammar.code());
        assertTrue(grammar.err().startsWith("voicebot recognize: no grammar named 'nah' (known: "), grammar.err());
        assertTrue(grammar.err().contains("yes_no"), grammar.err());

        Path yaml = dir.resolve("broken.yaml");
        Files.writeString(yaml, "name: broken\nsteps: [");
        MainTest.Run chat = MainTest.run(Map.of("VOICEBOT_DIALOGS_DIR", dir.toString()), "dialog", "chat", "broken");
        assertTrue(chat.code() != 0, chat.out());
        assertTrue(chat.err().contains("broken.yaml"), chat.err());

        MainTest.Run compile = MainTest.run(Map.of(), "dialog", "compile", dir.resolve("absent.csv").toString());
        assertEquals(1, compile.code());
        assertEquals("voicebot dialog: " + dir.resolve("absent.csv") + ": no such file or directory\n",
                compile.err());

        for (MainTest.Run r : List.of(missing, grammar, chat, compile)) {
            assertFalse(CLASS_NAME.matcher(r.err()).find(), "class name in: " + r.err());
            assertFalse(r.err().contains("usage:"), r.err());
        }
    }
}
