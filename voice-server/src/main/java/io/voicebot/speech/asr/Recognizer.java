package io.voicebot.speech.asr;

import java.util.List;

/**
 * A speech recognition engine, loaded once and shared by every call. Each utterance (or turn) opens its own
 * {@link RecognitionStream}; streams of different calls decode concurrently on the engine's bounded executor.
 */
public interface Recognizer extends AutoCloseable {

    /** Opens a stream for one utterance; {@code phrases} empty means free speech. */
    default RecognitionStream open(int sampleRate, List<String> phrases, RecognitionListener listener) {
        return open(sampleRate, Vocabulary.of(phrases), listener);
    }

    /**
     * Opens a stream for one utterance.
     *
     * @throws AsrException when the vocabulary cannot be used (e.g. a word the engine does not know) or the
     *                      sample rate is not 8000 or 16000
     */
    RecognitionStream open(int sampleRate, Vocabulary vocabulary, RecognitionListener listener);

    /**
     * Gets ready for {@code vocabulary} ahead of the first call that listens for it (dialogs call this when they
     * load). Engines whose grammars cost nothing to switch do nothing.
     */
    default void prepare(Vocabulary vocabulary) {
    }

    /**
     * The words of {@code vocabulary} this engine cannot recognize (e.g. missing from its dictionary), checked when
     * a dialog is uploaded; empty when the engine takes any word.
     */
    default List<String> unknownWords(Vocabulary vocabulary) {
        return List.of();
    }

    /** "sphinx" or "vosk". */
    String engine();

    /** Stops the decoding threads and frees the models; open streams get an error. */
    @Override
    void close();
}
