package io.voicebot.speech.asr;

import java.util.List;

/**
 * What was recognized. Times are in milliseconds from the first sample given to the stream; {@code confidence} is
 * in 0..1. Empty {@code text} means nothing in the vocabulary was heard; {@code rejection} then says why words that
 * were heard were thrown away (for the turn log), or is null.
 */
public record RecognitionResult(String text, double confidence, boolean isFinal, long startMs, long endMs,
                                List<Word> words, String rejection) {

    public RecognitionResult {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in 0..1, got " + confidence);
        }
        if (rejection != null && !text.isEmpty()) {
            throw new IllegalArgumentException("a rejected result has no text, got '" + text + "'");
        }
        words = List.copyOf(words);
    }

    public RecognitionResult(String text, double confidence, boolean isFinal, long startMs, long endMs,
                             List<Word> words) {
        this(text, confidence, isFinal, startMs, endMs, words, null);
    }

    /** A final no-match: words were heard and thrown away, for the reason {@code why}. */
    public static RecognitionResult rejected(long startMs, long endMs, String why) {
        return new RecognitionResult("", 0, true, startMs, endMs, List.of(), why);
    }

    /** One recognized word with its own confidence (0..1) and times. */
    public record Word(String word, double confidence, long startMs, long endMs) {
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
