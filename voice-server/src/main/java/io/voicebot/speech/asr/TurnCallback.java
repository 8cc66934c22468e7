package io.voicebot.speech.asr;

/**
 * Events of one listening turn. Exactly one of {@link #onResult} or {@link #onError} ends the turn. Called from the
 * thread that fed the audio or DTMF, or from a decoding thread; never while the listener holds its lock.
 */
public interface TurnCallback {

    /** The caller has spoken over the prompt for speech.bargein.min.speech.ms: stop playback now. */
    default void onBargeIn(long speechStartMs, long atMs) {
    }

    default void onSpeechStart(long atMs) {
    }

    /** Speech ended at {@code endMs} (last loud frame); detected at {@code atMs}, after the trailing silence. */
    default void onSpeechEnd(long endMs, long atMs) {
    }

    default void onPartial(String text) {
    }

    void onResult(Utterance utterance);

    void onError(Exception error);
}
