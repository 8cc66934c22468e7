package io.voicebot.speech.audio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

class G711Test {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = G711Test.class.getResourceAsStream("/g711/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /g711/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void knownCodePoints() {
        // ITU-T G.711 tables: silence and the ends of the scale.
        assertEquals((byte) 0xFF, G711.linearToUlaw((short) 0));
        assertEquals(0, G711.ulawToLinear((byte) 0xFF));
        assertEquals(0, G711.ulawToLinear((byte) 0x7F));
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals((byte) 0x80, G711.linearToUlaw((short) 32767));
        assertEquals((byte) 0x00, G711.linearToUlaw((short) -32768));
        assertEquals((byte) 0xD5, G711.linearToAlaw((short) 0));
        assertEquals(8, G711.alawToLinear((byte) 0xD5));
        assertEquals(-8, G711.alawToLinear((byte) 0x55));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
        assertEquals(-32256, G711.alawToLinear((byte) 0x2A));
        assertEquals((byte) 0xAA, G711.linearToAlaw((short) 32767));
        assertEquals((byte) 0x2A, G711.linearToAlaw((short) -32768));
    }

    @Test
    void decodingMatchesTheReferenceTableForAllCodes() throws IOException {
        ByteBuffer ulaw = ByteBuffer.wrap(resource("ulaw_decode.bin")).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer alaw = ByteBuffer.wrap(resource("alaw_decode.bin")).order(ByteOrder.LITTLE_ENDIAN);
        for (int code = 0; code < 256; code++) {
            assertEquals(ulaw.getShort(code * 2), G711.ulawToLinear((byte) code), "mu-law code " + code);
            assertEquals(alaw.getShort(code * 2), G711.alawToLinear((byte) code), "A-law code " + code);
        }
    }

    @Test
    void encodingMatchesTheReferenceForEverySixteenBitValue() throws IOException {
        byte[] ulaw = resource("ulaw_encode_all.bin");
        byte[] alaw = resource("alaw_encode_all.bin");
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        byte[] u = new byte[65536];
        byte[] a = new byte[65536];
        G711.encodeUlaw(all, 0, all.length, u, 0);
        G711.encodeAlaw(all, 0, all.length, a, 0);
        for (int i = 0; i < all.length; i++) {
            assertEquals(ulaw[i], u[i], "mu-law encoding of " + all[i]);
            assertEquals(alaw[i], a[i], "A-law encoding of " + all[i]);
        }
    }

    @Test
    void decodeThenEncodeIsTheIdentityOnCodes() {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        short[] lin = new short[256];
        byte[] back = new byte[256];
        G711.decodeAlaw(codes, 0, 256, lin, 0);
        G711.encodeAlaw(lin, 0, 256, back, 0);
        for (int i = 0; i < 256; i++) {
            assertEquals(codes[i], back[i], "A-law code " + i);
        }
        G711.decodeUlaw(codes, 0, 256, lin, 0);
        G711.encodeUlaw(lin, 0, 256, back, 0);
        for (int i = 0; i < 256; i++) {
            // 0x7F (negative zero) legitimately re-encodes as 0xFF (positive zero).
            assertEquals(i == 0x7F ? (byte) 0xFF : codes[i], back[i], "mu-law code " + i);
        }
    }
}
