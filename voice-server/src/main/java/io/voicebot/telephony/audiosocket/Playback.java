package io.voicebot.telephony.audiosocket;

import java.util.concurrent.CompletableFuture;

/** One queued piece of outbound audio. */
public final class Playback {
    private final AudioChannel channel;
    final short[] pcm;
    int position; // guarded by channel's lock
    long stopsBefore; // the channel's stopPlayback count when this was queued; guarded by channel's lock
    boolean stopped; // by stop(), or never queued; guarded by channel's lock
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private volatile long startedNanos; // System.nanoTime() when its first frame was written; 0 before

    Playback(AudioChannel channel, short[] pcm) {
        this.channel = channel;
        this.pcm = pcm;
    }

    /** Completes with true when the last sample was sent, false when stopped or the session ended first. */
    public CompletableFuture<Boolean> done() {
        return done;
    }

    /** {@link System#nanoTime()} when the first frame of this audio was sent to Asterisk; 0 if not yet. */
    public long startedNanos() {
        return startedNanos;
    }

    void markStarted(long nanos) {
        if (startedNanos == 0) {
            startedNanos = nanos;
        }
    }

    /** Stops this playback (it is removed from the queue; what follows it plays on). */
    public void stop() {
        channel.stop(this);
    }

    CompletableFuture<Boolean> future() {
        return done;
    }
}
