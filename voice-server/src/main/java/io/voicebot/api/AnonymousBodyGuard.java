package io.voicebot.api;

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
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * Before any body is read: an /api request that carries a body but no bearer token is answered 401 at once and
 * its connection closed, so anonymous clients cannot make the server buffer bodies (up to http.max.body.bytes
 * each) that it would refuse anyway. Requests with a token, or without a body, go on as before.
 */
final class AnonymousBodyGuard extends ChannelInboundHandlerAdapter {
    private static final byte[] BODY = ("{\"error\":\"missing bearer token (send Authorization: Bearer <token>)\","
            + "\"status\":401}").getBytes(StandardCharsets.UTF_8);
    private final Router router;
    private final HttpMetrics requests;
    private boolean refused;

    AnonymousBodyGuard(Router router, io.voicebot.metrics.Metrics metrics) {
        this.router = router;
        this.requests = new HttpMetrics(metrics);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Router.Match m = msg instanceof HttpRequest req && req.decoderResult().isSuccess() && hasBody(req)
                && !bearer(req.headers().get(HttpHeaderNames.AUTHORIZATION))
                ? router.find(req.method().name(), new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).path())
                : null;
        // upload routes have their own check before the body (UploadSpooler)
        if (m != null && m.route() != null && !m.route().upload()) {
            refused = true;
            requests.record(m.route().method() + " " + m.route().pattern(), 401, 0);
            ReferenceCountUtil.release(msg);
            ctx.channel().config().setAutoRead(false);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                    Unpooled.wrappedBuffer(BODY));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"voicebot\"");
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpUtil.setContentLength(resp, BODY.length);
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean hasBody(HttpRequest req) {
        return HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req);
    }

    private static boolean bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.length() > 7;
    }
}
