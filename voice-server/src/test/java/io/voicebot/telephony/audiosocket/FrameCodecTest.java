package io.voicebot.telephony.audiosocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = FrameCodecTest.class.getResourceAsStream("/wire/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Feeds the bytes one at a time, as the slowest possible network would. */
    private static Frame decodeByteByByte(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(8192));
        for (int i = 0; i < bytes.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
            if (i < bytes.length - 1) {
                assertNull(ch.readInbound(), "frame emitted early at byte " + i);
            }
        }
        Frame f = ch.readInbound();
        assertFalse(ch.finish(), "nothing left over");
        return f;
    }

    private static byte[] encode(Frame f) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.write(f, buf);
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    @Test
    void uuidFrameMatchesAsteriskLayout() throws IOException {
        byte[] wire = fixture("uuid.bin");
        Frame f = decodeByteByByte(wire);
        assertEquals(Frame.Kind.UUID, f.kind());
        assertEquals(UUID.fromString("0f0e0d0c-0b0a-0908-0706-050403020100"), f.uuid());
        assertArrayEquals(wire, encode(Frame.uuid(f.uuid())));
    }

    @Test
    void slinAudioIsLittleEndianSamples() throws IOException {
        byte[] wire = fixture("audio-slin-320.bin");
        Frame f = decodeByteByByte(wire);
        assertEquals(Frame.Kind.AUDIO, f.kind());
        assertEquals(8000, f.kind().sampleRate());
        assertEquals(160, f.samples().length);
        ByteBuffer le = ByteBuffer.wrap(wire, 3, 320).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : f.samples()) {
            assertEquals(le.getShort(), s);
        }
        assertArrayEquals(wire, encode(f));
    }

    @Test
    void slin16KindCarriesItsRate() throws IOException {
        Frame f = decodeByteByByte(fixture("audio-slin16-640.bin"));
        assertEquals(Frame.Kind.AUDIO_SLIN16, f.kind());
        assertEquals(16000, f.kind().sampleRate());
        assertEquals(320, f.samples().length);
    }

    @Test
    void dtmfAndHangup() throws IOException {
        Frame d = decodeByteByByte(fixture("dtmf-5.bin"));
        assertEquals('5', d.digit());
        assertArrayEquals(fixture("dtmf-5.bin"), encode(Frame.dtmf('5')));
        Frame h = decodeByteByByte(fixture("hangup.bin"));
        assertEquals(Frame.Kind.HANGUP, h.kind());
        assertArrayEquals(fixture("hangup.bin"), encode(Frame.hangup()));
    }

    @Test
    void kindCodesAndRatesAreThoseOfResAudiosocketH() {
        int[][] expected = {{0x10, 8000}, {0x11, 12000}, {0x12, 16000}, {0x13, 24000}, {0x14, 32000},
                {0x15, 44100}, {0x16, 48000}, {0x17, 96000}, {0x18, 192000}};
        for (int[] e : expected) {
            assertEquals(e[1], Frame.Kind.of(e[0]).sampleRate());
        }
        assertEquals(Frame.Kind.HANGUP, Frame.Kind.of(0x00));
        assertEquals(Frame.Kind.UUID, Frame.Kind.of(0x01));
        assertEquals(Frame.Kind.DTMF, Frame.Kind.of(0x03));
        assertEquals(Frame.Kind.ERROR, Frame.Kind.of(0xff));
        assertNull(Frame.Kind.of(0x04));
    }

    @Test
    void severalFramesInOneBuffer() throws IOException {
        byte[] a = fixture("uuid.bin");
        byte[] b = fixture("audio-slin-320.bin");
        byte[] c = fixture("dtmf-5.bin");
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(8192));
        ch.writeInbound(Unpooled.wrappedBuffer(a, b, c));
        assertEquals(Frame.Kind.UUID, ((Frame) ch.readInbound()).kind());
        assertEquals(Frame.Kind.AUDIO, ((Frame) ch.readInbound()).kind());
        assertEquals(Frame.Kind.DTMF, ((Frame) ch.readInbound()).kind());
    }

    private static AudioSocketCodecException decodeError(byte[] bytes, int maxPayload) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(maxPayload));
        return assertThrows(AudioSocketCodecException.class, () -> {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            ch.finish();
        });
    }

    @Test
    void unknownKindNamesKindAndOffset() throws IOException {
        byte[] uuid = fixture("uuid.bin");
        byte[] bad = new byte[uuid.length + 3];
        System.arraycopy(uuid, 0, bad, 0, uuid.length);
        bad[uuid.length] = 0x42;
        AudioSocketCodecException e = decodeError(bad, 8192);
        assertTrue(e.getMessage().contains("0x42") && e.getMessage().contains("offset 19"), e.getMessage());
    }

    @Test
    void oversizeLengthRejectedBeforeReadingPayload() {
        AudioSocketCodecException e = decodeError(new byte[] {0x10, (byte) 0xff, (byte) 0xfe}, 8192);
        assertTrue(e.getMessage().contains("65534") && e.getMessage().contains("audiosocket.max.payload=8192"),
                e.getMessage());
    }

    @Test
    void badLengthsPerKind() {
        assertTrue(decodeError(new byte[] {0x01, 0x00, 0x02, 1, 2}, 8192).getMessage().contains("must be 16"));
        assertTrue(decodeError(new byte[] {0x03, 0x00, 0x02, '1', '2'}, 8192).getMessage().contains("must be 1"));
        assertTrue(decodeError(new byte[] {0x10, 0x00, 0x03, 1, 2, 3}, 8192).getMessage().contains("even"));
        assertTrue(decodeError(new byte[] {0x10, 0x00, 0x00}, 8192).getMessage().contains("even"));
    }

    @Test
    void truncatedAtCloseIsReported() throws IOException {
        byte[] audio = fixture("audio-slin-320.bin");
        byte[] cut = java.util.Arrays.copyOf(audio, 100);
        AudioSocketCodecException e = decodeError(cut, 8192);
        assertTrue(e.getMessage().contains("truncated: 97 of 320"), e.getMessage());
        AudioSocketCodecException h = decodeError(new byte[] {0x10, 0x01}, 8192);
        assertTrue(h.getMessage().contains("header at offset 0 truncated: 2 of 3"), h.getMessage());
    }

    @Test
    void decoderStopsAfterAnError() throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(8192));
        assertThrows(AudioSocketCodecException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x42, 0, 0})));
        ch.writeInbound(Unpooled.wrappedBuffer(fixture("dtmf-5.bin")));
        assertNull(ch.readInbound(), "no frame after the stream went bad");
    }

    /** Decodes a captured stream fed in 7-byte pieces (frames split anywhere), checking it re-encodes byte-exactly. */
    private static List<Frame> decodeCapture(String name) throws IOException {
        byte[] wire = fixture(name);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(8192));
        for (int i = 0; i < wire.length; i += 7) {
            ch.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(7, wire.length - i)));
        }
        List<Frame> frames = new ArrayList<>();
        for (Frame f = ch.readInbound(); f != null; f = ch.readInbound()) {
            frames.add(f);
        }
        assertFalse(ch.finish(), "nothing left over");
        ByteBuf again = Unpooled.buffer();
        frames.forEach(f -> FrameEncoder.write(f, again));
        byte[] reencoded = new byte[again.readableBytes()];
        again.readBytes(reencoded);
        assertArrayEquals(wire, reencoded, name + " re-encodes to the captured bytes");
        return frames;
    }

    // The asterisk22-* fixtures were captured between Asterisk 22.10.1's AudioSocket() (EXEC from the voicebot
    // AGI, Local channel, slin) and voicebot serve; see docs/asterisk-check.md.

    @Test
    void asterisk22SessionStartsWithItsUuidThenTwentyMillisecondSlinFrames() throws IOException {
        List<Frame> frames = decodeCapture("asterisk22-audiosocket-head.bin");
        assertEquals(4, frames.size());
        assertEquals(UUID.fromString("1ae21c66-ce1e-44a1-881e-1fe79663f0b9"), frames.get(0).uuid());
        for (Frame f : frames.subList(1, 4)) {
            assertEquals(Frame.Kind.AUDIO, f.kind());
            assertEquals(160, f.samples().length);
        }
    }

    @Test
    void asterisk22SendsShortAudioFramesAndDtmfAsOneAsciiByte() throws IOException {
        // When Playback() ends mid-frame Asterisk forwards the short remainder: 276 bytes, not 320.
        List<Frame> frames = decodeCapture("asterisk22-audiosocket-dtmf.bin");
        assertEquals(3, frames.size());
        assertEquals(Frame.Kind.AUDIO, frames.get(0).kind());
        assertEquals(138, frames.get(0).samples().length);
        assertEquals(Frame.Kind.DTMF, frames.get(1).kind());
        assertEquals('0', frames.get(1).digit());
        assertEquals(160, frames.get(2).samples().length);
    }

    @Test
    void voicebotEndsAnAsterisk22SessionWithAnEmptyHangupFrameAfterItsLastAudio() throws IOException {
        // AudioSocket() returned 0 after these bytes, and the dialplan went on with VOICEBOT_NEXT.
        List<Frame> frames = decodeCapture("asterisk22-audiosocket-tail-from-voicebot.bin");
        assertEquals(List.of(Frame.Kind.AUDIO, Frame.Kind.HANGUP), frames.stream().map(Frame::kind).toList());
        assertArrayEquals(fixture("hangup.bin"), encode(Frame.hangup()));
    }
}
