package io.voicebot.dialog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DialogRun} asks the call session to do, in order. A run's last action is always
 * {@link Hangup} or {@link Transfer}.
 */
public sealed interface Action {

    /**
     * Speak {@code template} (with ${var} placeholders) using {@code vars}. A non-interruptible prompt
     * (legal disclosure) must be played in full and answered with {@link Input.PlaybackFinished}.
     */
    record Say(String stepId, String template, Map<String, String> vars, boolean bargeIn,
               boolean nonInterruptible) implements Action {
        public Say {
            vars = Map.copyOf(vars);
        }
    }

    /**
     * Listen for one answer. {@code phrases} bias the recognizer (step phrases and global phrases); the run
     * still checks what was heard. {@code repeat}: the phrases may follow one another in one utterance (digits of
     * an account number). {@code secondary}: those of the phrases the step does not expect (global intents), which
     * the recognizer should find less likely than the step's own. {@code maxDigits} 0 means DTMF is not accepted.
     */
    record Listen(String stepId, String grammar, List<String> phrases, boolean repeat, SlotType slot,
                  Duration noInputTimeout, boolean dtmfAllowed, int maxDigits, List<String> secondary,
                  EarlyEndHints earlyEnd) implements Action {
        public Listen {
            phrases = List.copyOf(phrases);
            secondary = List.copyOf(secondary);
        }

        public Listen(String stepId, String grammar, List<String> phrases, boolean repeat, SlotType slot,
                      Duration noInputTimeout, boolean dtmfAllowed, int maxDigits, List<String> secondary) {
            this(stepId, grammar, phrases, repeat, slot, noInputTimeout, dtmfAllowed, maxDigits, secondary,
                    EarlyEndHints.NONE);
        }

        public Listen(String stepId, String grammar, List<String> phrases, boolean repeat, SlotType slot,
                      Duration noInputTimeout, boolean dtmfAllowed, int maxDigits) {
            this(stepId, grammar, phrases, repeat, slot, noInputTimeout, dtmfAllowed, maxDigits, List.of());
        }

        /** The same listen, waiting {@code timeout} for the caller to start. */
        public Listen withNoInputTimeout(Duration timeout) {
            return new Listen(stepId, grammar, phrases, repeat, slot, timeout, dtmfAllowed, maxDigits, secondary,
                    earlyEnd);
        }

        /**
         * What lets a turn end before the full trailing silence. {@code meanings}: what each phrase means to the
         * run, where known exactly ("no thanks" → "answer:no", "agent" → "global:AGENT"), so that a turn may end
         * early on a phrase that longer phrases of the same meaning begin. {@code readBackBelow}: the run reads a
         * spoken answer back when its confidence is under this (0: never for confidence alone), so an early end
         * needs at least this much. {@code minLength}/{@code maxLength}: how many phrases a {@code repeat} answer
         * has (the digits step's min and max), 0 for no bound.
         */
        public record EarlyEndHints(Map<String, String> meanings, double readBackBelow, int minLength,
                                    int maxLength) {
            public static final EarlyEndHints NONE = new EarlyEndHints(Map.of(), 0, 0, 0);

            public EarlyEndHints {
                meanings = Map.copyOf(meanings);
            }

            public EarlyEndHints(Map<String, String> meanings) {
                this(meanings, 0, 0, 0);
            }
        }
    }

    /** An answer to store for the call. */
    record RecordAnswer(String stepId, String key, String value, double confidence, boolean confirmed)
            implements Action {}

    /** The caller asked not to be called again: record it at once, before anything else can fail. */
    record OptOut(String stepId, String reason) implements Action {}

    /**
     * A decision on a destructive global intent (opt_out, wrong_person, agent), to store with the call:
     * {@code acted} whether the robot acted on it, {@code reason} why ("keypad", "confirmed by voice",
     * "long clear phrase 5 words 0.97", "caller said no").
     */
    record Decision(String stepId, String intent, boolean acted, String reason) implements Action {}

    /** Call back at {@code at} (null when the caller's words could not be turned into a time; see text). */
    record ScheduleCallback(String stepId, Instant at, String text) implements Action {}

    /** A follow-up task for the back office (e.g. "verify_payment"). */
    record CreateTask(String stepId, String type, Map<String, String> details) implements Action {
        public CreateTask {
            details = Map.copyOf(details);
        }
    }

    /** POST {@code payload} as JSON to {@code url}; answer with {@link Input.WebhookResult}. */
    record Webhook(String stepId, String url, Map<String, String> payload) implements Action {
        public Webhook {
            payload = Map.copyOf(payload);
        }
    }

    /** Hand the caller to an agent queue; the run ends with {@link Outcome#TRANSFERRED}. */
    record Transfer(String stepId, String queue, String reason) implements Action {}

    /** End the call. */
    record Hangup(String stepId, Outcome outcome) implements Action {}
}
