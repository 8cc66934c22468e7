package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * One HTTP connection. Each request is handed to the worker pool, one at a time per connection; reading pauses
 * until the queued requests are answered, so pipelined requests are answered in order and a client cannot
 * queue unbounded work.
 */
final class HttpApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);

    private final RequestDispatcher dispatcher;
    private final ExecutorService workers;
    private final HttpMetrics requests;

    HttpApiHandler(Router router, ApiAuth auth, Metrics metrics, HealthChecks health, ObjectMapper json,
                   ExecutorService workers, ApiAudit audit) {
        this.dispatcher = new RequestDispatcher(router, auth, metrics, health, json, audit);
        this.workers = workers;
        this.requests = new HttpMetrics(metrics);
    }

    /**
     * A decoded request waiting for its turn; {@code failure} is set when it could not be decoded. The body is in
     * {@code body}, or for an upload route in {@code bodyFile}, which is deleted once the request is answered.
     */
    private record Pending(String method, String uri, Map<String, String> headers, byte[] body, Path bodyFile,
                           boolean keepAlive, long start, String failure) {}

    // Touched only on this channel's event loop.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            try {
                accept(ctx, req);
            } finally {
                req.release();
            }
        } else if (msg instanceof UploadSpooler.Spooled up) {
            enqueue(ctx, new Pending(up.method(), up.uri(), up.headers(), new byte[0], up.file(), up.keepAlive(),
                    up.start(), null));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void accept(ChannelHandlerContext ctx, FullHttpRequest req) {
        long start = System.nanoTime();
        if (req.decoderResult().isFailure()) {
            enqueue(ctx, new Pending(null, null, null, null, null, false, start,
                    "malformed HTTP request: " + req.decoderResult().cause().getMessage()));
        } else {
            enqueue(ctx, new Pending(req.method().name(), req.uri(), headers(req), ByteBufUtil.getBytes(req.content()),
                    null, HttpUtil.isKeepAlive(req), start, null));
        }
    }

    /** Header names in lower case; the first of repeated headers. */
    static Map<String, String> headers(HttpRequest req) {
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(e -> headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a));
        return headers;
    }

    private void enqueue(ChannelHandlerContext ctx, Pending p) {
        // Several pipelined requests can arrive in one read: queue them and answer one at a time, in order.
        ctx.channel().config().setAutoRead(false);
        queue.add(p);
        if (!busy) {
            next(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropQueued();
        super.channelInactive(ctx);
    }

    /** Forgets queued requests (the connection is closing), deleting their upload files. */
    private void dropQueued() {
        for (Pending p : queue) {
            deleteBody(p);
        }
        queue.clear();
    }

    private static void deleteBody(Pending p) {
        if (p.bodyFile != null) {
            try {
                Files.deleteIfExists(p.bodyFile);
            } catch (IOException e) {
                log.warn("cannot delete upload file {}: {}", p.bodyFile, e.getMessage());
            }
        }
    }

    private void next(ChannelHandlerContext ctx) {
        Pending p = queue.poll();
        if (p == null) {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        if (p.failure != null) {
            // A malformed request ends this connection only.
            write(ctx, dispatcher.error(400, p.failure, "invalid"), false, p.start);
            return;
        }
        try {
            workers.execute(() -> {
                HttpReply r;
                try {
                    r = dispatcher.handle(p.method, p.uri, p.headers, p.body, p.bodyFile);
                } catch (StoreException e) {
                    r = dispatcher.storeFailure(p.method, new QueryStringDecoder(p.uri).path(), e, "error");
                } catch (RuntimeException e) {
                    log.error("HTTP {} {} failed", p.method, new QueryStringDecoder(p.uri).path(), e);
                    r = dispatcher.error(500, "internal error", "error");
                } finally {
                    deleteBody(p);
                }
                HttpReply reply = r;
                if (reply.stream() != null) {
                    stream(ctx, reply, p.keepAlive, p.start); // on this worker: it blocks while the client reads
                    return;
                }
                ctx.executor().execute(() -> write(ctx, reply, p.keepAlive, p.start));
            });
        } catch (RejectedExecutionException e) {
            deleteBody(p);
            write(ctx, dispatcher.error(503, "server busy, try again", "busy"), false, p.start);
        }
    }

    private void write(ChannelHandlerContext ctx, HttpReply r, boolean keepAlive, long start) {
        if (r.file() != null) {
            writeFile(ctx, r, keepAlive, start);
            return;
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        r.headers().forEach((k, v) -> resp.headers().set(k, v));
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(resp, r.body().length);
        boolean keep = keepAlive;
        if (keep) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        requests.record(r.route(), r.status(), start);
        afterWrite(ctx, ctx.writeAndFlush(resp), keep);
    }

    /** A file body goes out as a file region (zero-copy), never read into memory. */
    private void writeFile(ChannelHandlerContext ctx, HttpReply r, boolean keepAlive, long start) {
        long length;
        try {
            length = r.file().size();
        } catch (IOException e) {
            try {
                r.file().close();
            } catch (IOException ignored) {
                // reported below
            }
            write(ctx, dispatcher.error(500, "cannot read the file: " + e.getMessage(), r.route()), keepAlive, start);
            return;
        }
        requests.record(r.route(), r.status(), start);
        var f = LargeBodyWriter.file(ctx, r.status(), r.contentType(), r.file(), length, keepAlive);
        afterWrite(ctx, f, keepAlive);
    }

    /** Sends a streamed body (see LargeBodyWriter#stream) on this worker thread; a cut body ends the connection. */
    private void stream(ChannelHandlerContext ctx, HttpReply r, boolean keepAlive, long start) {
        boolean ok = LargeBodyWriter.stream(ctx, r.status(), r.contentType(), r.headers(), r.stream(), keepAlive, r.route());
        requests.record(r.route(), r.status(), start);
        if (!ok) {
            ctx.close();
            return;
        }
        afterWrite(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
    }

    /** Once a reply is out: the next pipelined request, or the end of the connection. */
    private void afterWrite(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture f, boolean keepAlive) {
        if (keepAlive) {
            f.addListener(done -> next(ctx));
        } else {
            dropQueued();
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            // Idle means an idle keep-alive connection; a request being handled (say a long import) is not.
            if (!busy) {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
