package io.voicebot.speech.asr;

import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.audio.G711;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Telephone answers in white noise at 10 dB SNR (over the speech), through G.711 μ-law as the line delivers them
 * (espeak-ng en-us+f3, the benchmark's voice). The front end's noise removal (Sphinx4's Denoise, which AutoCepstrum
 * adds because the model's feat.params has no -remove_noise) is what makes these right: with AutoCepstrum's chain
 * spelled out without Denoise, all four come back as another answer (3 → 1, 3 → 1, 5 → 9, already paid → cannot;
 * BENCHMARKS.md, "Noise handling in the front end"). Other answers in the same noise are wrong either way.
 */
class SphinxNoiseTest {
    static SphinxRecognizer recognizer;
    static GrammarLibrary grammars;
    static BenchAudio audio;
    static TestAudio.Voice voice;

    @BeforeAll
    static void load() throws Exception {
        recognizer = new SphinxRecognizer(2, 8000);
        grammars = GrammarLibrary.load(Path.of(System.getProperty("voicebot.home", "..")).resolve("grammars"));
        audio = new BenchAudio();
        voice = audio.espeak("en-us+f3", 150, 60);
    }

    @AfterAll
    static void close() {
        recognizer.close();
    }

    /** {@code pcm} encoded to μ-law and back, 8 bits a sample as on the line. */
    static short[] ulaw(short[] pcm) {
        byte[] coded = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, pcm.length, coded, 0);
        short[] out = new short[pcm.length];
        G711.decodeUlaw(coded, 0, coded.length, out, 0);
        return out;
    }

    @ParameterizedTest(name = "{0}: \"{1}\" in white noise 10 dB, mu-law -> {2}")
    @CsvSource({
            "rating_1_5, three, 3",
            "digits, three, 3",
            "digits, five, 5",
            "payment_response, i already paid, already_paid",
    })
    void answersInLineNoise(String grammar, String spoken, String intent) throws Exception {
        short[] pcm = ulaw(TestAudio.withNoise(TestAudio.padded(voice.speak(spoken), 400), 10, spoken.hashCode()));
        Grammar g = grammars.get(grammar);
        RecognitionResult r = SphinxRecognizerTest.recognize(recognizer, Vocabulary.of(g), pcm, new ArrayList<>());
        assertEquals(intent, g.intentOf(r.text()).orElse("(none: '" + r.text() + "')"));
    }
}
