package io.voicebot.dialog;

import java.util.Map;
import java.util.Objects;

/** What the call session feeds into a {@link DialogRun}. */
public sealed interface Input {

    /**
     * A recognized utterance; {@code intentHint} is the recognizer's own intent tag or null; {@code rejection} says
     * why the recognizer threw away what it heard (the text is then empty), or is null.
     */
    record Speech(String text, double confidence, String intentHint, String rejection) implements Input {
        public Speech {
            Objects.requireNonNull(text, "text");
            if (confidence < 0 || confidence > 1 || Double.isNaN(confidence)) {
                throw new IllegalArgumentException("confidence must be within 0..1, got " + confidence);
            }
        }

        public Speech(String text, double confidence, String intentHint) {
            this(text, confidence, intentHint, null);
        }

        public Speech(String text, double confidence) {
            this(text, confidence, null, null);
        }
    }

    /** Keys pressed during one listen ("1", "4125#"). */
    record Dtmf(String digits) implements Input {
        public Dtmf {
            Objects.requireNonNull(digits, "digits");
            if (!digits.matches("[0-9*#A-D]+")) {
                throw new IllegalArgumentException("not DTMF keys: '" + digits + "'");
            }
        }
    }

    /** The caller said nothing within the listen's timeout. */
    record NoInput() implements Input {}

    /** A {@link Action.Say} ended; {@code completed} false when cut short (barge-in, hang-up, error). */
    record PlaybackFinished(String stepId, boolean completed) implements Input {}

    /** Answer to an {@link Action.Webhook}: {@code ok} false on error/timeout; {@code values} become variables. */
    record WebhookResult(String stepId, boolean ok, Map<String, String> values) implements Input {
        public WebhookResult {
            values = Map.copyOf(values);
        }
    }

    /** The caller hung up. */
    record Hangup() implements Input {}
}
