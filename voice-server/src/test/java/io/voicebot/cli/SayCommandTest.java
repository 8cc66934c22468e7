package io.voicebot.cli;

import io.voicebot.Main;
import io.voicebot.speech.audio.Levels;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SayCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private Result say(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>();
        argv.add("say");
        argv.addAll(List.of(args));
        Map<String, String> env = Map.of("VOICEBOT_TTS_CACHE_DIR", dir.resolve("cache").toString());
        int code = Main.run(argv, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void speaksATemplateIntoAWavFileAndCachesIt() throws Exception {
        Path wav = dir.resolve("reminder.wav");
        Result r = say("Hello ${name}, your payment of ${amount:money} is due on ${due:date}.", "--out",
                wav.toString(), "--var", "name=Anna", "--var", "amount=125.50", "--var", "due=2026-12-03");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("wrote " + wav + ": "), r.out());
        assertFalse(r.out().contains("from cache"), r.out());
        Pcm pcm = WavFile.read(wav);
        assertEquals(8000, pcm.sampleRate());
        // ~25 spoken words once the amount and date are expanded.
        assertTrue(pcm.durationMillis() > 4000 && pcm.durationMillis() < 15000, "duration " + pcm.durationMillis());
        assertTrue(Levels.rmsDbfs(pcm.samples()) > -35, "too quiet: " + Levels.rmsDbfs(pcm.samples()));

        Path again = dir.resolve("again.wav");
        r = say("Hello ${name}, your payment of ${amount:money} is due on ${due:date}.", "--out", again.toString(),
                "--var", "name=Anna", "--var", "amount=125.50", "--var", "due=2026-12-03");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(from cache)"), r.out());
        assertEquals(-1L, Files.mismatch(wav, again), "cached audio differs");
    }

    @Test
    void sixteenKilohertzWithoutCache() throws Exception {
        Path wav = dir.resolve("wide.wav");
        Result r = say("Thank you.", "--out", wav.toString(), "--rate", "16000", "--no-cache");
        assertEquals(0, r.code(), r.err());
        Pcm pcm = WavFile.read(wav);
        assertEquals(16000, pcm.sampleRate());
        assertTrue(pcm.durationMillis() > 300 && pcm.durationMillis() < 3000, "duration " + pcm.durationMillis());
        assertFalse(Files.exists(dir.resolve("cache")), "--no-cache created the cache");
    }

    @Test
    void aVariableTheTextDoesNotUseIsWarnedAbout() {
        // What the shell leaves of "Your balance is ${amount:money}." in double quotes.
        Result r = say("Your balance is .", "--out", dir.resolve("eaten.wav").toString(), "--var", "amount=1250.75");
        assertEquals(0, r.code(), r.err());
        assertEquals("voicebot say: warning: --var amount is not used by the text (it has no ${...}: inside double "
                + "quotes the shell replaces ${amount}; use single quotes)\n", r.err());
    }

    @Test
    void usageErrorsNameTheProblem() {
        Result r = say("Hello.");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("say: option --out FILE.wav is required"), r.err());
        r = say("Hello ${name}.", "--out", dir.resolve("x.wav").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("template 'command line': variable 'name' is not set (${name} at column 7)"),
                r.err());
        r = say("Hi.", "--out", dir.resolve("x.wav").toString(), "--rate", "44100");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("option --rate must be 8000 or 16000, got 44100"), r.err());
        r = say("Hi.", "--out", dir.resolve("x.wav").toString(), "--var", "oops");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--var needs name=value, got 'oops'"), r.err());
        r = say("Hi.", "--out", dir.resolve("missing/x.wav").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertFalse(Files.exists(dir.resolve("x.wav")));
    }
}
