package io.voicebot.speech.asr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vosk: model loading errors, grammar JSON and result parsing always run; recognition runs only when a model is
 * present: set VOICEBOT_TEST_VOSK_MODEL to an unpacked model directory (e.g. vosk-model-small-en-us-0.15).
 */
class VoskRecognizerTest {
    @TempDir
    Path tmp;

    @Test
    void missingModelDirectoryNamesThePathAndHowToGetAModel() {
        Path dir = tmp.resolve("no-such-model");
        AsrException e = assertThrows(AsrException.class, () -> new VoskRecognizer(dir, 1));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("vosk-model-small-en-us-0.15")
                && e.getMessage().contains("alphacephei.com/vosk/models"), e.getMessage());
    }

    @Test
    void zipFileInsteadOfDirectory() throws Exception {
        Path zip = Files.writeString(tmp.resolve("model.zip"), "PK");
        AsrException e = assertThrows(AsrException.class, () -> new VoskRecognizer(zip, 1));
        assertTrue(e.getMessage().contains("must be unpacked"), e.getMessage());
    }

    @Test
    void directoryWithoutAModel() throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("models"));
        AsrException e = assertThrows(AsrException.class, () -> new VoskRecognizer(parent, 1));
        assertTrue(e.getMessage().contains("has no acoustic model") && e.getMessage().contains(parent.toString()),
                e.getMessage());
    }

    @Test
    void brokenModelFilesFailInTheNativeLoaderWithTheSameAdvice() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("broken/am"));
        Files.writeString(dir.resolve("final.mdl"), "not a model");
        AsrException e = assertThrows(AsrException.class, () -> new VoskRecognizer(dir.getParent(), 1));
        assertTrue(e.getMessage().contains("cannot load the Vosk model in " + dir.getParent()), e.getMessage());
        assertTrue(e.getMessage().contains("speech.vosk.model"), e.getMessage());
    }

    @Test
    void grammarJsonHasThePhrasesAndUnk() {
        assertEquals("[\"yes\",\"no thank you\",\"that's right\",\"[unk]\"]",
                VoskJson.grammar(Vocabulary.of(List.of("Yes", "no, thank you", "that's right", "yes"))));
    }

    @Test
    void finalResultWithWords() {
        String json = "{\n  \"result\" : [{\n      \"conf\" : 0.91,\n      \"end\" : 1.02,\n      \"start\" : 0.63,\n"
                + "      \"word\" : \"no\"\n    }, {\n      \"conf\" : 0.75,\n      \"end\" : 1.5,\n"
                + "      \"start\" : 1.02,\n      \"word\" : \"thanks\"\n    }],\n  \"text\" : \"no thanks\"\n}";
        RecognitionResult r = VoskJson.parseFinal(json, 2000);
        assertEquals("no thanks", r.text());
        assertTrue(r.isFinal());
        assertEquals(0.75, r.confidence(), 1e-9);
        assertEquals(630, r.startMs());
        assertEquals(1500, r.endMs());
        assertEquals(new RecognitionResult.Word("no", 0.91, 630, 1020), r.words().get(0));
    }

    @Test
    void unkOnlyIsANoMatch() {
        RecognitionResult r = VoskJson.parseFinal(
                "{\"result\":[{\"conf\":1.0,\"end\":0.9,\"start\":0.3,\"word\":\"[unk]\"}],\"text\":\"[unk]\"}", 1200);
        assertEquals("", r.text());
        assertEquals(0.0, r.confidence());
        assertEquals(List.of(), r.words());
    }

    @Test
    void emptyFinalAndPartialResults() {
        assertEquals("", VoskJson.parseFinal("{\"text\" : \"\"}", 500).text());
        RecognitionResult p = VoskJson.parsePartial("{\"partial\" : \"four one\", \"partial_result\" : "
                + "[{\"conf\":1.0,\"end\":0.5,\"start\":0.2,\"word\":\"four\"}]}", 600);
        assertEquals("four one", p.text());
        assertTrue(!p.isFinal());
        assertEquals("four", p.words().get(0).word());
    }

    @Test
    void malformedJsonIsAClearError() {
        AsrException e = assertThrows(AsrException.class, () -> VoskJson.parseFinal("{\"text\": ", 0));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        assertThrows(AsrException.class, () -> VoskJson.parseFinal("[1,2]", 0));
    }

    @Test
    void recognizesYesNoWithARealModel() throws Exception {
        String model = System.getenv("VOICEBOT_TEST_VOSK_MODEL");
        assumeTrue(model != null && !model.isBlank(),
                "set VOICEBOT_TEST_VOSK_MODEL to an unpacked Vosk model directory to run Vosk recognition tests");
        try (VoskRecognizer r = new VoskRecognizer(Path.of(model), 2)) {
            for (String[] c : new String[][] {{"yes", "yes"}, {"no thank you", "no thank you"}}) {
                short[] pcm = TestAudio.padded(SphinxRecognizerTest.VOICE.speak(c[0]), 400);
                RecognitionResult res = SphinxRecognizerTest.recognize(r,
                        Vocabulary.of(List.of("yes", "no", "no thank you")), pcm, new ArrayList<>());
                assertEquals(c[1], res.text());
                assertTrue(res.confidence() > 0.3, "confidence " + res.confidence());
            }
        }
    }
}
