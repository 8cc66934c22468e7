package io.voicebot.speech.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WavFileTest {
    @TempDir
    Path dir;

    /** A WAV with an arbitrary fmt chunk, built by hand. */
    private static byte[] wav(int format, int channels, int rate, int bits, byte[] data, boolean extensible) {
        int fmtLen = extensible ? 40 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtLen + 8 + data.length + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(0).put("WAVE".getBytes());
        // An unknown chunk with odd length (padded) before fmt must be skipped.
        b.put("LIST".getBytes()).putInt(1).put((byte) 7).put((byte) 0);
        b.put("fmt ".getBytes()).putInt(fmtLen).putShort((short) (extensible ? 0xFFFE : format))
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(channels == 1 ? 4 : 3).putShort((short) format)
                    .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        b.put("data".getBytes()).putInt(data.length).put(data);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(4, out.length - 8);
        return out;
    }

    @Test
    void writeThenReadRoundTrips() throws Exception {
        short[] s = Signals.tone(440, 16000, 0.25, 12000);
        Path f = dir.resolve("a.wav");
        WavFile.write(f, new Pcm(s, 16000));
        assertEquals(44 + s.length * 2, Files.size(f));
        Pcm back = WavFile.read(f);
        assertEquals(16000, back.sampleRate());
        assertArrayEquals(s, back.samples());
    }

    @Test
    void stereoIsMixedToMono() throws Exception {
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        d.putShort((short) 1000).putShort((short) 3000).putShort((short) -200).putShort((short) -400);
        Pcm p = WavFile.read(wav(1, 2, 8000, 16, d.array(), false), "stereo.wav");
        assertArrayEquals(new short[] {2000, -300}, p.samples());
    }

    @Test
    void eightBitIsUnsigned() throws Exception {
        Pcm p = WavFile.read(wav(1, 1, 8000, 8, new byte[] {(byte) 128, (byte) 255, 0}, false), "u8.wav");
        assertArrayEquals(new short[] {0, 127 << 8, -32768}, p.samples());
    }

    @Test
    void g711AndExtensibleAndFloatAnd24Bit() throws Exception {
        byte[] codes = {(byte) 0xFF, (byte) 0x80, 0x00};
        assertArrayEquals(new short[] {0, 32124, -32124},
                WavFile.read(wav(7, 1, 8000, 8, codes, false), "mulaw.wav").samples());
        assertArrayEquals(new short[] {848, 5504, -5504},
                WavFile.read(wav(6, 1, 8000, 8, codes, false), "alaw.wav").samples());
        assertArrayEquals(new short[] {0, 32124, -32124},
                WavFile.read(wav(7, 1, 8000, 8, codes, true), "ext-mulaw.wav").samples());
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-1f);
        assertArrayEquals(new short[] {16384, -32768}, WavFile.read(wav(3, 1, 8000, 32, f.array(), false), "f.wav")
                .samples());
        byte[] s24 = {0x00, 0x34, 0x12, 0x00, 0x00, (byte) 0x80};
        assertArrayEquals(new short[] {0x1234, -32768}, WavFile.read(wav(1, 1, 8000, 24, s24, false), "24.wav")
                .samples());
    }

    @Test
    void readsWhatSoxWrites() throws Exception {
        Path f = dir.resolve("sox-ulaw.wav");
        Process p = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "2", "-e", "u-law", f.toString(),
                "synth", "0.5", "sine", "1000", "vol", "0.5").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sox did not finish");
        assertEquals(0, p.exitValue(), out);
        Pcm pcm = WavFile.read(f);
        assertEquals(8000, pcm.sampleRate());
        assertEquals(4000, pcm.samples().length);
        assertEquals(-9.0, Levels.rmsDbfs(pcm.samples()), 0.3); // 0.5 full-scale sine: -6 - 3 dB
        assertTrue(Signals.amplitudeAt(pcm.samples(), 0, 4000, 1000, 8000) > 15000);
    }

    @Test
    void errorsNameTheFileAndTheProblem() {
        WavException e = assertThrows(WavException.class, () -> WavFile.read("hello".getBytes(), "x.wav"));
        assertEquals("x.wav: not a WAV file (no RIFF/WAVE header)", e.getMessage());
        e = assertThrows(WavException.class, () -> WavFile.read(wav(2, 1, 8000, 4, new byte[4], false), "adpcm.wav"));
        assertTrue(e.getMessage().startsWith("adpcm.wav: unsupported WAV encoding (format tag 0x2)"), e.getMessage());
        e = assertThrows(WavException.class, () -> WavFile.read(wav(1, 1, 8000, 12, new byte[4], false), "12.wav"));
        assertTrue(e.getMessage().contains("12.wav: unsupported PCM sample size 12 bits"), e.getMessage());
        ByteArrayOutputStream noData = new ByteArrayOutputStream();
        byte[] full = wav(1, 1, 8000, 16, new byte[0], false);
        noData.write(full, 0, full.length - 8);
        e = assertThrows(WavException.class, () -> WavFile.read(noData.toByteArray(), "nodata.wav"));
        assertEquals("nodata.wav: no data chunk", e.getMessage());
        Path missing = dir.resolve("missing.wav");
        Exception io = assertThrows(java.nio.file.NoSuchFileException.class, () -> WavFile.read(missing));
        assertTrue(io.getMessage().contains("missing.wav"));
    }
}
