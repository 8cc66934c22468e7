package io.voicebot.speech.asr;

import java.util.List;

/**
 * What was recognized. Times are in milliseconds from the first sample given to the stream; {@code confidence} is
 * in 0..1. Empty {@code text} means nothing in the vocabulary was heard.
 */
public record RecognitionResult(String text, double confidence, boolean isFinal, long startMs, long endMs,
                                List<Word> words) {

    public RecognitionResult {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in 0..1, got " + confidence);
        }
        words = List.copyOf(words);
    }

    /** One recognized word with its own confidence (0..1) and times. */
    public record Word(String word, double confidence, long startMs, long endMs) {
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
