package io.voicebot.telephony.audiosocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Bytes to {@link Frame}s. Audio payloads are read straight into a short[] (little-endian, as Asterisk writes
 * slin), with no intermediate byte[]. Any violation throws {@link AudioSocketCodecException} and the decoder
 * stops: the stream cannot be resynchronised.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private enum State { HEADER, PAYLOAD, FAILED }

    private final int maxPayload;
    private State state = State.HEADER;
    private Frame.Kind kind;
    private int length;
    private long offset; // stream offset of the current frame, for error messages

    /** @param maxPayload the largest payload accepted (audiosocket.max.payload) */
    public FrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                case HEADER -> {
                    if (in.readableBytes() < Frame.HEADER_BYTES) {
                        return;
                    }
                    int code = in.readUnsignedByte();
                    length = in.readUnsignedShort();
                    kind = Frame.Kind.of(code);
                    if (kind == null) {
                        fail(String.format("unknown AudioSocket kind 0x%02x at offset %d (length %d)", code, offset,
                                length));
                    }
                    checkLength();
                    state = State.PAYLOAD;
                }
                case PAYLOAD -> {
                    if (in.readableBytes() < length) {
                        return;
                    }
                    out.add(readPayload(in));
                    offset += Frame.HEADER_BYTES + length;
                    state = State.HEADER;
                }
            }
        }
    }

    private void checkLength() {
        if (length > maxPayload) {
            fail(kind + " frame at offset " + offset + " declares " + length
                    + " payload bytes, more than audiosocket.max.payload=" + maxPayload);
        }
        String problem = switch (kind) {
            case UUID -> length == 16 ? null : "must be 16";
            case DTMF -> length == 1 ? null : "must be 1";
            case HANGUP, SILENCE -> length == 0 ? null : "must be 0";
            case ERROR -> null;
            default -> length >= 2 && length % 2 == 0 ? null : "must be a positive even number of bytes (16-bit samples)";
        };
        if (problem != null) {
            fail(kind + " frame at offset " + offset + " has payload length " + length + ": " + problem);
        }
    }

    private Frame readPayload(ByteBuf in) {
        if (kind.isAudio()) {
            short[] samples = new short[length / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = in.readShortLE();
            }
            return new Frame(kind, null, samples);
        }
        byte[] payload = new byte[length];
        in.readBytes(payload);
        if (kind == Frame.Kind.DTMF && DTMF_DIGITS.indexOf((char) payload[0]) < 0) {
            // Asterisk sends one of these ASCII characters; anything else is not Asterisk talking
            fail("DTMF frame at offset " + offset + " carries 0x" + String.format("%02x", payload[0] & 0xff)
                    + ", not a digit (0-9, *, #, A-D)");
        }
        return Frame.of(kind, payload);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (state != State.FAILED && (state == State.PAYLOAD || in.isReadable())) {
            int have = in.readableBytes();
            in.skipBytes(have);
            String what = state == State.PAYLOAD
                    ? kind + " frame at offset " + offset + " truncated: " + have + " of " + length + " payload bytes"
                    : "frame header at offset " + offset + " truncated: " + have + " of 3 bytes";
            fail("connection closed mid-frame: " + what);
        }
    }

    private static final String DTMF_DIGITS = "0123456789*#ABCD";

    private void fail(String message) {
        state = State.FAILED;
        throw new AudioSocketCodecException(message);
    }
}
