package io.voicebot.api;

import io.voicebot.store.Role;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
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

    private final Router router;
    private final ApiAuth auth;
    private final HealthChecks health;
    private final ObjectMapper json;
    private final ExecutorService workers;
    private final Metrics metrics;
    private final HttpMetrics requests;
    private final ApiAudit audit; // null: changes are not audited (unit tests of the pipeline)

    /**
     * What the worker produced, written back on the event loop; {@code file} (opened by the worker) is sent
     * instead of {@code body} when set; {@code stream} is written by the worker itself.
     */
    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers, String route,
                         java.nio.channels.FileChannel file, ApiResponse.Streamed stream) {
        Reply(int status, String contentType, byte[] body, Map<String, String> headers, String route) {
            this(status, contentType, body, headers, route, null, null);
        }
    }

    HttpApiHandler(Router router, ApiAuth auth, Metrics metrics, HealthChecks health, ObjectMapper json,
                   ExecutorService workers, ApiAudit audit) {
        this.audit = audit;
        this.router = router;
        this.auth = auth;
        this.health = health;
        this.json = json;
        this.workers = workers;
        this.metrics = metrics;
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
            write(ctx, error(400, p.failure, "invalid"), false, p.start);
            return;
        }
        try {
            workers.execute(() -> {
                Reply r;
                try {
                    r = handle(p.method, p.uri, p.headers, p.body, p.bodyFile);
                } catch (StoreException e) {
                    r = storeFailure(p.method, new QueryStringDecoder(p.uri).path(), e, "error");
                } catch (RuntimeException e) {
                    log.error("HTTP {} {} failed", p.method, new QueryStringDecoder(p.uri).path(), e);
                    r = error(500, "internal error", "error");
                } finally {
                    deleteBody(p);
                }
                Reply reply = r;
                if (reply.stream() != null) {
                    stream(ctx, reply, p.keepAlive, p.start); // on this worker: it blocks while the client reads
                    return;
                }
                ctx.executor().execute(() -> write(ctx, reply, p.keepAlive, p.start));
            });
        } catch (RejectedExecutionException e) {
            deleteBody(p);
            write(ctx, error(503, "server busy, try again", "busy"), false, p.start);
        }
    }

    private Reply handle(String method, String uri, Map<String, String> headers, byte[] body, Path bodyFile) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        String path = q.path();
        if (ApiDescription.FIXED_PATHS.contains(path)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                Reply r = error(405, "method " + method + " not allowed on " + path, "unmatched");
                r.headers.put("Allow", "GET, HEAD");
                return r;
            }
            return switch (path) {
                case "/health" -> health();
                case "/ready" -> ready();
                case "/metrics" -> new Reply(200, Metrics.CONTENT_TYPE,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8), new HashMap<>(), "GET " + path);
                case "/openapi.json" -> new Reply(200, "application/json", ApiDescription.json(), new HashMap<>(),
                        "GET " + path);
                default -> new Reply(200, "text/html; charset=utf-8", ApiDescription.page(), new HashMap<>(),
                        "GET " + path);
            };
        }
        StaticFileReplies.Answer staticFile = StaticFileReplies.answer(router.files, method, path);
        if (staticFile != null) {
            return reply(staticFile);
        }
        Router.Match m = router.find(method, path);
        if (m.route() == null) {
            if (m.allowed().isEmpty()) {
                return error(404, "no such resource: " + path, "unmatched");
            }
            Reply r = error(405, "method " + method + " not allowed on " + path, "unmatched");
            r.headers.put("Allow", String.join(", ", m.allowed()));
            return r;
        }
        String route = m.route().method() + " " + m.route().pattern();
        // a route without a role is public (the agent page's static files); everything else needs a token
        ApiAuth.Verdict verdict = m.route().role() == null
                ? new ApiAuth.Verdict(new Principal(0, "anonymous", Role.AGENT), 0, null, null)
                : auth.check(headers.get("authorization"), method, path, m.route().role());
        if (!verdict.allowed()) {
            Reply r = error(verdict.status(), verdict.message(), route);
            if (verdict.challenge() != null) {
                r.headers.put("WWW-Authenticate", verdict.challenge());
            }
            return r;
        }
        Principal who = verdict.principal();
        if (m.route().upload() != (bodyFile != null)) {
            // An upload route's body arrives through UploadSpooler; any other route's through the aggregator.
            throw new IllegalStateException("route " + route + " got its body the wrong way");
        }
        ApiRequest request = new ApiRequest(method, path, m.params(), q.parameters(), headers, body, bodyFile, who,
                json);
        try {
            ApiResponse resp = m.route().handler().handle(request);
            if (audit != null) {
                audit.changed(who, method, path, route, m.params(), resp);
            }
            if (resp.body() instanceof Path file) {
                try {
                    return new Reply(resp.status(), resp.contentType(), new byte[0], new HashMap<>(), route,
                            java.nio.channels.FileChannel.open(file), null);
                } catch (IOException e) {
                    return error(404, "cannot read " + file.getFileName() + ": " + e.getMessage(), route);
                }
            }
            if (resp.body() instanceof ApiResponse.Streamed st) {
                return new Reply(resp.status(), resp.contentType() + "; charset=utf-8", new byte[0], new HashMap<>(),
                        route, null, st);
            }
            if (resp.contentType() != null) {
                return new Reply(resp.status(), resp.contentType() + "; charset=utf-8",
                        ((String) resp.body()).getBytes(StandardCharsets.UTF_8), new HashMap<>(), route);
            }
            byte[] out = resp.body() == null ? new byte[0] : json.writeValueAsBytes(resp.body());
            return new Reply(resp.status(), resp.body() == null ? null : "application/json", out, new HashMap<>(),
                    route);
        } catch (ApiException e) {
            Reply r = error(e.status(), e.getMessage(), route);
            if (!e.orderedDetails().isEmpty()) {
                ObjectNode n = json.createObjectNode();
                n.put("error", e.getMessage());
                n.put("status", e.status());
                e.orderedDetails().forEach((k, v) -> n.set(k, json.valueToTree(v)));
                return new Reply(r.status, r.contentType, bytes(n), r.headers, route);
            }
            return r;
        } catch (StoreException e) {
            return storeFailure(method, path, e, route);
        } catch (Exception e) {
            log.error("HTTP {} {} failed (token {})", method, path, who.name(), e);
            return error(500, "internal error", route);
        }
    }

    private Reply reply(StaticFileReplies.Answer a) {
        if (a.error() == null) {
            return new Reply(a.status(), a.contentType(), a.body(), a.headers(), a.route());
        }
        Reply r = error(a.status(), a.error(), a.route());
        r.headers.putAll(a.headers());
        return r;
    }

    /** The database is down: 503 with the reason, so clients retry; any other store failure is a 500. */
    private Reply storeFailure(String method, String path, StoreException e, String route) {
        if (e.databaseUnavailable()) {
            log.warn("HTTP {} {}: database unavailable ({})", method, path, e.getMessage());
            Reply r = error(503, "database unavailable, try again later", route);
            r.headers.put("Retry-After", "5");
            return r;
        }
        log.error("HTTP {} {} failed", method, path, e);
        return error(500, "internal error", route);
    }

    private Reply health() {
        HealthChecks.Report r = health.check();
        ObjectNode n = json.createObjectNode();
        n.put("status", r.status());
        n.put("database", r.database());
        ObjectNode ls = n.putObject("listeners");
        r.listeners().forEach(ls::put);
        if (!r.reasons().isEmpty()) {
            ObjectNode why = n.putObject("reasons");
            r.reasons().forEach(why::put);
        }
        return new Reply(r.healthy() ? 200 : 503, "application/json", bytes(n), new HashMap<>(), "GET /health");
    }

    private Reply ready() {
        HealthChecks.Readiness r = health.ready();
        ObjectNode n = json.createObjectNode();
        n.put("status", r.status());
        n.put("database", r.database());
        r.parts().forEach(n::put);
        return new Reply(r.ready() ? 200 : 503, "application/json", bytes(n), new HashMap<>(), "/ready");
    }

    private Reply error(int status, String message, String route) {
        ObjectNode n = json.createObjectNode();
        n.put("error", message);
        n.put("status", status);
        return new Reply(status, "application/json", bytes(n), new HashMap<>(), route);
    }

    private byte[] bytes(ObjectNode n) {
        try {
            return json.writeValueAsBytes(n);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    private void write(ChannelHandlerContext ctx, Reply r, boolean keepAlive, long start) {
        if (r.file != null) {
            writeFile(ctx, r, keepAlive, start);
            return;
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status),
                Unpooled.wrappedBuffer(r.body));
        if (r.contentType != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType);
        }
        r.headers.forEach((k, v) -> resp.headers().set(k, v));
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(resp, r.body.length);
        boolean keep = keepAlive;
        if (keep) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        requests.record(r.route, r.status, start);
        afterWrite(ctx, ctx.writeAndFlush(resp), keep);
    }

    /** A file body goes out as a file region (zero-copy), never read into memory. */
    private void writeFile(ChannelHandlerContext ctx, Reply r, boolean keepAlive, long start) {
        long length;
        try {
            length = r.file.size();
        } catch (IOException e) {
            try {
                r.file.close();
            } catch (IOException ignored) {
                // reported below
            }
            write(ctx, error(500, "cannot read the file: " + e.getMessage(), r.route), keepAlive, start);
            return;
        }
        requests.record(r.route, r.status, start);
        var f = LargeBodyWriter.file(ctx, r.status, r.contentType, r.file, length, keepAlive);
        afterWrite(ctx, f, keepAlive);
    }

    /** Sends a streamed body (see LargeBodyWriter#stream) on this worker thread; a cut body ends the connection. */
    private void stream(ChannelHandlerContext ctx, Reply r, boolean keepAlive, long start) {
        boolean ok = LargeBodyWriter.stream(ctx, r.status, r.contentType, r.headers, r.stream, keepAlive, r.route);
        requests.record(r.route, r.status, start);
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
