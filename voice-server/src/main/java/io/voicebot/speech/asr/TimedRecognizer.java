package io.voicebot.speech.asr;

import java.util.function.DoubleConsumer;

/**
 * A recognizer that reports each decode time, in seconds: from {@link RecognitionStream#finish()} (the last audio is
 * in) to the final result, and from {@link RecognitionStream#checkpoint()} to the checkpoint's result (a decode of
 * the audio so far, which ends the turn early when it is a complete answer, so the final decode may never run).
 * Results that come without a finish or checkpoint (an engine ending the utterance itself) are not timed.
 */
public final class TimedRecognizer implements Recognizer {
    private final Recognizer inner;
    private final DoubleConsumer seconds;

    public TimedRecognizer(Recognizer inner, DoubleConsumer seconds) {
        this.inner = inner;
        this.seconds = seconds;
    }

    @Override
    public RecognitionStream open(int sampleRate, Vocabulary vocabulary, RecognitionListener listener) {
        long[] finishedAt = {0}; // written by finish(), read by the decoding thread's onFinal
        long[] checkpointAt = {0}; // the same for checkpoint() and onCheckpoint
        RecognitionListener timed = new RecognitionListener() {
            @Override
            public void onPartial(RecognitionResult partial) {
                listener.onPartial(partial);
            }

            @Override
            public void onFinal(RecognitionResult result) {
                long t;
                synchronized (finishedAt) {
                    t = finishedAt[0];
                    finishedAt[0] = 0;
                }
                if (t != 0) {
                    seconds.accept((System.nanoTime() - t) / 1e9);
                }
                listener.onFinal(result);
            }

            @Override
            public void onCheckpoint(RecognitionResult soFar) {
                long t;
                synchronized (checkpointAt) {
                    t = checkpointAt[0];
                    checkpointAt[0] = 0;
                }
                if (t != 0) {
                    seconds.accept((System.nanoTime() - t) / 1e9);
                }
                listener.onCheckpoint(soFar);
            }

            @Override
            public void onError(Exception error) {
                listener.onError(error);
            }
        };
        RecognitionStream s = inner.open(sampleRate, vocabulary, timed);
        return new RecognitionStream() {
            @Override
            public void accept(short[] pcm, int off, int len) {
                s.accept(pcm, off, len);
            }

            @Override
            public void checkpoint() {
                synchronized (checkpointAt) {
                    checkpointAt[0] = System.nanoTime();
                }
                s.checkpoint();
            }

            @Override
            public void finish() {
                synchronized (finishedAt) {
                    finishedAt[0] = System.nanoTime();
                }
                s.finish();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    @Override
    public void prepare(Vocabulary vocabulary) {
        inner.prepare(vocabulary);
    }

    @Override
    public java.util.List<String> unknownWords(Vocabulary vocabulary) {
        return inner.unknownWords(vocabulary);
    }

    @Override
    public String engine() {
        return inner.engine();
    }

    @Override
    public void close() {
        inner.close();
    }
}
