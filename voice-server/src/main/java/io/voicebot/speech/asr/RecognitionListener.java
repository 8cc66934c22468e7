package io.voicebot.speech.asr;

/** Results of one {@link RecognitionStream}; called on a decoding thread, never concurrently for one stream. */
public interface RecognitionListener {

    /** An interim hypothesis; may be called zero or more times before the final result. */
    default void onPartial(RecognitionResult partial) {
    }

    /**
     * What has been heard up to a {@link RecognitionStream#checkpoint()}. {@code isFinal}: decoded as a final result
     * is (with confidence), so it may be used as the utterance's result; otherwise only a hypothesis, and finishing
     * the stream gives the result. May come from another decoding thread than the final result.
     */
    default void onCheckpoint(RecognitionResult soFar) {
    }

    /** The final result of the utterance (text may be empty: nothing in the vocabulary was heard). */
    void onFinal(RecognitionResult result);

    /** Decoding failed; no final result follows. */
    void onError(Exception error);
}
