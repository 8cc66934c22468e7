package io.voicebot.speech.asr;

import io.voicebot.config.VoicebotConfig;

import java.time.Duration;

/**
 * Timeouts of one listening turn: trailing silence that ends an utterance, how long to wait for any speech (counted
 * from the end of the prompt), the longest utterance, and how long the caller must speak over a prompt to stop it.
 */
public record TurnOptions(Duration endSilence, Duration noInput, Duration maxUtterance, Duration bargeInMinSpeech) {

    public TurnOptions {
        for (Duration d : new Duration[] {endSilence, noInput, maxUtterance, bargeInMinSpeech}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("turn timeouts must be positive: " + endSilence + ", " + noInput
                        + ", " + maxUtterance + ", " + bargeInMinSpeech);
            }
        }
    }

    /** The speech.* configuration values. */
    public static TurnOptions from(VoicebotConfig.Speech s) {
        return new TurnOptions(s.endpointSilence(), s.noInputTimeout(), s.maxUtterance(), s.bargeInMinSpeech());
    }

    public TurnOptions withNoInput(Duration d) {
        return new TurnOptions(endSilence, d, maxUtterance, bargeInMinSpeech);
    }

    public TurnOptions withEndSilence(Duration d) {
        return new TurnOptions(d, noInput, maxUtterance, bargeInMinSpeech);
    }
}
