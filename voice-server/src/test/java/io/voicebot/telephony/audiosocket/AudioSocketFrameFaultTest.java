package io.voicebot.telephony.audiosocket;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.voicebot.config.VoicebotConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A DTMF frame whose byte is no digit ends that session with one clear line, no stack trace, no bogus digit. */
class AudioSocketFrameFaultTest {

    @Test
    void aBadDtmfByteEndsTheSessionWithAClearError() throws Exception {
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("audiosocket.port", "0",
                "audiosocket.bind", "127.0.0.1"));
        List<Character> digits = new CopyOnWriteArrayList<>();
        CountDownLatch hangup = new CountDownLatch(1);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger handlerLog = (Logger) LoggerFactory.getLogger(AudioSocketHandler.class);
        handlerLog.addAppender(logged);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (AudioSocketServer server = new AudioSocketServer(cfg.audioSocket(), ch -> Optional.of(new AudioListener() {
            @Override
            public void onAudio(short[] samples, int sampleRate) {
            }

            @Override
            public void onDtmf(char digit) {
                digits.add(digit);
            }

            @Override
            public void onHangup() {
                hangup.countDown();
            }
        }), executor).start(); Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            UUID id = UUID.randomUUID();
            out.write(new byte[] {0x01, 0x00, 0x10});
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            out.write(b.array());
            out.write(new byte[] {0x03, 0x00, 0x01, '5'});
            s.getOutputStream().write(out.toByteArray());
            s.getOutputStream().flush();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (digits.isEmpty()) { // the session is streaming
                assertTrue(System.nanoTime() < until, "the good digit never arrived");
                Thread.sleep(10);
            }
            s.getOutputStream().write(new byte[] {0x03, 0x00, 0x01, 'z'});
            s.getOutputStream().flush();
            assertTrue(hangup.await(5, TimeUnit.SECONDS), "the session did not end");
            InputStream in = s.getInputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (in.read() >= 0) { // drain the server's idle frames until it closes
                assertTrue(System.nanoTime() < deadline, "the server kept the connection open");
            }
        } finally {
            handlerLog.detachAppender(logged);
            executor.shutdownNow();
        }
        assertEquals(List.of('5'), digits);
        ILoggingEvent line = logged.list.stream().filter(e -> e.getFormattedMessage().contains("not a digit"))
                .findFirst().orElseThrow(() -> new AssertionError("no log line: " + logged.list));
        assertEquals("AudioSocket closed: DTMF frame at offset 23 carries 0x7a, not a digit (0-9, *, #, A-D)",
                line.getFormattedMessage());
        assertNull(line.getThrowableProxy(), "a stack trace was logged");
    }

    /** A 20 ms frame of {@code kind} (rate {@code rate}) carrying a 400 Hz tone, little-endian slin. */
    private static byte[] tone(int kindCode, int rate) {
        int n = rate / 50;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3 + 2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) kindCode).put((byte) ((2 * n) >> 8)).put((byte) (2 * n));
        for (int i = 0; i < n; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 400 * i / rate)));
        }
        return b.array();
    }

    @Test
    void anAudioFrameOfAnotherRateIsConvertedAndTheCallGoesOn() throws Exception {
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("audiosocket.port", "0",
                "audiosocket.bind", "127.0.0.1"));
        List<int[]> frames = new CopyOnWriteArrayList<>(); // {samples, rate, peak}
        List<Character> digits = new CopyOnWriteArrayList<>();
        CountDownLatch hangup = new CountDownLatch(1);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger handlerLog = (Logger) LoggerFactory.getLogger(AudioSocketHandler.class);
        handlerLog.addAppender(logged);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (AudioSocketServer server = new AudioSocketServer(cfg.audioSocket(), ch -> Optional.of(new AudioListener() {
            @Override
            public void onAudio(short[] samples, int sampleRate) {
                int peak = 0;
                for (short v : samples) {
                    peak = Math.max(peak, Math.abs(v));
                }
                frames.add(new int[] {samples.length, sampleRate, peak});
            }

            @Override
            public void onDtmf(char digit) {
                digits.add(digit);
            }

            @Override
            public void onHangup() {
                hangup.countDown();
            }
        }), executor).start(); Socket s = new Socket("127.0.0.1", server.port())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            UUID id = UUID.randomUUID();
            out.write(new byte[] {0x01, 0x00, 0x10});
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            out.write(b.array());
            out.write(tone(0x10, 8000));   // the session is 8 kHz
            out.write(tone(0x12, 16000));  // then a 16 kHz frame
            out.write(tone(0x12, 16000));
            out.write(tone(0x10, 8000));
            out.write(new byte[] {0x03, 0x00, 0x01, '7'});
            s.getOutputStream().write(out.toByteArray());
            s.getOutputStream().flush();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (digits.isEmpty()) {
                assertTrue(System.nanoTime() < until, "the digit after the odd frames never arrived");
                Thread.sleep(10);
            }
            assertEquals(1, hangup.getCount(), "the session is still up");
        } finally {
            handlerLog.detachAppender(logged);
            executor.shutdownNow();
        }
        assertEquals(4, frames.size());
        for (int[] f : frames) {
            assertEquals(160, f[0], "20 ms at the session's 8 kHz");
            assertEquals(8000, f[1]);
            assertTrue(f[2] > 7000, "the tone is kept, peak " + f[2]);
        }
        List<String> warnings = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("Hz session")).toList();
        assertEquals(List.of("AudioSocket audio frame at 16000 Hz in a 8000 Hz session: converted to 8000 Hz "
                + "(further ones silently)"), warnings);
    }
}
