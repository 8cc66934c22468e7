package io.voicebot.telephony.audiosocket;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * One AudioSocket message: kind (1 byte), payload length (2 bytes, big-endian), payload.
 * Audio kinds carry {@code samples} (signed 16-bit, little-endian on the wire); every other kind carries
 * {@code payload}. Exactly one of the two is non-null.
 */
public record Frame(Kind kind, byte[] payload, short[] samples) {

    /** The kinds of include/asterisk/res_audiosocket.h (enum ast_audiosocket_msg_kind), plus SILENCE. */
    public enum Kind {
        /** Asterisk ends AudioSocket() with result 0 when it receives this (or the socket closes). */
        HANGUP(0x00, 0),
        UUID(0x01, 0),
        /**
         * Listed by the AudioSocket protocol page, absent from res_audiosocket.h: accepted from a peer and
         * ignored, never sent, because app_audiosocket ends the call on any non-audio kind it receives.
         */
        SILENCE(0x02, 0),
        DTMF(0x03, 0),
        AUDIO(0x10, 8000),
        AUDIO_SLIN12(0x11, 12000),
        AUDIO_SLIN16(0x12, 16000),
        AUDIO_SLIN24(0x13, 24000),
        AUDIO_SLIN32(0x14, 32000),
        AUDIO_SLIN44(0x15, 44100),
        AUDIO_SLIN48(0x16, 48000),
        AUDIO_SLIN96(0x17, 96000),
        AUDIO_SLIN192(0x18, 192000),
        ERROR(0xff, 0);

        private static final Kind[] BY_CODE = new Kind[256];

        static {
            for (Kind k : values()) {
                BY_CODE[k.code] = k;
            }
        }

        private final int code;
        private final int sampleRate;

        Kind(int code, int sampleRate) {
            this.code = code;
            this.sampleRate = sampleRate;
        }

        public int code() {
            return code;
        }

        /** Samples per second for audio kinds, 0 otherwise. */
        public int sampleRate() {
            return sampleRate;
        }

        public boolean isAudio() {
            return sampleRate > 0;
        }

        /** The kind for a wire byte, or null when res_audiosocket.h defines none. */
        public static Kind of(int code) {
            return BY_CODE[code & 0xff];
        }

        public static Kind audioFor(int sampleRate) {
            for (Kind k : values()) {
                if (k.sampleRate == sampleRate) {
                    return k;
                }
            }
            throw new IllegalArgumentException("AudioSocket has no audio kind for " + sampleRate + " Hz");
        }
    }

    public static final int HEADER_BYTES = 3;
    private static final byte[] EMPTY = new byte[0];

    public Frame {
        if (kind == null || (payload == null) == (samples == null)) {
            throw new IllegalArgumentException("a frame has a kind and either a payload or samples");
        }
        if (kind.isAudio() != (samples != null)) {
            throw new IllegalArgumentException(kind + " frames carry " + (kind.isAudio() ? "samples" : "a payload"));
        }
    }

    public static Frame hangup() {
        return new Frame(Kind.HANGUP, EMPTY, null);
    }

    public static Frame uuid(UUID id) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return new Frame(Kind.UUID, b.array(), null);
    }

    /** Asterisk sends the digit's ASCII character as a 1-byte payload. */
    public static Frame dtmf(char digit) {
        return new Frame(Kind.DTMF, new byte[] {(byte) digit}, null);
    }

    public static Frame audio(int sampleRate, short[] samples) {
        return new Frame(Kind.audioFor(sampleRate), null, samples);
    }

    public static Frame of(Kind kind, byte[] payload) {
        return new Frame(kind, payload, null);
    }

    /** Bytes of payload on the wire. */
    public int payloadLength() {
        return samples != null ? samples.length * 2 : payload.length;
    }

    public UUID uuid() {
        if (kind != Kind.UUID) {
            throw new IllegalStateException("not a UUID frame: " + kind);
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        return new UUID(b.getLong(), b.getLong());
    }

    public char digit() {
        if (kind != Kind.DTMF) {
            throw new IllegalStateException("not a DTMF frame: " + kind);
        }
        return (char) (payload[0] & 0xff);
    }

    @Override
    public String toString() {
        return "Frame[" + kind + ", " + payloadLength() + " bytes]";
    }
}
