package io.voicebot.telephony.audiosocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** {@link Frame}s to bytes: kind, big-endian length, payload (audio as little-endian 16-bit samples). */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {

    public FrameEncoder() {
        super(Frame.class, false);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        write(frame, out);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        return ctx.alloc().ioBuffer(Frame.HEADER_BYTES + frame.payloadLength());
    }

    /** Writes one frame; also used by tests and the simulator to build byte-exact input. */
    public static void write(Frame frame, ByteBuf out) {
        int length = frame.payloadLength();
        if (length > 0xffff) {
            throw new IllegalArgumentException(frame.kind() + " payload of " + length + " bytes exceeds 65535");
        }
        out.writeByte(frame.kind().code());
        out.writeShort(length);
        if (frame.samples() != null) {
            for (short s : frame.samples()) {
                out.writeShortLE(s);
            }
        } else {
            out.writeBytes(frame.payload());
        }
    }
}
