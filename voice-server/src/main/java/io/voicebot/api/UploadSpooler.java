package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.voicebot.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sits before the aggregator and takes the requests of upload routes (call lists): it checks the token from the
 * headers first (a 401/403 is sent before the body is read; with "Expect: 100-continue" the client then never
 * sends it), then writes the body to a file under the upload directory as it arrives, and passes the request on
 * as a {@link Spooled} message. Memory per upload is one network read; the size limit is http.max.upload.bytes.
 * Other requests pass through untouched. One instance per connection; runs on its event loop.
 */
final class UploadSpooler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(UploadSpooler.class);
    /** After a refusal the rest of a small body is read and dropped, so the client reads the answer; beyond, close. */
    private static final long DRAIN_LIMIT = 1 << 20;

    /** An upload whose body is complete in {@code file}; the receiver deletes the file when done. */
    record Spooled(String method, String uri, Map<String, String> headers, boolean keepAlive, long start, Path file) {}

    private enum State { PASS, AUTHORIZING, SPOOLING, DRAINING }

    private final Router router;
    private final ApiAuth auth;
    private final ExecutorService workers;
    private final Path dir;
    private final long maxBytes;
    private final ObjectMapper json;
    private final HttpMetrics requests;

    private State state = State.PASS;
    private HttpRequest head;
    private Map<String, String> headers;
    private String route;
    private long start;
    private final List<HttpContent> held = new ArrayList<>();
    private List<Object> after = new ArrayList<>();
    private boolean complete;
    private Path file;
    private FileChannel out;
    private long size;
    private long drained;

    UploadSpooler(Router router, ApiAuth auth, ExecutorService workers, Path dir, long maxBytes, ObjectMapper json,
                  Metrics metrics) {
        this.router = router;
        this.auth = auth;
        this.workers = workers;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.json = json;
        this.requests = new HttpMetrics(metrics);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.PASS) {
            if (msg instanceof HttpRequest req && !(msg instanceof FullHttpRequest)
                    && req.decoderResult().isSuccess()) {
                Router.Match m = router.find(req.method().name(), new QueryStringDecoder(req.uri()).path());
                if (m.route() != null && m.route().upload()) {
                    begin(ctx, req, m.route());
                    return;
                }
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (complete || !(msg instanceof HttpContent content)) {
            // A pipelined request after this upload's last byte: its turn comes once this one is passed on.
            if (state == State.DRAINING) {
                ReferenceCountUtil.release(msg);
            } else {
                after.add(msg);
            }
            return;
        }
        boolean last = content instanceof LastHttpContent;
        switch (state) {
            case AUTHORIZING -> {
                held.add(content);
                complete |= last;
            }
            case SPOOLING -> {
                try {
                    write(content.content());
                } catch (IOException e) {
                    refuse(ctx, 500, "cannot store the upload: " + e.getMessage(), null);
                    return;
                } finally {
                    content.release();
                }
                if (size > maxBytes) {
                    refuse(ctx, 413, tooLarge(), null);
                } else if (last) {
                    finish(ctx);
                }
            }
            case DRAINING -> {
                drained += content.content().readableBytes();
                content.release();
                if (last || drained > DRAIN_LIMIT) {
                    ctx.close();
                }
            }
            default -> content.release();
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req, Router.Route r) {
        state = State.AUTHORIZING;
        head = req;
        headers = HttpApiHandler.headers(req);
        route = r.method() + " " + r.pattern();
        start = System.nanoTime();
        // Nothing more is read until the token is known: at most what this read already brought is held.
        ctx.channel().config().setAutoRead(false);
        String path = new QueryStringDecoder(req.uri()).path();
        try {
            workers.execute(() -> {
                ApiAuth.Verdict v;
                try {
                    v = auth.check(headers.get("authorization"), req.method().name(), path, r.role());
                } catch (io.voicebot.store.StoreException e) {
                    if (!e.databaseUnavailable()) {
                        log.error("HTTP {} {}: token check failed", req.method(), path, e);
                    }
                    v = e.databaseUnavailable()
                            ? new ApiAuth.Verdict(null, 503, "database unavailable, try again later", null)
                            : new ApiAuth.Verdict(null, 500, "internal error", null);
                } catch (RuntimeException e) {
                    log.error("HTTP {} {}: token check failed", req.method(), path, e);
                    v = new ApiAuth.Verdict(null, 500, "internal error", null);
                }
                ApiAuth.Verdict verdict = v;
                ctx.executor().execute(() -> decided(ctx, verdict));
            });
        } catch (RejectedExecutionException e) {
            refuse(ctx, 503, "server busy, try again", null);
        }
    }

    private void decided(ChannelHandlerContext ctx, ApiAuth.Verdict v) {
        if (state != State.AUTHORIZING || !ctx.channel().isActive()) {
            return;
        }
        if (!v.allowed()) {
            refuse(ctx, v.status(), v.message(), v.challenge());
            return;
        }
        if (HttpUtil.getContentLength(head, -1L) > maxBytes) {
            refuse(ctx, 413, tooLarge(), null);
            return;
        }
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "upload-", ".part");
            out = FileChannel.open(file, StandardOpenOption.WRITE);
            for (HttpContent c : held) {
                write(c.content());
            }
        } catch (IOException e) {
            log.error("cannot store an upload under {}: {}", dir, e.toString());
            refuse(ctx, 500, "cannot store the upload: " + e.getMessage(), null);
            return;
        } finally {
            releaseHeld();
        }
        if (size > maxBytes) {
            refuse(ctx, 413, tooLarge(), null);
            return;
        }
        state = State.SPOOLING;
        if (complete) {
            finish(ctx);
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        ctx.channel().config().setAutoRead(true);
    }

    private void write(ByteBuf buf) throws IOException {
        size += buf.readableBytes();
        if (size > maxBytes) {
            return;
        }
        for (ByteBuffer b : buf.nioBuffers()) {
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
    }

    /** The whole body is in the file: hand the request on; the API handler owns the file from here. */
    private void finish(ChannelHandlerContext ctx) {
        try {
            out.close();
        } catch (IOException e) {
            refuse(ctx, 500, "cannot store the upload: " + e.getMessage(), null);
            return;
        }
        Spooled s = new Spooled(head.method().name(), head.uri(), headers, HttpUtil.isKeepAlive(head), start, file);
        out = null;
        file = null;
        reset();
        ctx.fireChannelRead(s);
        List<Object> next = after;
        after = new ArrayList<>();
        for (Object m : next) {
            channelRead(ctx, m);
        }
    }

    /** Answers with an error and ends the connection, after reading the rest of a small body so it is seen. */
    private void refuse(ChannelHandlerContext ctx, int status, String message, String challenge) {
        releaseHeld();
        releaseAfter();
        deleteFile();
        boolean bodyPending = !complete && !HttpUtil.is100ContinueExpected(head)
                && HttpUtil.getContentLength(head, DRAIN_LIMIT + 1) <= DRAIN_LIMIT;
        String r = route;
        reset();
        ObjectNode n = json.createObjectNode();
        n.put("error", message);
        n.put("status", status);
        byte[] body;
        try {
            body = json.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (challenge != null) {
            resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        }
        HttpUtil.setContentLength(resp, body.length);
        requests.record(r, status, 0);
        var f = ctx.writeAndFlush(resp);
        if (bodyPending) {
            state = State.DRAINING;
            drained = 0;
            ctx.channel().config().setAutoRead(true);
        } else {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private String tooLarge() {
        return "upload larger than http.max.upload.bytes (" + maxBytes + " bytes)";
    }

    private void reset() {
        state = State.PASS;
        head = null;
        headers = null;
        route = null;
        complete = false;
        size = 0;
    }

    private void releaseHeld() {
        for (HttpContent c : held) {
            ReferenceCountUtil.release(c);
        }
        held.clear();
    }

    /** What was read past this upload is lost with the connection. */
    private void releaseAfter() {
        for (Object m : after) {
            ReferenceCountUtil.release(m);
        }
        after.clear();
    }

    private void deleteFile() {
        try {
            if (out != null) {
                out.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("cannot delete upload file {}: {}", file, e.getMessage());
        } finally {
            out = null;
            file = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseHeld();
        releaseAfter();
        deleteFile();
        reset();
        super.channelInactive(ctx);
    }
}
