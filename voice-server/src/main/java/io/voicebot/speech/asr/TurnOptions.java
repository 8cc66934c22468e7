package io.voicebot.speech.asr;

import io.voicebot.config.VoicebotConfig;

import java.time.Duration;

/**
 * Timeouts of one listening turn: trailing silence that ends an utterance, how long to wait for any speech (counted
 * from the end of the prompt), the longest utterance, and how long the caller must speak over a prompt to stop it.
 * {@code earlyMinConfidence}: how sure a decoded checkpoint must be to end the turn early ({@link EarlyEndpoint}).
 */
public record TurnOptions(Duration endSilence, Duration noInput, Duration maxUtterance, Duration bargeInMinSpeech,
                          double earlyMinConfidence) {

    public TurnOptions(Duration endSilence, Duration noInput, Duration maxUtterance, Duration bargeInMinSpeech) {
        this(endSilence, noInput, maxUtterance, bargeInMinSpeech, EarlyEndpoint.MIN_CONFIDENCE);
    }

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
        return new TurnOptions(endSilence, d, maxUtterance, bargeInMinSpeech, earlyMinConfidence);
    }

    public TurnOptions withEndSilence(Duration d) {
        return new TurnOptions(d, noInput, maxUtterance, bargeInMinSpeech, earlyMinConfidence);
    }

    /**
     * A checkpoint under {@code readBackBelow} would be read back to the caller ("I heard four. Is that right?"):
     * such a turn waits for the whole utterance instead, whose decode is often surer (trailing quiet fits well).
     */
    public TurnOptions withEarlyMinConfidence(double readBackBelow) {
        return new TurnOptions(endSilence, noInput, maxUtterance, bargeInMinSpeech,
                Math.max(EarlyEndpoint.MIN_CONFIDENCE, readBackBelow));
    }
}
