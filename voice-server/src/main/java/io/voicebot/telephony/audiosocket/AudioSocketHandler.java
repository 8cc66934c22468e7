package io.voicebot.telephony.audiosocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.voicebot.log.CallLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** One AudioSocket connection: UUID first (within the timeout), then audio and DTMF to the listener. */
final class AudioSocketHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger log = LoggerFactory.getLogger(AudioSocketHandler.class);
    /** Frames that may arrive while the acceptor decides (about 1 s of audio); more ends the session. */
    private static final int MAX_HELD_FRAMES = 50;
    /**
     * No inbound frame for this long is a gap: Asterisk sends no frames while the far end sends no audio (a Local
     * channel in Wait(), a trunk with silence suppression). The listener then gets silence frames on the pacer's
     * 20 ms clock, so that timers counted in received audio (no-input, end of speech, answering-machine analysis)
     * still run. Real frames replace them as soon as they arrive again.
     */
    static final long GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(AudioChannel.FRAME_MS);

    private enum State { AWAITING_UUID, ACCEPTING, STREAMING, CLOSED }

    private final AudioSessionAcceptor acceptor;
    private final Executor executor;
    private final FramePacer pacer;
    private final Duration uuidTimeout;
    /** No frame of any kind for this long closes the session as a media timeout; 0: never. */
    private final long mediaTimeoutNanos;
    /** When the last frame of any kind arrived from the peer. */
    private volatile long lastFrameNanos;
    private volatile boolean mediaCheckQueued;
    private State state = State.AWAITING_UUID;
    private ScheduledFuture<?> uuidDeadline;
    private AudioChannel audio;
    private AudioListener listener;
    private final List<Frame> held = new ArrayList<>();
    /** When the last inbound audio (real, or filled in for a gap) reached the listener. */
    private volatile long lastAudioNanos;
    private final RateMismatch rates = new RateMismatch(); // frames of another rate than the session's
    private volatile boolean gapFillQueued;

    AudioSocketHandler(AudioSessionAcceptor acceptor, Executor executor, FramePacer pacer, Duration uuidTimeout,
                       Duration mediaTimeout) {
        this.acceptor = acceptor;
        this.executor = executor;
        this.pacer = pacer;
        this.uuidTimeout = uuidTimeout;
        this.mediaTimeoutNanos = mediaTimeout.toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        uuidDeadline = ctx.executor().schedule(() -> {
            if (state == State.AWAITING_UUID) {
                log.warn("AudioSocket from {} closed: no UUID frame within {} ms", ctx.channel().remoteAddress(),
                        uuidTimeout.toMillis());
                end(ctx, null);
            }
        }, uuidTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        switch (state) {
            case AWAITING_UUID -> onFirstFrame(ctx, frame);
            case ACCEPTING -> {
                if (held.size() >= MAX_HELD_FRAMES) {
                    warn("closed: acceptor took longer than " + MAX_HELD_FRAMES + " frames to decide");
                    end(ctx, null);
                } else {
                    held.add(frame);
                }
            }
            case STREAMING -> onFrame(ctx, frame);
            case CLOSED -> { }
        }
    }

    private void onFirstFrame(ChannelHandlerContext ctx, Frame frame) {
        uuidDeadline.cancel(false);
        if (frame.kind() != Frame.Kind.UUID) {
            log.warn("AudioSocket from {} closed: first frame was {} but must be UUID", ctx.channel().remoteAddress(),
                    frame.kind());
            end(ctx, null);
            return;
        }
        audio = new AudioChannel(frame.uuid(), ctx.channel(), executor);
        state = State.ACCEPTING;
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> accept(ctx));
        } catch (RejectedExecutionException e) {
            warn("closed: executor refused the session");
            end(ctx, null);
        }
    }

    private void accept(ChannelHandlerContext ctx) {
        Optional<AudioListener> result;
        try (var ignored = CallLog.call(audio.uuid().toString())) {
            try {
                result = acceptor.accept(audio);
            } catch (Exception e) {
                log.warn("AudioSocket acceptor failed", e);
                result = Optional.empty();
            }
        }
        Optional<AudioListener> decided = result;
        ctx.executor().execute(() -> {
            if (state != State.ACCEPTING) {
                decided.ifPresent(AudioListener::onHangup); // closed while deciding
                return;
            }
            if (decided.isEmpty()) {
                warn("rejected by the acceptor, closing");
                end(ctx, null);
                return;
            }
            listener = decided.get();
            state = State.STREAMING;
            lastAudioNanos = System.nanoTime();
            lastFrameNanos = lastAudioNanos;
            audio.onTick(() -> {
                // on the pacer thread: only a cheap check here; the listener is called on the channel's loop
                long now = System.nanoTime();
                if (!gapFillQueued && now - lastAudioNanos >= GAP_NANOS) {
                    gapFillQueued = true;
                    ctx.executor().execute(() -> fillGap(ctx));
                }
                if (mediaTimeoutNanos > 0 && !mediaCheckQueued && now - lastFrameNanos >= mediaTimeoutNanos) {
                    mediaCheckQueued = true;
                    ctx.executor().execute(() -> mediaTimeout(ctx));
                }
            });
            pacer.add(audio);
            for (Frame f : held) {
                onFrame(ctx, f);
            }
            held.clear();
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** One 20 ms silence frame for the listener while no audio arrives (see {@link #GAP_NANOS}). */
    private void fillGap(ChannelHandlerContext ctx) {
        gapFillQueued = false;
        if (state != State.STREAMING || System.nanoTime() - lastAudioNanos < GAP_NANOS) {
            return;
        }
        lastAudioNanos += FRAME_NANOS;
        int rate = audio.sampleRate();
        try {
            listener.onAudio(new short[rate * AudioChannel.FRAME_MS / 1000], rate);
        } catch (RuntimeException e) {
            warn("closed: listener failed: " + e);
            end(ctx, null);
        }
    }

    /** No frame for the media timeout: the peer is gone though its connection is open. */
    private void mediaTimeout(ChannelHandlerContext ctx) {
        long silent = System.nanoTime() - lastFrameNanos;
        if (state != State.STREAMING || silent < mediaTimeoutNanos) {
            mediaCheckQueued = false;
            return;
        }
        warn("closed: no frame from the peer for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (media timeout)");
        AudioListener l = listener;
        listener = null; // end() must not report this as a hangup
        end(ctx, null);
        try {
            l.onMediaTimeout(TimeUnit.NANOSECONDS.toMillis(silent));
        } catch (RuntimeException e) {
            warn("listener failed in onMediaTimeout: " + e);
        }
    }

    private void onFrame(ChannelHandlerContext ctx, Frame frame) {
        if (state != State.STREAMING) {
            return;
        }
        lastFrameNanos = System.nanoTime();
        try {
            switch (frame.kind()) {
                case DTMF -> listener.onDtmf(frame.digit());
                case SILENCE -> { }
                case HANGUP -> {
                    info("ended by a hangup frame from the peer");
                    end(ctx, null);
                }
                case ERROR -> {
                    warn("ended by an error frame from the peer: " + HexFormat.of().formatHex(frame.payload()));
                    end(ctx, null);
                }
                case UUID -> {
                    warn("closed: second UUID frame");
                    end(ctx, null);
                }
                default -> {
                    lastAudioNanos = System.nanoTime();
                    int rate = frame.kind().sampleRate();
                    audio.audioRate(rate);
                    short[] samples = frame.samples();
                    if (rate != audio.sampleRate()) { // see RateMismatch: converted, the call goes on
                        if (rates.firstTime()) {
                            warn("audio frame at " + rate + " Hz in a " + audio.sampleRate() + " Hz session: "
                                    + "converted to " + audio.sampleRate() + " Hz (further ones silently)");
                        }
                        samples = RateMismatch.convert(samples, rate, audio.sampleRate());
                        rate = audio.sampleRate();
                    }
                    audio.received(samples, rate);
                    listener.onAudio(samples, rate);
                }
            }
        } catch (RuntimeException e) {
            warn("closed: listener failed: " + e);
            end(ctx, null);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.STREAMING) {
            // Our own hangup frame also ends here, when the close it is written with completes.
            info(audio.hangupSent() ? "ended by voicebot (hangup frame sent)" : "closed by the peer");
        }
        end(ctx, null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(ctx, cause);
    }

    private void end(ChannelHandlerContext ctx, Throwable cause) {
        if (uuidDeadline != null) {
            uuidDeadline.cancel(false);
        }
        State was = state;
        if (was == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (cause != null) {
            String who = audio == null ? String.valueOf(ctx.channel().remoteAddress()) : audio.uuid().toString();
            try (var ignored = CallLog.call(who)) {
                log.warn("AudioSocket closed: {}", cause instanceof AudioSocketCodecException ? cause.getMessage()
                        : cause.toString());
            }
        }
        if (audio != null) {
            pacer.remove(audio);
            audio.closed();
        }
        ctx.close();
        if (was == State.STREAMING && listener != null) {
            try {
                listener.onHangup();
            } catch (RuntimeException e) {
                warn("listener failed in onHangup: " + e);
            }
        }
    }

    private void warn(String message) {
        try (var ignored = CallLog.call(audio.uuid().toString())) {
            log.warn("AudioSocket {}", message);
        }
    }

    private void info(String message) {
        try (var ignored = CallLog.call(audio.uuid().toString())) {
            log.info("AudioSocket {}", message);
        }
    }
}
