package io.voicebot.dialog;

import java.time.Instant;

/**
 * One entry of a call's dialog log: what was asked (prompt template), what came back and what the run made of
 * it. {@code intent} is the step value or global intent matched, or null; {@code note} says what happened.
 */
public record Turn(int seq, Instant at, String stepId, String prompt, Mode mode, String transcript,
                   double confidence, String intent, String note) {

    public enum Mode { SPEECH, DTMF, NO_INPUT, PLAYBACK, WEBHOOK, HANGUP }
}
