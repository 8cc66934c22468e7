package io.voicebot.speech.asr;

import io.voicebot.speech.vad.VoiceActivityDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One call's ears: every inbound frame goes to {@link #accept}, which runs the VAD (so the noise floor follows the
 * line even between turns) and, during a turn started by {@link #listen}, feeds the recognizer only around speech,
 * with {@link #PRE_ROLL_MS} of audio from before the detected onset so word starts are not cut. A turn ends with
 * exactly one result: the recognized speech after the trailing silence, a DTMF key, no input, or an error.
 * When the caller pauses for {@link EarlyEndpoint#QUIET_MS} the recognizer is asked what it has heard so far; a
 * complete answer ({@link EarlyEndpoint#endsTurn}) ends the turn then, without waiting for the whole silence.
 * <p>
 * Thread-safe: frames, DTMF, prompt state and recognizer results may come from different threads; callbacks are
 * invoked without holding the lock.
 */
public final class SpeechListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpeechListener.class);
    static final int PRE_ROLL_MS = 300;

    private enum State { IDLE, WAITING, SPEAKING, RECOGNIZING, CLOSED }

    private final Recognizer recognizer;
    private final int sampleRate;
    private final VoiceActivityDetector vad;
    private final ArrayDeque<short[]> preRoll = new ArrayDeque<>();
    private int preRollSamples;

    private State state = State.IDLE;
    private int turn;
    private Vocabulary vocabulary;
    private TurnOptions options;
    private TurnCallback callback;
    private RecognitionStream stream;
    private long streamStartMs;
    private boolean promptPlaying;
    private long noInputFromMs;
    private boolean bargedIn;
    private boolean truncated;
    private long speechStartMs;
    private long speechEndMs;
    private long speechEndDetectedNanos;
    private boolean earlyPossible;
    /** The speech end a checkpoint was asked for (one per pause), or -1. */
    private long checkpointForEndMs = -1;
    /** A checkpoint that ends the turn once the pause reaches {@link #heldQuietMs} (EarlyEndpoint.quietToEnd). */
    private RecognitionResult heldCheckpoint;
    private long heldQuietMs;

    public SpeechListener(Recognizer recognizer, int sampleRate, TurnOptions defaults) {
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new IllegalArgumentException("sample rate must be 8000 or 16000, got " + sampleRate);
        }
        this.recognizer = recognizer;
        this.sampleRate = sampleRate;
        this.vad = new VoiceActivityDetector(sampleRate, defaults.endSilence().toMillis(), 20);
    }

    /**
     * Starts a turn. If a prompt is playing ({@link #promptPlaying(boolean)}), speech over it raises
     * {@link TurnCallback#onBargeIn} and the no-input timer starts only when the prompt ends.
     *
     * @throws IllegalStateException when a turn is already running
     */
    public void listen(Vocabulary vocabulary, TurnOptions options, TurnCallback callback) {
        synchronized (this) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("the speech listener is closed");
            }
            if (state != State.IDLE) {
                throw new IllegalStateException("a turn is already running (" + state + ")");
            }
            this.vocabulary = vocabulary;
            this.options = options;
            this.callback = callback;
            turn++;
            bargedIn = false;
            truncated = false;
            noInputFromMs = vad.nowMs();
            earlyPossible = EarlyEndpoint.possible(vocabulary);
            checkpointForEndMs = -1;
            vad.setTrailingSilenceMs(options.endSilence().toMillis());
            state = State.WAITING;
        }
    }

    /** The call layer says whether a prompt is playing now; when it stops, the no-input timer starts. */
    public synchronized void promptPlaying(boolean playing) {
        if (promptPlaying && !playing) {
            noInputFromMs = vad.nowMs();
        }
        promptPlaying = playing;
    }

    /** One inbound audio frame (normally 20 ms). Returns fast: decoding happens on the recognizer's threads. */
    public void accept(short[] pcm, int off, int len) {
        List<Runnable> events = new ArrayList<>(2);
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            VoiceActivityDetector.Event e = vad.process(pcm, off, len);
            long now = vad.nowMs();
            switch (state) {
                case IDLE, RECOGNIZING -> keepPreRoll(pcm, off, len);
                case WAITING -> {
                    keepPreRoll(pcm, off, len);
                    if (e == VoiceActivityDetector.Event.SPEECH_START) {
                        startSpeech(events);
                    } else if (!promptPlaying && !vad.isSpeaking()
                            && now - noInputFromMs >= options.noInput().toMillis()) {
                        end(events, Utterance.noInput(now));
                    }
                }
                case SPEAKING -> {
                    keepPreRoll(pcm, off, len);
                    if (e == VoiceActivityDetector.Event.NOT_SPEECH) {
                        // line noise, not the caller: wait for speech again; the pre-roll still has the last 300 ms
                        closeStream();
                        turn++;
                        state = State.WAITING;
                        break;
                    }
                    stream.accept(pcm, off, len);
                    long spoken = now - speechStartMs;
                    if (promptPlaying && !bargedIn && spoken >= options.bargeInMinSpeech().toMillis()) {
                        bargedIn = true;
                        TurnCallback cb = callback;
                        long start = speechStartMs;
                        events.add(() -> cb.onBargeIn(start, now));
                    }
                    if (earlyPossible && e == VoiceActivityDetector.Event.NONE
                            && vad.quietMs() >= EarlyEndpoint.QUIET_MS && checkpointForEndMs != vad.speechEndMs()) {
                        checkpointForEndMs = vad.speechEndMs();
                        heldCheckpoint = null;
                        stream.checkpoint();
                    }
                    if (heldCheckpoint != null && e == VoiceActivityDetector.Event.NONE && vad.isSpeaking()
                            && vad.speechEndMs() == checkpointForEndMs && vad.quietMs() >= heldQuietMs) {
                        RecognitionResult held = heldCheckpoint;
                        heldCheckpoint = null;
                        endEarly(held, events);
                        break;
                    }
                    if (e == VoiceActivityDetector.Event.SPEECH_END) {
                        finishSpeech(vad.speechEndMs());
                        TurnCallback cb = callback;
                        long end = vad.speechEndMs();
                        events.add(() -> cb.onSpeechEnd(end, now));
                    } else if (spoken >= options.maxUtterance().toMillis()) {
                        truncated = true;
                        finishSpeech(now);
                    }
                }
                default -> { }
            }
        }
        events.forEach(Runnable::run);
    }

    /**
     * A DTMF key ends the turn at once (it ranks equal to speech); the speech being recognized is dropped. False when
     * no turn was listening (the key was not taken).
     */
    public boolean onDtmf(char key) {
        List<Runnable> events = new ArrayList<>(1);
        synchronized (this) {
            if (state == State.WAITING || state == State.SPEAKING || state == State.RECOGNIZING) {
                end(events, Utterance.dtmf(key, vad.nowMs()));
            }
        }
        events.forEach(Runnable::run);
        return !events.isEmpty();
    }

    /** Ends the current turn without a result (the call hung up or the dialog moved on). */
    public synchronized void cancel() {
        if (state == State.WAITING || state == State.SPEAKING || state == State.RECOGNIZING) {
            closeStream();
            state = State.IDLE;
            turn++;
        }
    }

    public synchronized boolean isListening() {
        return state == State.WAITING || state == State.SPEAKING || state == State.RECOGNIZING;
    }

    /** Speech has ended and its final result is being decoded. */
    public synchronized boolean isRecognizing() {
        return state == State.RECOGNIZING;
    }

    /** Call audio time: milliseconds of audio received so far. */
    public synchronized long nowMs() {
        return vad.nowMs();
    }

    /**
     * Ends speech in progress now, as if the trailing silence had passed (end of a file, or the call layer knows the
     * caller stopped). Does nothing when no speech is in progress.
     */
    public synchronized void flush() {
        if (state == State.SPEAKING) {
            finishSpeech(vad.isSpeaking() ? vad.nowMs() : vad.speechEndMs());
        }
    }

    @Override
    public synchronized void close() {
        closeStream();
        state = State.CLOSED;
    }

    private void keepPreRoll(short[] pcm, int off, int len) {
        preRoll.addLast(java.util.Arrays.copyOfRange(pcm, off, off + len));
        preRollSamples += len;
        int max = sampleRate * PRE_ROLL_MS / 1000;
        while (preRollSamples - preRoll.peekFirst().length >= max) {
            preRollSamples -= preRoll.removeFirst().length;
        }
    }

    private void startSpeech(List<Runnable> events) {
        heldCheckpoint = null;
        speechStartMs = vad.speechStartMs();
        int myTurn = turn;
        TurnCallback cb = callback;
        try {
            stream = recognizer.open(sampleRate, vocabulary, new Results(myTurn));
        } catch (RuntimeException ex) {
            state = State.IDLE;
            events.add(() -> cb.onError(ex));
            return;
        }
        streamStartMs = vad.nowMs() - preRollSamples * 1000L / sampleRate;
        for (short[] f : preRoll) {
            stream.accept(f, 0, f.length);
        }
        state = State.SPEAKING;
        long start = speechStartMs;
        events.add(() -> cb.onSpeechStart(start));
    }

    private void finishSpeech(long endMs) {
        heldCheckpoint = null;
        speechEndMs = endMs;
        speechEndDetectedNanos = System.nanoTime();
        state = State.RECOGNIZING;
        stream.finish();
    }

    private void end(List<Runnable> events, Utterance u) {
        closeStream();
        state = State.IDLE;
        turn++;
        TurnCallback cb = callback;
        events.add(() -> cb.onResult(u));
    }

    private void closeStream() {
        heldCheckpoint = null;
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    /** Ends the turn on checkpoint {@code r} (the caller's pause was long enough for it). */
    private void endEarly(RecognitionResult r, List<Runnable> events) {
        long end = vad.speechEndMs();
        long now = vad.nowMs();
        vad.endSpeechNow();
        TurnCallback cb = callback;
        events.add(() -> cb.onSpeechEnd(end, now));
        if (r.isFinal()) {
            speechEndMs = end;
            // the caller waited from the end of the words until now (the quiet before the checkpoint and its
            // decode): that is the turn's recognition latency, as after a full endpoint
            Utterance u = utterance(r, Math.max(0, now - end));
            closeStream();
            state = State.IDLE;
            turn++;
            events.add(() -> cb.onResult(u));
        } else {
            finishSpeech(end); // the engine has decoded as it went: its final result follows at once
        }
    }

    /** A recognizer result as this turn's utterance, word times moved to call time. */
    private Utterance utterance(RecognitionResult r, long latencyMs) {
        List<RecognitionResult.Word> words = new ArrayList<>();
        for (RecognitionResult.Word w : r.words()) {
            words.add(new RecognitionResult.Word(w.word(), w.confidence(), w.startMs() + streamStartMs,
                    w.endMs() + streamStartMs));
        }
        return new Utterance(Utterance.Kind.SPEECH, r.text(), r.confidence(), speechStartMs, speechEndMs,
                latencyMs, '\0', truncated, words, r.rejection());
    }

    /** Recognizer results for one turn; ignored once the turn has ended another way (DTMF, cancel). */
    private final class Results implements RecognitionListener {
        private final int forTurn;

        Results(int forTurn) {
            this.forTurn = forTurn;
        }

        @Override
        public void onPartial(RecognitionResult partial) {
            TurnCallback cb;
            synchronized (SpeechListener.this) {
                if (turn != forTurn) {
                    return;
                }
                cb = callback;
            }
            cb.onPartial(partial.text());
        }

        /** The caller paused: a complete answer ends the turn now instead of after the whole trailing silence. */
        @Override
        public void onCheckpoint(RecognitionResult r) {
            List<Runnable> events = new ArrayList<>(2);
            synchronized (SpeechListener.this) {
                if (turn != forTurn || state != State.SPEAKING || !vad.isSpeaking()
                        || vad.speechEndMs() != checkpointForEndMs || vad.quietMs() < EarlyEndpoint.QUIET_MS) {
                    return; // spoke again or ended otherwise: the long timeout decides
                }
                long need = EarlyEndpoint.quietToEnd(vocabulary, r, options.earlyMinConfidence());
                if (need < 0) {
                    return; // not a whole answer, or too doubtful
                }
                if (vad.quietMs() < need) {
                    heldCheckpoint = r; // a phrase that may go on: ends the turn if the pause lasts
                    heldQuietMs = need;
                    return;
                }
                endEarly(r, events);
            }
            events.forEach(Runnable::run);
        }

        @Override
        public void onFinal(RecognitionResult r) {
            TurnCallback cb;
            Utterance u;
            synchronized (SpeechListener.this) {
                if (turn != forTurn || state != State.RECOGNIZING) {
                    return;
                }
                u = utterance(r, (System.nanoTime() - speechEndDetectedNanos) / 1_000_000);
                stream = null;
                state = State.IDLE;
                turn++;
                cb = callback;
            }
            cb.onResult(u);
        }

        @Override
        public void onError(Exception error) {
            TurnCallback cb;
            synchronized (SpeechListener.this) {
                if (turn != forTurn) {
                    return;
                }
                stream = null;
                state = State.IDLE;
                turn++;
                cb = callback;
            }
            log.warn("speech recognition failed: {}", error.toString());
            cb.onError(error);
        }
    }
}
