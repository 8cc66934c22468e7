package io.voicebot.telephony.audiosocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The voicebot side of one AudioSocket session: queue audio for the caller, barge in, hang up.
 * Thread-safe; outbound audio leaves in 20 ms frames paced by the {@link FramePacer}.
 */
public final class AudioChannel {
    static final int FRAME_MS = 20;

    private final UUID uuid;
    private final Channel channel;
    private final Executor callbacks;
    private final ArrayDeque<Playback> queue = new ArrayDeque<>();
    private volatile int sampleRate = 8000; // app_audiosocket forces slin (8 kHz) until audio says otherwise
    private boolean rateKnown;
    private boolean closing; // guarded by queue
    private boolean hangupSent; // guarded by queue
    private Frame.Kind outKind = Frame.Kind.AUDIO;
    private short[] silence = new short[8000 * FRAME_MS / 1000];
    private long framesSent;
    private long stops; // stopPlayback calls so far, guarded by queue: a playAfter behind a stopped playback drops
    /** Run on each pacer tick (the inbound gap filler); null until the session streams. */
    private volatile Runnable onTick;
    /** Sees both directions (a call recorder); null when nobody listens in. */
    private volatile AudioTap tap;

    AudioChannel(UUID uuid, Channel channel, Executor callbacks) {
        this.uuid = uuid;
        this.channel = channel;
        this.callbacks = callbacks;
    }

    public UUID uuid() {
        return uuid;
    }

    /** Sample rate of the session: that of the first audio frame's kind; 8000 before any audio arrived. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Queues pcm (mono, at {@link #sampleRate()}) after whatever is playing or queued. */
    public Playback play(short[] pcm) {
        return play(null, pcm);
    }

    /**
     * Queues pcm after {@code previous} (the earlier part of the same speech, queued by this channel) unless a
     * {@link #stopPlayback} or {@link Playback#stop} came since {@code previous} was queued: then nothing plays and
     * the returned playback completes with false. A prompt's sentence that finishes synthesizing after a barge-in
     * stopped the sentences before it stays silent this way, whichever thread queues it.
     */
    public Playback playAfter(Playback previous, short[] pcm) {
        return play(previous, pcm);
    }

    private Playback play(Playback previous, short[] pcm) {
        Playback p = new Playback(this, pcm.clone());
        boolean rejected;
        synchronized (queue) {
            rejected = closing || previous != null && (previous.stopped || previous.stopsBefore != stops);
            if (!rejected) {
                p.stopsBefore = stops;
                queue.addLast(p);
            } else {
                p.stopped = true; // and so is whatever is queued behind it
            }
        }
        if (rejected || pcm.length == 0) {
            if (!rejected) {
                stop(p);
            }
            complete(p, !rejected && pcm.length == 0);
        }
        return p;
    }

    /** Barge-in: drops everything playing or queued; the next paced frame is silence. */
    public void stopPlayback() {
        List<Playback> dropped;
        synchronized (queue) {
            dropped = new ArrayList<>(queue);
            queue.clear();
            stops++;
        }
        dropped.forEach(p -> complete(p, false));
    }

    /** Sends a kind 0x00 frame and closes: AudioSocket() returns 0 and the dialplan (or AGI) goes on. */
    public void hangup() {
        synchronized (queue) {
            if (closing) {
                return;
            }
            closing = true;
            hangupSent = true;
            // Under the lock so no paced frame can follow the hangup frame.
            channel.writeAndFlush(Frame.hangup()).addListener(ChannelFutureListener.CLOSE);
        }
        stopPlayback();
    }

    public boolean isOpen() {
        synchronized (queue) {
            return !closing && channel.isActive();
        }
    }

    /** True once voicebot ended the session with its hangup frame (as opposed to Asterisk closing it). */
    boolean hangupSent() {
        synchronized (queue) {
            return hangupSent;
        }
    }

    /** Frames paced so far (audio or silence). */
    public long framesSent() {
        synchronized (queue) {
            return framesSent;
        }
    }

    void stop(Playback p) {
        boolean removed;
        synchronized (queue) {
            removed = queue.remove(p);
            p.stopped = true;
        }
        if (removed) {
            complete(p, false);
        }
    }

    /** Lets {@code t} see every frame sent and received from now on, and the end of the session. */
    public void tap(AudioTap t) {
        tap = t;
    }

    /** Called by the I/O thread with each audio frame the caller sent. */
    void received(short[] samples, int rate) {
        AudioTap t = tap;
        if (t != null) {
            t.caller(samples, rate);
        }
    }

    void onTick(Runnable r) {
        onTick = r;
    }

    /** Called by the I/O thread on each inbound audio frame. */
    void audioRate(int rate) {
        if (!rateKnown) {
            rateKnown = true;
            if (rate != sampleRate) {
                synchronized (queue) {
                    sampleRate = rate;
                    outKind = Frame.Kind.audioFor(rate);
                    silence = new short[rate * FRAME_MS / 1000];
                }
            }
        }
    }

    /** The session ended: nothing more is sent, pending playbacks complete with false. */
    void closed() {
        synchronized (queue) {
            closing = true;
        }
        AudioTap t = tap;
        tap = null;
        if (t != null) {
            t.closed();
        }
        stopPlayback();
    }

    /** One pacer tick: writes exactly one frame (audio if any is queued, else silence). */
    void tick() {
        List<Playback> finished = null;
        synchronized (queue) {
            if (closing) {
                return;
            }
            int n = silence.length;
            Frame frame;
            short[] pcm = silence;
            if (queue.isEmpty()) {
                frame = new Frame(outKind, null, silence);
            } else {
                short[] out = new short[n];
                int filled = 0;
                while (filled < n && !queue.isEmpty()) {
                    Playback p = queue.peekFirst();
                    if (p.position == 0) {
                        p.markStarted(System.nanoTime());
                    }
                    int take = Math.min(n - filled, p.pcm.length - p.position);
                    System.arraycopy(p.pcm, p.position, out, filled, take);
                    p.position += take;
                    filled += take;
                    if (p.position == p.pcm.length) {
                        queue.removeFirst();
                        if (finished == null) {
                            finished = new ArrayList<>(2);
                        }
                        finished.add(p);
                    }
                }
                frame = new Frame(outKind, null, out);
                pcm = out;
            }
            framesSent++;
            AudioTap t = tap;
            if (t != null) {
                t.robot(pcm, sampleRate);
            }
            // A peer that stopped reading must not make us buffer without bound: drop the frame instead.
            if (channel.isWritable()) {
                channel.writeAndFlush(frame, channel.voidPromise());
            }
        }
        if (finished != null) {
            finished.forEach(p -> complete(p, true));
        }
        Runnable r = onTick;
        if (r != null) {
            r.run();
        }
    }

    private void complete(Playback p, boolean played) {
        // Off the pacer and I/O threads: a callback that blocks must not delay anyone's frames.
        callbacks.execute(() -> p.future().complete(played));
    }
}
