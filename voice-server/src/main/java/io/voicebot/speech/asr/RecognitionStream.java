package io.voicebot.speech.asr;

/**
 * One utterance being recognized. Methods return fast and may be called from a network thread; decoding runs on
 * the engine's executor and results arrive on the {@link RecognitionListener}, from one thread at a time.
 */
public interface RecognitionStream extends AutoCloseable {

    /** Queues {@code len} 16-bit samples (normally one 20 ms frame); the array may be reused after the call. */
    void accept(short[] pcm, int off, int len);

    /**
     * Asks for what has been heard so far while the stream stays open (the caller paused): one
     * {@link RecognitionListener#onCheckpoint} follows unless the stream finishes or closes first. Engines that
     * cannot do this ignore it. Must not change the final result.
     */
    default void checkpoint() {
    }

    /** Ends the utterance; exactly one {@link RecognitionListener#onFinal} or {@link RecognitionListener#onError} follows. */
    void finish();

    /** Abandons the utterance: queued audio is dropped and no final result is delivered. */
    @Override
    void close();
}
