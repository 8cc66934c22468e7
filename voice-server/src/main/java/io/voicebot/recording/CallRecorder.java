package io.voicebot.recording;

import io.voicebot.telephony.audiosocket.AudioTap;

import java.util.UUID;

/**
 * Records one call as stereo frames on the robot's 20 ms frame clock: each frame the robot sends (silence
 * included) becomes one stereo frame, its left channel the caller's audio received since, its right the robot's.
 * Where the caller sent nothing the left channel is silence; caller audio arriving faster than the clock is kept
 * up to {@link #MAX_CALLER_FRAMES} frames of jitter, older audio beyond that is dropped. Frames are batched into
 * chunks handed to the {@link RecordingWriter} without ever waiting: a chunk the writer has no room for is
 * dropped, counted, and written as silence later, so the file keeps its timeline and is marked incomplete.
 */
final class CallRecorder implements AudioTap {
    /** 500 ms of audio per chunk handed to the writer. */
    static final int CHUNK_FRAMES = 25;
    private static final int MAX_CALLER_FRAMES = 10;

    final UUID callId;
    final String path;
    private final RecordingWriter writer;

    // Guarded by this: called on the pacer thread (robot) and the I/O thread (caller).
    private int rate; // of the file: the first frame's; 0 before
    private short[] caller = new short[0];
    private int callerCount;
    private byte[] chunk;
    private int chunkFrames;
    private long gapFrames; // dropped, not yet written as silence
    private long frames;
    private boolean closed;
    // Read by the writer thread after the close job.
    private volatile boolean lost;

    CallRecorder(UUID callId, String path, RecordingWriter writer) {
        this.callId = callId;
        this.path = path;
        this.writer = writer;
    }

    @Override
    public synchronized void robot(short[] frame, int sampleRate) {
        if (closed) {
            return;
        }
        if (rate == 0) {
            start(sampleRate);
        }
        int n = rate / 50;
        short[] right = resize(frame, n);
        if (chunk == null) {
            chunk = new byte[CHUNK_FRAMES * n * 4];
        }
        int at = chunkFrames * n * 4;
        int take = Math.min(n, callerCount);
        for (int i = 0; i < n; i++) {
            short l = i < take ? caller[i] : 0;
            short r = right[i];
            chunk[at++] = (byte) l;
            chunk[at++] = (byte) (l >> 8);
            chunk[at++] = (byte) r;
            chunk[at++] = (byte) (r >> 8);
        }
        System.arraycopy(caller, take, caller, 0, callerCount - take);
        callerCount -= take;
        frames++;
        if (++chunkFrames == CHUNK_FRAMES) {
            flush();
        }
    }

    @Override
    public synchronized void caller(short[] samples, int sampleRate) {
        if (closed) {
            return;
        }
        if (rate == 0) {
            start(sampleRate);
        }
        short[] in = sampleRate == rate ? samples
                : resize(samples, (int) ((long) samples.length * rate / sampleRate));
        int max = MAX_CALLER_FRAMES * rate / 50;
        if (caller.length < max) {
            caller = new short[max];
        }
        int len = Math.min(in.length, max);
        int keep = Math.min(callerCount, max - len);
        if (keep < callerCount) {
            // more than the jitter allowance is waiting: the oldest goes
            System.arraycopy(caller, callerCount - keep, caller, 0, keep);
        }
        System.arraycopy(in, in.length - len, caller, keep, len);
        callerCount = keep + len;
    }

    @Override
    public synchronized void closed() {
        if (closed) {
            return;
        }
        closed = true;
        if (rate == 0) {
            start(8000); // nothing was ever sent or received: an empty recording
        }
        if (chunkFrames > 0) {
            flush();
        }
        writer.close(this, gapFrames);
        gapFrames = 0;
    }

    /** Frames of the timeline so far (written, queued or dropped). */
    synchronized long frames() {
        return frames;
    }

    synchronized int rate() {
        return rate;
    }

    boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    private void start(int sampleRate) {
        rate = sampleRate;
        writer.open(this);
    }

    private void flush() {
        byte[] data = chunkFrames == CHUNK_FRAMES ? chunk : java.util.Arrays.copyOf(chunk, chunkFrames * rate / 50 * 4);
        if (writer.data(this, data, gapFrames)) {
            gapFrames = 0;
            chunk = null; // the writer owns the array now
        } else {
            gapFrames += chunkFrames;
            lost = true;
        }
        chunkFrames = 0;
    }

    /** {@code in} stretched or squeezed to {@code n} samples (nearest sample): only when the rate changed. */
    private static short[] resize(short[] in, int n) {
        if (in.length == n) {
            return in;
        }
        short[] out = new short[n];
        if (in.length == 0) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = in[(int) ((long) i * in.length / n)];
        }
        return out;
    }
}
