package io.voicebot.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.voicebot.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Before any body of an /api route is read, its token is checked from the headers: a request without a token is
 * answered 401 at once; one with a token has it looked up on the bounded worker pool while reading is paused
 * (at most what the current network read brought is held), and a bogus, expired or revoked token, or a role too
 * low for the route, is answered 401/403 and the connection closed — the body is never read. So clients
 * without a valid token cannot make the server buffer bodies (up to http.max.body.bytes each). Upload routes
 * have the same check in UploadSpooler; requests without a body and public routes pass untouched.
 * One instance per connection; runs on its event loop.
 */
final class AuthBeforeBody extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AuthBeforeBody.class);

    private enum State { PASS, AUTHORIZING, REFUSED }

    private final Router router;
    private final ApiAuth auth;
    private final ExecutorService workers;
    private final HttpMetrics requests;
    private State state = State.PASS;
    /** While AUTHORIZING: the request head and whatever arrived after it, in order. */
    private final List<Object> held = new ArrayList<>();

    AuthBeforeBody(Router router, ApiAuth auth, ExecutorService workers, io.voicebot.metrics.Metrics metrics) {
        this.router = router;
        this.auth = auth;
        this.workers = workers;
        this.requests = new HttpMetrics(metrics);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case REFUSED -> ReferenceCountUtil.release(msg);
            case AUTHORIZING -> held.add(msg);
            default -> {
                Router.Route r = guarded(msg);
                if (r == null) {
                    ctx.fireChannelRead(msg);
                } else {
                    authorize(ctx, (HttpRequest) msg, r);
                }
            }
        }
    }

    /** The route of a request whose body must wait for its token, or null. */
    private Router.Route guarded(Object msg) {
        if (!(msg instanceof HttpRequest req) || !req.decoderResult().isSuccess() || !hasBody(req)) {
            return null;
        }
        Router.Match m = router.find(req.method().name(), new QueryStringDecoder(req.uri()).path());
        // upload routes have their own check before the body (UploadSpooler); public routes need no token
        return m.route() == null || m.route().upload() || m.route().role() == null ? null : m.route();
    }

    private void authorize(ChannelHandlerContext ctx, HttpRequest req, Router.Route r) {
        String route = r.method() + " " + r.pattern();
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (!bearer(authorization)) {
            ReferenceCountUtil.release(req);
            refuse(ctx, new ApiAuth.Verdict(null, 401, "missing bearer token (send Authorization: Bearer <token>)",
                    "Bearer realm=\"voicebot\""), route);
            return;
        }
        state = State.AUTHORIZING;
        held.add(req);
        ctx.channel().config().setAutoRead(false);
        String method = req.method().name();
        String path = new QueryStringDecoder(req.uri()).path();
        try {
            workers.execute(() -> {
                ApiAuth.Verdict v = check(authorization, method, path, r);
                ctx.executor().execute(() -> decided(ctx, v, route));
            });
        } catch (RejectedExecutionException e) {
            refuse(ctx, new ApiAuth.Verdict(null, 503, "server busy, try again", null), route);
        }
    }

    private ApiAuth.Verdict check(String authorization, String method, String path, Router.Route r) {
        try {
            return auth.check(authorization, method, path, r.role());
        } catch (StoreException e) {
            if (e.databaseUnavailable()) {
                return new ApiAuth.Verdict(null, 503, "database unavailable, try again later", null);
            }
            log.error("HTTP {} {}: token check failed", method, path, e);
        } catch (RuntimeException e) {
            log.error("HTTP {} {}: token check failed", method, path, e);
        }
        return new ApiAuth.Verdict(null, 500, "internal error", null);
    }

    private void decided(ChannelHandlerContext ctx, ApiAuth.Verdict v, String route) {
        if (state != State.AUTHORIZING) {
            return; // the connection closed meanwhile
        }
        if (!v.allowed()) {
            refuse(ctx, v, route);
            return;
        }
        // The token is good: the request goes on as if it had never been held; the API handler checks it again
        // with the rest of the request (cheap: one indexed lookup).
        state = State.PASS;
        List<Object> msgs = new ArrayList<>(held);
        held.clear();
        boolean complete = false;
        int i = 0;
        for (; i < msgs.size() && !complete; i++) {
            complete = msgs.get(i) instanceof LastHttpContent;
            ctx.fireChannelRead(msgs.get(i));
        }
        // a pipelined request after this one's last byte: checked like any other
        for (; i < msgs.size(); i++) {
            channelRead(ctx, msgs.get(i));
        }
        if (!complete && state == State.PASS) {
            // the rest of the body is still on the wire; once complete, the API handler paces reading
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelReadComplete();
    }

    /** Answers 401/403/503 without reading the body, and ends the connection. */
    private void refuse(ChannelHandlerContext ctx, ApiAuth.Verdict v, String route) {
        state = State.REFUSED;
        releaseHeld();
        ctx.channel().config().setAutoRead(false);
        byte[] body = ("{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(v.message()))
                + "\",\"status\":" + v.status() + "}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(v.status()), Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (v.challenge() != null) {
            resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, v.challenge());
        }
        if (v.status() == 503) {
            resp.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        }
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(resp, body.length);
        requests.record(route, v.status(), 0);
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseHeld() {
        for (Object m : held) {
            ReferenceCountUtil.release(m);
        }
        held.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        state = State.REFUSED;
        super.channelInactive(ctx);
    }

    private static boolean hasBody(HttpRequest req) {
        return HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req);
    }

    private static boolean bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.length() > 7;
    }
}
