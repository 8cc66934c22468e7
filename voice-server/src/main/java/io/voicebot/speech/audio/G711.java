package io.voicebot.speech.audio;

/**
 * ITU-T G.711 mu-law and A-law codecs, bit-exact with the reference tables (Sun's public-domain g711.c).
 * Decoding is a table lookup; encoding is a few shifts, so both are cheap enough for every 20 ms frame.
 */
public final class G711 {
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 8159; // in the 14-bit domain
    private static final int[] SEG_UEND = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    private static final int[] SEG_AEND = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_DECODE[i] = (short) ulawToLinearSlow(i);
            ALAW_DECODE[i] = (short) alawToLinearSlow(i);
        }
    }

    private G711() {}

    public static short ulawToLinear(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    public static short alawToLinear(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    public static byte linearToUlaw(short sample) {
        int pcm = sample >> 2;
        int mask;
        if (pcm < 0) {
            pcm = -pcm;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        if (pcm > ULAW_CLIP) {
            pcm = ULAW_CLIP;
        }
        pcm += ULAW_BIAS >> 2;
        int seg = segment(pcm, SEG_UEND);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int uval = (seg << 4) | ((pcm >> (seg + 1)) & 0xF);
        return (byte) (uval ^ mask);
    }

    public static byte linearToAlaw(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int seg = segment(pcm, SEG_AEND);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int aval = seg << 4;
        aval |= seg < 2 ? (pcm >> 1) & 0xF : (pcm >> seg) & 0xF;
        return (byte) (aval ^ mask);
    }

    /** Decodes {@code len} codes from {@code in[inOff]} into {@code out[outOff]}. */
    public static void decodeUlaw(byte[] in, int inOff, int len, short[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = ULAW_DECODE[in[inOff + i] & 0xFF];
        }
    }

    public static void decodeAlaw(byte[] in, int inOff, int len, short[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = ALAW_DECODE[in[inOff + i] & 0xFF];
        }
    }

    public static void encodeUlaw(short[] in, int inOff, int len, byte[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = linearToUlaw(in[inOff + i]);
        }
    }

    public static void encodeAlaw(short[] in, int inOff, int len, byte[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = linearToAlaw(in[inOff + i]);
        }
    }

    private static int segment(int value, int[] table) {
        for (int i = 0; i < table.length; i++) {
            if (value <= table[i]) {
                return i;
            }
        }
        return table.length;
    }

    private static int ulawToLinearSlow(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + ULAW_BIAS;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS;
    }

    private static int alawToLinearSlow(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        switch (seg) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> {
                t += 0x108;
                t <<= seg - 1;
            }
        }
        return (a & 0x80) != 0 ? t : -t;
    }
}
