package io.voicebot.speech.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RIFF/WAVE reading and writing. Reads PCM 8/16/24/32-bit, 32-bit float, G.711 mu-law and A-law, and
 * WAVE_FORMAT_EXTENSIBLE wrapping those; several channels are mixed down to mono. Writes 16-bit mono PCM.
 */
public final class WavFile {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavFile() {}

    public static Pcm read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    public static Pcm read(InputStream in, String name) throws IOException {
        return read(in.readAllBytes(), name);
    }

    /** Parses a WAV held in memory; {@code name} is used in error messages. */
    public static Pcm read(byte[] data, String name) throws WavException {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (data.length < 12 || b.getInt(0) != tag("RIFF") || b.getInt(8) != tag("WAVE")) {
            throw new WavException(name + ": not a WAV file (no RIFF/WAVE header)");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        while (pos + 8 <= data.length) {
            int id = b.getInt(pos);
            long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if (id == tag("fmt ")) {
                if (size < 16 || body + 16 > data.length) {
                    throw new WavException(name + ": fmt chunk is too short (" + size + " bytes)");
                }
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                rate = b.getInt(body + 4);
                blockAlign = b.getShort(body + 12) & 0xFFFF;
                bits = b.getShort(body + 14) & 0xFFFF;
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 40 || body + 40 > data.length) {
                        throw new WavException(name + ": WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
                    }
                    format = b.getShort(body + 24) & 0xFFFF; // first two bytes of the sub-format GUID
                }
            } else if (id == tag("data")) {
                if (format < 0) {
                    throw new WavException(name + ": data chunk comes before the fmt chunk");
                }
                // A truncated or streaming-written file (size 0 or too large) still yields what is there.
                long avail = data.length - body;
                int len = (int) (size == 0 || size > avail ? avail : size);
                return decode(b, body, len, format, channels, rate, bits, blockAlign, name);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1)); // chunks are word-aligned
        }
        throw new WavException(name + ": " + (format < 0 ? "no fmt chunk" : "no data chunk"));
    }

    private static Pcm decode(ByteBuffer b, int off, int len, int format, int channels, int rate, int bits,
                              int blockAlign, String name) throws WavException {
        if (channels < 1) {
            throw new WavException(name + ": invalid channel count " + channels);
        }
        if (rate < 1000 || rate > 384_000) {
            throw new WavException(name + ": unsupported sample rate " + rate + " Hz");
        }
        int bytesPerSample;
        switch (format) {
            case FORMAT_PCM -> {
                if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                    throw new WavException(name + ": unsupported PCM sample size " + bits
                            + " bits (supported: 8, 16, 24, 32)");
                }
                bytesPerSample = bits / 8;
            }
            case FORMAT_FLOAT -> {
                if (bits != 32) {
                    throw new WavException(name + ": unsupported float sample size " + bits + " bits (supported: 32)");
                }
                bytesPerSample = 4;
            }
            case FORMAT_ALAW, FORMAT_MULAW -> {
                if (bits != 8) {
                    throw new WavException(name + ": G.711 data must have 8 bits per sample, not " + bits);
                }
                bytesPerSample = 1;
            }
            default -> throw new WavException(name + ": unsupported WAV encoding (format tag 0x"
                    + Integer.toHexString(format) + "); supported: PCM, IEEE float, mu-law, A-law");
        }
        int frameSize = bytesPerSample * channels;
        if (blockAlign != 0 && blockAlign != frameSize) {
            throw new WavException(name + ": block align " + blockAlign + " does not match " + channels
                    + " channel(s) of " + bits + " bits");
        }
        int frames = len / frameSize;
        short[] out = new short[frames];
        for (int f = 0; f < frames; f++) {
            int base = off + f * frameSize;
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(b, base + c * bytesPerSample, format, bits);
            }
            out[f] = (short) (sum / channels);
        }
        return new Pcm(out, rate);
    }

    private static int sample(ByteBuffer b, int p, int format, int bits) {
        return switch (format) {
            case FORMAT_MULAW -> G711.ulawToLinear(b.get(p));
            case FORMAT_ALAW -> G711.alawToLinear(b.get(p));
            case FORMAT_FLOAT -> {
                float f = b.getFloat(p);
                yield (int) Math.max(-32768, Math.min(32767, Math.round(f * 32768.0)));
            }
            default -> switch (bits) {
                case 8 -> ((b.get(p) & 0xFF) - 128) << 8; // 8-bit WAV is unsigned
                case 16 -> b.getShort(p);
                case 24 -> b.get(p + 2) << 8 | (b.get(p + 1) & 0xFF);
                default -> b.getShort(p + 2);
            };
        };
    }

    /** Writes 16-bit mono PCM, replacing {@code file}. */
    public static void write(Path file, Pcm pcm) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toBytes(pcm));
        }
    }

    public static byte[] toBytes(Pcm pcm) {
        short[] s = pcm.samples();
        int dataLen = s.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tag("RIFF")).putInt(36 + dataLen).putInt(tag("WAVE"));
        b.putInt(tag("fmt ")).putInt(16).putShort((short) FORMAT_PCM).putShort((short) 1)
                .putInt(pcm.sampleRate()).putInt(pcm.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
        b.putInt(tag("data")).putInt(dataLen);
        for (short v : s) {
            b.putShort(v);
        }
        return b.array();
    }

    private static int tag(String fourcc) {
        return (fourcc.charAt(0)) | (fourcc.charAt(1) << 8) | (fourcc.charAt(2) << 16) | (fourcc.charAt(3) << 24);
    }
}
