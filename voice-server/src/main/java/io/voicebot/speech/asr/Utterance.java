package io.voicebot.speech.asr;

import java.util.List;

/**
 * How a listening turn ended. Times are milliseconds of call audio (since the {@link SpeechListener} was created).
 * <ul>
 *   <li>{@link Kind#SPEECH}: {@code text} is what was recognized, empty when nothing in the vocabulary was heard
 *       (a no-match, {@code rejection} saying why when the recognizer threw words away); {@code latencyMs} is from the detected end of speech to the final result;
 *       {@code truncated} when speech.max.utterance.ms cut it.</li>
 *   <li>{@link Kind#DTMF}: the caller pressed {@code dtmf}.</li>
 *   <li>{@link Kind#NO_INPUT}: no speech and no key within the no-input timeout.</li>
 * </ul>
 */
public record Utterance(Kind kind, String text, double confidence, long startMs, long endMs, long latencyMs,
                        char dtmf, boolean truncated, List<RecognitionResult.Word> words, String rejection) {

    public enum Kind { SPEECH, DTMF, NO_INPUT }

    public Utterance {
        words = List.copyOf(words);
    }

    public Utterance(Kind kind, String text, double confidence, long startMs, long endMs, long latencyMs,
                     char dtmf, boolean truncated, List<RecognitionResult.Word> words) {
        this(kind, text, confidence, startMs, endMs, latencyMs, dtmf, truncated, words, null);
    }

    static Utterance noInput(long atMs) {
        return new Utterance(Kind.NO_INPUT, "", 0, atMs, atMs, 0, '\0', false, List.of());
    }

    static Utterance dtmf(char key, long atMs) {
        return new Utterance(Kind.DTMF, String.valueOf(key), 1, atMs, atMs, 0, key, false, List.of());
    }

    /** Speech that matched nothing (empty text). */
    public boolean isNoMatch() {
        return kind == Kind.SPEECH && text.isEmpty();
    }
}
