package io.voicebot.api;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.FileChannel;
import java.util.Map;

/**
 * Writes the replies whose body is not held in memory: a file (sent as a zero-copy region) and a streamed body
 * (chunked transfer encoding, written on the API worker). What follows the write — counting the request, taking
 * the next pipelined one, closing — stays with {@link HttpApiHandler}.
 */
final class LargeBodyWriter {
    private static final Logger log = LoggerFactory.getLogger(LargeBodyWriter.class);

    /** A streamed body that the client takes nothing of for this long is abandoned. */
    static final long STREAM_STALL_MS = 60_000;

    private LargeBodyWriter() {
    }

    /** Sends head, file region and end marker (on the event loop); the future completes when all is out. */
    static ChannelFuture file(ChannelHandlerContext ctx, int status, String contentType, FileChannel file,
                              long length, boolean keepAlive) {
        DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(resp, length);
        resp.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE
                : HttpHeaderValues.CLOSE);
        ctx.write(resp);
        ctx.write(new DefaultFileRegion(file, 0, length));
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /**
     * Sends a streamed body with chunked transfer encoding, blocking this worker thread while the client reads,
     * all but the last chunk. Returns false when the body could not be written whole (the connection must then
     * end: the client sees a body without its last chunk) and true when only the end marker remains to be sent.
     */
    static boolean stream(ChannelHandlerContext ctx, int status, String contentType, Map<String, String> headers,
                          ApiResponse.Streamed body, boolean keepAlive, String route) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.forEach((k, v) -> head.headers().set(k, v));
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        head.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (!ctx.channel().isActive()) {
            body.abandon();
            return false;
        }
        ChannelOutputStream out = new ChannelOutputStream(ctx, STREAM_STALL_MS);
        ctx.writeAndFlush(head);
        try {
            body.writeTo(out);
            out.finish();
            return true;
        } catch (Exception e) {
            log.warn("HTTP {}: streamed response ended after {} bytes: {}", route, out.bytesWritten(), e.toString());
            return false;
        }
    }
}
