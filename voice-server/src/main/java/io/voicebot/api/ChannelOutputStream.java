package io.voicebot.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streamed response body as HTTP chunks of {@link #CHUNK} bytes, for a worker thread (never the event loop: it
 * blocks). Before a chunk is sent the previous one must have reached the socket, so at most two chunks are in
 * memory however slowly the client reads; a client that takes no chunk for {@code stallMs} fails the write.
 */
final class ChannelOutputStream extends OutputStream {
    static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final long stallMs;
    // Two buffers taking turns: one is filled while the other is on its way to the socket.
    private final byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
    private int current;
    private int filled;
    private ChannelFuture inFlight;
    private long written;

    ChannelOutputStream(ChannelHandlerContext ctx, long stallMs) {
        this.ctx = ctx;
        this.stallMs = stallMs;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == CHUNK) {
            send();
        }
        buffers[current][filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == CHUNK) {
                send();
            }
            int k = Math.min(len, CHUNK - filled);
            System.arraycopy(b, off, buffers[current], filled, k);
            filled += k;
            off += k;
            len -= k;
        }
    }

    /** Sends what is buffered as a chunk (a writer's flush; the export flushes only at its end). */
    @Override
    public void flush() throws IOException {
        if (filled > 0) {
            send();
        }
    }

    /** Sends the rest and waits until it reached the socket. */
    void finish() throws IOException {
        flush();
        awaitInFlight();
    }

    long bytesWritten() {
        return written;
    }

    private void send() throws IOException {
        awaitInFlight();
        inFlight = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(buffers[current], 0, filled)));
        written += filled;
        current = 1 - current;
        filled = 0;
    }

    private void awaitInFlight() throws IOException {
        ChannelFuture f = inFlight;
        if (f == null) {
            return;
        }
        try {
            if (!f.await(stallMs)) {
                throw new IOException("the client read nothing for " + stallMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending the response", e);
        }
        if (!f.isSuccess()) {
            throw new IOException("the client went away: " + f.cause());
        }
    }
}
