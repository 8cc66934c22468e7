package io.voicebot.speech.asr;

import io.voicebot.config.VoicebotConfig;

/** Builds the configured engine (speech.engine: auto picks Vosk when speech.vosk.model is set, else Sphinx4). */
public final class Recognizers {
    private Recognizers() {
    }

    public static Recognizer create(VoicebotConfig.Speech speech) {
        return create(speech.engine(), speech);
    }

    /** {@code engine}: "vosk" or "sphinx" (e.g. from a --engine option), overriding the configured one. */
    public static Recognizer create(String engine, VoicebotConfig.Speech speech) {
        return switch (engine) {
            case "vosk" -> new VoskRecognizer(speech.voskModel(), speech.threads());
            case "sphinx" -> new SphinxRecognizer(speech.threads(), speech.sampleRate(), new SphinxSettings(
                    speech.sphinxRejectBelow(), speech.sphinxGarbagePrior(), speech.sphinxGarbageWords(),
                    speech.sphinxMarginNats(), speech.sphinxUnexplainedMs(), speech.sphinxOtherPrior(),
                    speech.sphinxOtherAnswers()));
            default -> throw new AsrException("unknown speech engine '" + engine + "' (vosk or sphinx)");
        };
    }
}
