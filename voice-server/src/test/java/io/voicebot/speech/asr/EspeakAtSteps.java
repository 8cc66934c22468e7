package io.voicebot.speech.asr;

import io.voicebot.dialog.Dialog;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the step tests hear: the built-in dialogs (and the benchmark's one-digit dialog), and espeak-ng's default US
 * voice (the benchmark's espeak-us) over G.711 mu-law, decoded with the step's listen as the vocabulary.
 */
final class EspeakAtSteps implements AutoCloseable {
    private final Map<String, Dialog> dialogs;
    private final BenchAudio audio;
    private final TestAudio.Voice voice;

    EspeakAtSteps() throws Exception {
        dialogs = UnderstandingBenchmark.dialogs(Path.of(System.getProperty("voicebot.home", "..")));
        audio = new BenchAudio();
        voice = audio.espeak("en-us", 150, 50);
    }

    Map<String, Dialog> dialogs() {
        return dialogs;
    }

    /** {@code spoken} said at task {@code t}'s step of {@code d}, as {@code rec} hears it. */
    RecognitionResult hear(SphinxRecognizer rec, Dialog d, UnderstandingBenchmark.Task t, String spoken)
            throws Exception {
        return Probe.recognize(rec, Probe.vocabulary(d, t, false),
                TestAudio.padded(audio.apply(voice.speak(spoken), "ulaw", 1), 400));
    }

    @Override
    public void close() throws Exception {
        audio.close();
    }
}
