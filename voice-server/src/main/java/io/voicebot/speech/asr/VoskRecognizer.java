package io.voicebot.speech.asr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vosk (Kaldi): the model is loaded once and shared; each stream has its own native recognizer, fed in order on
 * the bounded decode executor as frames arrive (Vosk decodes incrementally, so the final result is ready soon
 * after the last frame). Phrase lists become Vosk's JSON grammar.
 */
public final class VoskRecognizer implements Recognizer {
    private static final Logger log = LoggerFactory.getLogger(VoskRecognizer.class);
    /** Frames waiting to be decoded per stream (10 s at 20 ms); more means decoding cannot keep up. */
    static final int MAX_PENDING_FRAMES = 500;
    private static final int PARTIAL_EVERY_FRAMES = 10;

    private final Model model;
    private final DecodeExecutor executor;
    private final int threads;

    /** Loads the model from {@code modelDir}; a missing or broken model fails with what to do about it. */
    public VoskRecognizer(Path modelDir, int threads) {
        checkModelDir(modelDir);
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
            long t0 = System.nanoTime();
            model = new Model(modelDir.toString());
            log.info("Vosk model {} loaded in {} ms", modelDir, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            throw new AsrException("cannot load the Vosk model in " + modelDir + " (speech.vosk.model): " + e
                    + ". " + HOW_TO_GET_A_MODEL, e);
        }
        this.threads = threads;
        executor = new DecodeExecutor("asr-vosk", threads);
    }

    static final String HOW_TO_GET_A_MODEL = "Download a model such as vosk-model-small-en-us-0.15 from "
            + "https://alphacephei.com/vosk/models, unpack it and set speech.vosk.model to the unpacked directory "
            + "(or leave speech.vosk.model empty to use the bundled Sphinx4 engine)";

    /** Checks what can be checked without native code, so the common mistakes get a precise message. */
    static void checkModelDir(Path dir) {
        if (dir == null) {
            throw new AsrException("speech.vosk.model is not set. " + HOW_TO_GET_A_MODEL);
        }
        if (!Files.exists(dir)) {
            throw new AsrException("Vosk model directory " + dir + " (speech.vosk.model) does not exist. "
                    + HOW_TO_GET_A_MODEL);
        }
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            throw new AsrException("Vosk model " + dir + " (speech.vosk.model) is not a readable directory "
                    + "(a .zip must be unpacked first). " + HOW_TO_GET_A_MODEL);
        }
        if (!Files.isDirectory(dir.resolve("am")) && !Files.exists(dir.resolve("final.mdl"))) {
            throw new AsrException("Vosk model directory " + dir + " (speech.vosk.model) has no acoustic model "
                    + "(am/final.mdl); point it at the unpacked model directory itself, not its parent. "
                    + HOW_TO_GET_A_MODEL);
        }
    }

    @Override
    public String engine() {
        return "vosk";
    }

    @Override
    public RecognitionStream open(int sampleRate, Vocabulary vocabulary, RecognitionListener listener) {
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new AsrException("sample rate " + sampleRate + " Hz is not supported (8000 or 16000)");
        }
        org.vosk.Recognizer r;
        try {
            r = vocabulary.isFreeSpeech() ? new org.vosk.Recognizer(model, sampleRate)
                    : new org.vosk.Recognizer(model, sampleRate, VoskJson.grammar(vocabulary));
        } catch (IOException | RuntimeException e) {
            throw new AsrException("Vosk cannot create a recognizer for phrases " + vocabulary.phrases() + ": " + e, e);
        }
        r.setWords(true);
        r.setPartialWords(true);
        return new Stream(r, sampleRate, listener);
    }

    @Override
    public void close() {
        executor.shutdown();
        model.close();
    }

    private enum State { OPEN, FINISHING, DONE }

    /** Frames are queued by accept() and decoded in order by at most one executor task at a time. */
    private final class Stream implements RecognitionStream {
        private final org.vosk.Recognizer recognizer;
        private final int rate;
        private final RecognitionListener listener;
        private final ConcurrentLinkedQueue<short[]> frames = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean checkpointWanted = new AtomicBoolean();
        private volatile State state = State.OPEN;
        private volatile boolean closed;
        private long samples;
        private int sincePartial;
        private String lastPartial = "";

        Stream(org.vosk.Recognizer recognizer, int rate, RecognitionListener listener) {
            this.recognizer = recognizer;
            this.rate = rate;
            this.listener = listener;
        }

        @Override
        public void accept(short[] pcm, int off, int len) {
            if (state != State.OPEN || closed) {
                return;
            }
            if (pending.incrementAndGet() > MAX_PENDING_FRAMES) {
                fail(new AsrException("Vosk decoding fell more than " + MAX_PENDING_FRAMES + " frames behind ("
                        + threads + " threads are not enough for the load)"));
                return;
            }
            frames.add(java.util.Arrays.copyOfRange(pcm, off, off + len));
            schedule();
        }

        @Override
        public void finish() {
            if (state != State.OPEN) {
                return;
            }
            state = State.FINISHING;
            schedule();
        }

        /** Vosk has decoded every frame as it came: the running hypothesis is what has been heard so far. */
        @Override
        public void checkpoint() {
            if (state != State.OPEN || closed) {
                return;
            }
            checkpointWanted.set(true);
            schedule();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true) && !executor.submit(this::drain)) {
                scheduled.set(false);
                fail(new AsrException("speech recognition is overloaded (decode queue full)"));
            }
        }

        private void drain() {
            try {
                short[] f;
                while (!closed && (f = frames.poll()) != null) {
                    pending.decrementAndGet();
                    samples += f.length;
                    recognizer.acceptWaveForm(f, f.length);
                    if (++sincePartial >= PARTIAL_EVERY_FRAMES) {
                        sincePartial = 0;
                        RecognitionResult p = VoskJson.parsePartial(recognizer.getPartialResult(), ms());
                        if (!p.text().isEmpty() && !p.text().equals(lastPartial)) {
                            lastPartial = p.text();
                            listener.onPartial(p);
                        }
                    }
                }
                if (!closed && state == State.OPEN && frames.isEmpty() && checkpointWanted.getAndSet(false)) {
                    listener.onCheckpoint(VoskJson.parsePartial(recognizer.getPartialResult(), ms()));
                }
                if (!closed && state == State.FINISHING && frames.isEmpty()) {
                    state = State.DONE;
                    RecognitionResult r = VoskJson.parseFinal(recognizer.getFinalResult(), ms());
                    release();
                    listener.onFinal(r);
                    return;
                }
            } catch (RuntimeException e) {
                fail(e instanceof AsrException ? e : new AsrException("Vosk decoding failed: " + e, e));
                return;
            } finally {
                scheduled.set(false);
            }
            // Frames may have arrived after the loop ended and before the flag was cleared.
            if (!closed && (!frames.isEmpty() || state == State.FINISHING)) {
                schedule();
            }
            if (closed) {
                release();
            }
        }

        private long ms() {
            return samples * 1000 / rate;
        }

        private void fail(Exception e) {
            if (state == State.DONE) {
                return;
            }
            state = State.DONE;
            closed = true;
            frames.clear();
            if (!scheduled.get()) {
                release();
            }
            listener.onError(e);
        }

        private final AtomicBoolean released = new AtomicBoolean();

        private void release() {
            if (released.compareAndSet(false, true)) {
                recognizer.close();
            }
        }

        @Override
        public void close() {
            closed = true;
            state = State.DONE;
            frames.clear();
            if (scheduled.compareAndSet(false, true)) {
                // No drain is running and none can start now: free the native recognizer here.
                release();
            }
        }
    }
}
