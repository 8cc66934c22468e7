package io.voicebot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.Main;
import io.voicebot.speech.asr.TestAudio;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code voicebot recognize} through Main.run, on WAV files of several utterances separated by silence. */
class RecognizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestAudio.Voice VOICE = TestAudio.espeak();
    private static final Map<String, String> ENV = Map.of("VOICEBOT_SPEECH_THREADS", "1");

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        List<JsonNode> lines() throws Exception {
            List<JsonNode> l = new ArrayList<>();
            for (String s : out.split("\n")) {
                if (!s.isBlank()) {
                    l.add(JSON.readTree(s));
                }
            }
            return l;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), ENV, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path wav(String name, short[] pcm) throws Exception {
        Path f = tmp.resolve(name);
        TestAudio.writeWav(pcm, f);
        return f;
    }

    @Test
    void printsOneJsonLinePerUtteranceWithIntent() throws Exception {
        TestAudio.Voice v = VOICE;
        short[] yes = v.speak("yes");
        short[] no = v.speak("no thank you");
        Path f = wav("answers.wav", TestAudio.concat(TestAudio.silence(700), yes, TestAudio.silence(1200), no,
                TestAudio.silence(1000)));
        Run r = run("recognize", f.toString(), "--grammar", "yes_no", "--engine", "sphinx");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> lines = r.lines();
        assertEquals(2, lines.size(), r.out());
        assertTrue(List.of("yes", "yep", "yeah").contains(lines.get(0).get("text").asText()), r.out());
        assertEquals("yes", lines.get(0).get("intent").asText());
        assertEquals("no thank you", lines.get(1).get("text").asText());
        assertEquals("no", lines.get(1).get("intent").asText());
        long secondStart = 700 + TestAudio.ms(yes) + 1200;
        assertTrue(lines.get(0).get("start_ms").asLong() >= 650 && lines.get(0).get("end_ms").asLong()
                <= 700 + TestAudio.ms(yes) + 20, r.out());
        assertTrue(Math.abs(lines.get(1).get("start_ms").asLong() - secondStart) < 300, r.out());
        assertTrue(lines.get(0).get("confidence").asDouble() > 0, r.out());
    }

    @Test
    void phrasesOptionAndSpeechCutByTheEndOfTheFile() throws Exception {
        short[] card = VOICE.speak("credit card");
        Path f = wav("card.wav", TestAudio.concat(TestAudio.silence(600), card, TestAudio.silence(100)));
        Run r = run("recognize", f.toString(), "--phrases", "checking account, credit card");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> lines = r.lines();
        assertEquals(1, lines.size(), r.out());
        assertEquals("credit card", lines.get(0).get("text").asText());
        assertEquals("credit card", lines.get(0).get("intent").asText());
    }

    @Test
    void silentFilePrintsNothing() throws Exception {
        Path f = wav("silence.wav", TestAudio.noise(3000, -60, 1));
        Run r = run("recognize", f.toString(), "--grammar", "yes_no");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void badInputIsAClearError() throws Exception {
        Run missing = run("recognize", tmp.resolve("nope.wav").toString());
        assertEquals(1, missing.code());
        assertEquals("voicebot recognize: " + tmp.resolve("nope.wav") + ": no such file\n", missing.err());

        Path text = tmp.resolve("text.wav");
        Files.writeString(text, "not audio");
        Run notWav = run("recognize", text.toString());
        assertEquals(1, notWav.code());
        assertTrue(notWav.err().contains("text.wav") && notWav.err().contains("not a WAV"), notWav.err());

        Run unknownGrammar = run("recognize", wav("a.wav", TestAudio.silence(100)).toString(), "--grammar", "nah");
        assertTrue(unknownGrammar.code() != 0 && unknownGrammar.err().contains("no grammar named 'nah'"),
                unknownGrammar.err());

        Run badEngine = run("recognize", wav("b.wav", TestAudio.silence(100)).toString(), "--engine", "siri");
        assertEquals(2, badEngine.code());
        assertTrue(badEngine.err().contains("--engine must be vosk or sphinx"), badEngine.err());

        Run both = run("recognize", "x.wav", "--grammar", "yes_no", "--phrases", "a");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
    }

    @Test
    void voskWithoutAModelSaysHowToGetOne() throws Exception {
        Path f = wav("c.wav", TestAudio.silence(100));
        Run r = run("recognize", f.toString(), "--engine", "vosk");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("speech.vosk.model") && r.err().contains("vosk-model-small-en-us"), r.err());
    }
}
