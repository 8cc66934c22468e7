package io.voicebot.telephony.agi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import io.voicebot.log.CallLog;
import io.voicebot.log.PhoneMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One FastAGI connection: reads the environment, then hands the session to its script on the executor. */
final class AgiSessionHandler extends SimpleChannelInboundHandler<String> {
    private static final Logger log = LoggerFactory.getLogger(AgiSessionHandler.class);

    private enum State { ENVIRONMENT, RUNNING, CLOSED }

    private final AgiRouter router;
    private final ExecutorService executor;
    private final Duration commandTimeout;
    private final AtomicInteger active;
    private final List<String> envLines = new ArrayList<>();
    private State state = State.ENVIRONMENT;
    private AgiCall call;
    private ScheduledFuture<?> envDeadline;

    private final int maxReplyChars;

    AgiSessionHandler(AgiRouter router, ExecutorService executor, Duration commandTimeout, AtomicInteger active,
                      int maxReplyChars) {
        this.maxReplyChars = maxReplyChars;
        this.router = router;
        this.executor = executor;
        this.commandTimeout = commandTimeout;
        this.active = active;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Asterisk writes the whole environment at once; a peer that stalls here is not Asterisk.
        envDeadline = ctx.executor().schedule(() -> {
            if (state == State.ENVIRONMENT) {
                log.warn("FastAGI session from {} closed: no complete environment within {} ms ({} lines read)",
                        ctx.channel().remoteAddress(), commandTimeout.toMillis(), envLines.size());
                end(ctx);
            }
        }, commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        switch (state) {
            case ENVIRONMENT -> readEnvironment(ctx, line);
            case RUNNING -> call.onLine(line);
            case CLOSED -> { }
        }
    }

    private void readEnvironment(ChannelHandlerContext ctx, String line) {
        if (!line.isEmpty()) {
            if (line.equals("agi_network: yes")) {
                return; // launch_netscript's first line, before agi_network_script and setup_env
            }
            if (envLines.size() >= AgiRequest.MAX_LINES) {
                log.warn("FastAGI session from {} closed: environment longer than {} lines",
                        ctx.channel().remoteAddress(), AgiRequest.MAX_LINES);
                end(ctx);
                return;
            }
            envLines.add(line);
            return;
        }
        envDeadline.cancel(false);
        AgiRequest request;
        try {
            request = AgiRequest.parse(envLines);
        } catch (AgiProtocolException e) {
            log.warn("FastAGI session from {} closed: {}", ctx.channel().remoteAddress(), e.getMessage());
            end(ctx);
            return;
        }
        call = new AgiCall(request, ctx.channel(), commandTimeout);
        call.maxReplyChars(maxReplyChars);
        state = State.RUNNING;
        AgiScript script = router.route(request.script()).orElse(null);
        try {
            executor.execute(() -> runScript(request, script));
        } catch (RejectedExecutionException e) {
            try (var ignored = CallLog.call(request.uniqueId())) {
                log.warn("FastAGI session {} refused: all agi.max.sessions threads are busy", request.script());
            }
            end(ctx);
        }
    }

    private void runScript(AgiRequest request, AgiScript script) {
        active.incrementAndGet();
        try (var ignored = CallLog.call(request.uniqueId())) {
            if (script == null) {
                log.warn("FastAGI request for unknown script '{}' (channel {}), closing", request.script(),
                        PhoneMask.channel(request.channel()));
                try {
                    // No HANGUP: the dialplan continues and can route on VOICEBOT_ERROR.
                    call.setVariable("VOICEBOT_ERROR", "unknown AGI script " + request.script());
                    call.verbose("voicebot: unknown AGI script " + request.script(), 1);
                } catch (AgiException e) {
                    log.warn("could not report the unknown script to Asterisk: {}", e.getMessage());
                }
                return;
            }
            log.info("AGI {} started: channel {}, caller {}, params {}", request.script(),
                    PhoneMask.channel(request.channel()),
                    PhoneMask.mask(request.callerId()), request.parameters().keySet());
            try {
                script.run(call);
                log.info("AGI {} finished", request.script());
            } catch (AgiHangupException e) {
                log.info("AGI {} ended by hangup: {}", request.script(), e.getMessage());
            } catch (AgiException e) {
                log.warn("AGI {} ended: {}", request.script(), e.getMessage());
            } catch (Exception e) {
                log.error("AGI {} failed", request.script(), e);
            }
        } finally {
            active.decrementAndGet();
            // Closing the socket is how a FastAGI script returns control to the dialplan.
            call.onClose();
            call.channelClose();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (envDeadline != null) {
            envDeadline.cancel(false);
        }
        if (state == State.ENVIRONMENT && !envLines.isEmpty()) {
            log.warn("FastAGI session from {} closed by the peer before the blank line ending the environment "
                    + "({} lines read)", ctx.channel().remoteAddress(), envLines.size());
        }
        state = State.CLOSED;
        if (call != null) {
            call.onClose();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String who = call == null ? String.valueOf(ctx.channel().remoteAddress()) : call.request().uniqueId();
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            log.warn("FastAGI session {} closed: line longer than {} bytes", who, AgiRequest.MAX_LINE);
        } else {
            log.warn("FastAGI session {} closed: {}", who, cause.toString());
        }
        end(ctx);
    }

    private void end(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        ctx.close();
    }
}
