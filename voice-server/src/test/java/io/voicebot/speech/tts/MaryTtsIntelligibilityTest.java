package io.voicebot.speech.tts;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.api.StreamSpeechRecognizer;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.Resampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Synthesized prompts must be understandable: MaryTTS speaks, the audio goes through the telephone path
 * (8 kHz, then back up to 16 kHz for the recognizer), and Sphinx4 with a small grammar must hear the same words.
 */
class MaryTtsIntelligibilityTest {
    private static MaryTtsSynthesizer tts;
    private static StreamSpeechRecognizer recognizer;

    @BeforeAll
    static void start() throws Exception {
        tts = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        Configuration c = new Configuration();
        c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
        c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
        c.setGrammarPath("resource:/tts");
        c.setGrammarName("check");
        c.setUseGrammar(true);
        c.setSampleRate(16000);
        recognizer = new StreamSpeechRecognizer(c);
    }

    @AfterAll
    static void stop() {
        tts.close();
    }

    private static String hear(short[] pcm16k) {
        // Sphinx reads raw 16-bit little-endian PCM; pad with silence so the end of speech is detected.
        byte[] b = new byte[(pcm16k.length + 8000) * 2];
        for (int i = 0; i < pcm16k.length; i++) {
            b[2 * i + 8000] = (byte) pcm16k[i];
            b[2 * i + 8001] = (byte) (pcm16k[i] >> 8);
        }
        recognizer.startRecognition(new ByteArrayInputStream(b));
        StringBuilder words = new StringBuilder();
        SpeechResult r;
        while ((r = recognizer.getResult()) != null) {
            String h = r.getHypothesis().strip();
            if (!h.isEmpty()) {
                words.append(words.length() > 0 ? " " : "").append(h);
            }
        }
        recognizer.stopRecognition();
        return words.toString();
    }

    @ParameterizedTest
    @CsvSource({"4411, four four one one", "yes, yes", "agent, agent", "balance, balance", "no, no"})
    void telephoneQualityPromptIsRecognized(String input, String expected) throws Exception {
        String text = input.chars().allMatch(Character::isDigit) ? SpokenForm.digits(input) : input;
        Pcm narrow = tts.synthesize(text, 8000).get(60, TimeUnit.SECONDS);
        String heard = hear(Resampler.resample(narrow.samples(), 8000, 16000));
        assertEquals(expected, heard);
    }
}
