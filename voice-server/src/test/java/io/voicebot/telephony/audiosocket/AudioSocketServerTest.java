package io.voicebot.telephony.audiosocket;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.AudioSocketPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioSocketServerTest {
    /** What the server saw of one session. */
    static final class Session implements AudioListener {
        final AudioChannel channel;
        final BlockingQueue<short[]> audio = new LinkedBlockingQueue<>();
        final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
        volatile int hangups;
        volatile int rate;

        Session(AudioChannel channel) {
            this.channel = channel;
        }

        @Override
        public void onAudio(short[] samples, int sampleRate) {
            rate = sampleRate;
            audio.add(samples);
        }

        @Override
        public void onDtmf(char digit) {
            digits.add(digit);
        }

        @Override
        public void onHangup() {
            hangups++;
        }

        int samplesReceived() {
            return audio.stream().mapToInt(a -> a.length).sum();
        }
    }

    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private AudioSocketServer server;

    @BeforeEach
    void start() throws Exception {
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("audiosocket.port", "0",
                "audiosocket.bind", "127.0.0.1", "audiosocket.uuid.timeout.ms", "500"));
        server = new AudioSocketServer(cfg.audioSocket(), ch -> {
            if (ch.uuid().getMostSignificantBits() == 0) {
                return Optional.empty(); // rejected UUIDs for the test
            }
            Session s = new Session(ch);
            sessions.put(ch.uuid(), s);
            return Optional.of(s);
        }, executor).start();
    }

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    static short[] tone(int rate, int ms, double hz) {
        short[] s = new short[rate * ms / 1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private Session connectSession(AudioSocketPeer peer, UUID id) {
        await("session " + id, () -> sessions.containsKey(id));
        return sessions.get(id);
    }

    @Test
    void wavInPacedAudioOutAndHangupReturnsZero(@TempDir Path dir) throws Exception {
        UUID id = UUID.randomUUID();
        Path wav = dir.resolve("caller.wav");
        short[] callerTone = tone(8000, 1000, 440);
        AudioSocketPeer.writeWav(wav, callerTone, 8000);
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, false)) {
            Session s = connectSession(peer, id);
            peer.sendWav(wav).get(5, TimeUnit.SECONDS);
            await("all caller audio", () -> s.samplesReceived() >= callerTone.length);
            assertEquals(8000, s.rate);
            short[] got = new short[callerTone.length];
            int at = 0;
            for (short[] frame : s.audio) {
                System.arraycopy(frame, 0, got, at, Math.min(frame.length, got.length - at));
                at += frame.length;
            }
            assertEquals(java.util.Arrays.toString(callerTone), java.util.Arrays.toString(got));

            // Two queued prompts play back to back, then silence.
            short[] a = tone(8000, 500, 600);
            short[] b = tone(8000, 300, 900);
            Playback pa = s.channel.play(a);
            Playback pb = s.channel.play(b);
            assertTrue(pa.done().get(5, TimeUnit.SECONDS));
            assertTrue(pb.done().get(5, TimeUnit.SECONDS));
            int before = peer.received().size();
            await("idle frames", () -> peer.received().size() >= before + 25);

            s.channel.hangup();
            assertEquals(0, peer.result().get(5, TimeUnit.SECONDS));
            await("onHangup", () -> s.hangups == 1);
            assertFalse(s.channel.isOpen());

            List<AudioSocketPeer.ReceivedFrame> frames = peer.received();
            for (AudioSocketPeer.ReceivedFrame f : frames) {
                assertEquals(Frame.Kind.AUDIO, f.frame().kind());
                assertEquals(320, f.frame().payloadLength(), "every paced frame is 20 ms of slin");
            }
            // The prompts arrive whole and in order inside the stream.
            short[] all = peer.receivedAudio();
            int start = indexOf(all, a);
            assertTrue(start >= 0, "first prompt found in received audio");
            assertEquals(start + a.length, indexOf(all, b), "second prompt follows the first without a gap");
            assertTrue(frames.stream().anyMatch(f -> isSilent(f.frame().samples())), "silence frames when idle");

            // Pacing: frame i arrives at first + i * 20 ms. Never ahead of that clock (a fast sender builds a queue
            // Asterisk never drains); late only briefly (a stalled machine is caught up, not shifted for good);
            // never silent for the 2 s after which app_audiosocket hangs up.
            long first = frames.get(0).nanos();
            long last = frames.get(frames.size() - 1).nanos();
            double meanMs = (last - first) / 1e6 / (frames.size() - 1);
            assertTrue(Math.abs(meanMs - 20.0) < 2.0, "mean frame interval " + meanMs + " ms");
            long maxGap = 0;
            long mostAhead = 0;
            int late = 0;
            for (int i = 1; i < frames.size(); i++) {
                maxGap = Math.max(maxGap, frames.get(i).nanos() - frames.get(i - 1).nanos());
                long lag = frames.get(i).nanos() - (first + i * TimeUnit.MILLISECONDS.toNanos(20));
                mostAhead = Math.min(mostAhead, lag);
                if (lag > TimeUnit.MILLISECONDS.toNanos(60)) {
                    late++;
                }
            }
            assertTrue(mostAhead > -TimeUnit.MILLISECONDS.toNanos(40), "ahead of the 20 ms clock by "
                    + -mostAhead / 1e6 + " ms");
            assertTrue(late <= frames.size() / 10, late + " of " + frames.size() + " frames over 60 ms late");
            assertTrue(maxGap < TimeUnit.MILLISECONDS.toNanos(1500), "largest gap " + maxGap / 1e6 + " ms");
        }
    }

    private static boolean isSilent(short[] s) {
        for (short v : s) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(short[] hay, short[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void stopPlaybackCutsWithinOneFrameAndDtmfArrives() throws Exception {
        UUID id = UUID.randomUUID();
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, true)) {
            Session s = connectSession(peer, id);
            short[] loud = new short[8000 * 5];
            java.util.Arrays.fill(loud, (short) 1000);
            Playback p = s.channel.play(loud);
            Playback queued = s.channel.play(loud);
            await("playback started", () -> peer.received().stream()
                    .anyMatch(f -> f.frame().samples()[0] == 1000));
            peer.sendDtmf('5');
            Character d = s.digits.poll(5, TimeUnit.SECONDS);
            assertNotNull(d);
            assertEquals('5', d);
            s.channel.stopPlayback();
            int sentAtStop = (int) s.channel.framesSent();
            assertFalse(p.done().get(5, TimeUnit.SECONDS));
            assertFalse(queued.done().get(5, TimeUnit.SECONDS));
            await("frames after the stop", () -> peer.received().size() >= sentAtStop + 5);
            List<AudioSocketPeer.ReceivedFrame> frames = peer.received();
            // At most the frame being built when stop was called may still carry audio.
            for (int i = sentAtStop + 1; i < frames.size(); i++) {
                assertTrue(isSilent(frames.get(i).frame().samples()), "frame " + i + " after stop is silent");
            }
        }
    }

    /** A prompt's later sentence (issue 14): joined to the one before with no gap; never played behind a stop. */
    @Test
    void playAfterJoinsWithoutAGapAndNothingPlaysBehindAStoppedPlayback() throws Exception {
        UUID id = UUID.randomUUID();
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, true)) {
            Session s = connectSession(peer, id);
            short[] first = new short[8000 + 37]; // ends inside a frame
            short[] second = new short[4000];
            short[] third = new short[8000 * 5];
            short[] late = new short[800];
            java.util.Arrays.fill(first, (short) 1000);
            java.util.Arrays.fill(second, (short) 2000);
            java.util.Arrays.fill(third, (short) 3000);
            java.util.Arrays.fill(late, (short) 4000);
            Playback a = s.channel.play(first);
            await("the first part started", () -> peer.received().stream()
                    .anyMatch(f -> f.frame().samples()[0] == 1000));
            Playback b = s.channel.playAfter(a, second); // while the first plays
            Playback c = s.channel.playAfter(b, third);
            assertTrue(a.done().get(5, TimeUnit.SECONDS));
            assertTrue(b.done().get(5, TimeUnit.SECONDS));
            s.channel.stopPlayback();
            assertFalse(c.done().get(5, TimeUnit.SECONDS));
            Playback d = s.channel.playAfter(c, late);
            assertFalse(d.done().get(5, TimeUnit.SECONDS), "behind a stopped playback nothing plays");
            Playback e = s.channel.playAfter(b, late);
            assertFalse(e.done().get(5, TimeUnit.SECONDS), "nor behind one that ended before the stop");
            int sentAtStop = (int) s.channel.framesSent();
            await("frames after the stop", () -> peer.received().size() >= sentAtStop + 10);

            List<AudioSocketPeer.ReceivedFrame> frames = peer.received();
            short[] heard = new short[frames.size() * 160];
            for (int i = 0; i < frames.size(); i++) {
                System.arraycopy(frames.get(i).frame().samples(), 0, heard, i * 160, 160);
            }
            short[] joined = new short[first.length + second.length];
            System.arraycopy(first, 0, joined, 0, first.length);
            System.arraycopy(second, 0, joined, first.length, second.length);
            int at = indexOf(heard, joined);
            assertTrue(at >= 0, "the two parts end to end, sample for sample");
            assertEquals(3000, heard[at + joined.length], "the third part right behind them");
            for (short v : heard) {
                assertTrue(v != 4000, "a part queued behind a stopped one was heard");
            }
        }
    }

    @Test
    void serverSilenceKeepsAsteriskPastTheTwoSecondRule() throws Exception {
        UUID id = UUID.randomUUID();
        // A channel that sends nothing: only the server's paced silence counts as activity.
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, false)) {
            connectSession(peer, id);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2600);
            await("2.6 s", () -> System.nanoTime() > until || peer.result().isDone());
            assertFalse(peer.result().isDone(), "AudioSocket ended: " + peer.endReason());
            assertTrue(peer.received().size() > 100);
        }
    }

    @Test
    void aLineThatSendsNothingIsHeardAsSilenceOnThePacersClock() throws Exception {
        UUID id = UUID.randomUUID();
        // Asterisk sends no frames while the far end sends no audio (a Local channel in Wait(), a trunk with
        // silence suppression): timers counted in received audio must still run.
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, false)) {
            Session s = connectSession(peer, id);
            long t0 = System.nanoTime();
            await("1 s of filled-in silence", () -> s.samplesReceived() >= 8000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            // never faster than real time after the 200 ms gap (a loaded machine may be slower)
            assertTrue(seconds >= 1.1, "1 s of silence in " + seconds + " s");
            for (short[] frame : s.audio) {
                assertEquals(160, frame.length);
                for (short v : frame) {
                    assertEquals(0, v);
                }
            }
        }
    }

    @Test
    void aLineThatSendsAudioGetsNothingFilledIn() throws Exception {
        UUID id = UUID.randomUUID();
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, false)) {
            Session s = connectSession(peer, id);
            peer.send(tone(8000, 1500, 440)).get(10, TimeUnit.SECONDS); // 75 frames, 20 ms apart like Asterisk
            await("75 frames", () -> s.audio.size() >= 75);
            Thread.sleep(60); // well inside the 200 ms after which a gap would be filled
            assertEquals(75, s.audio.size(), "frames were filled in while audio was flowing");
            assertTrue(s.audio.stream().allMatch(f -> f[1] != 0), "a silent frame among the tone");
        }
    }

    @Test
    void higherRateSessionIsPacedAtItsRate() throws Exception {
        UUID id = UUID.randomUUID();
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 16000, true)) {
            Session s = connectSession(peer, id);
            await("16 kHz audio", () -> s.rate == 16000);
            assertEquals(16000, s.channel.sampleRate());
            await("paced 16 kHz frames", () -> peer.received().stream()
                    .anyMatch(f -> f.frame().kind() == Frame.Kind.AUDIO_SLIN16 && f.frame().payloadLength() == 640));
        }
    }

    private static void raw(int port, byte[] bytes, boolean closeAfter) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setSoTimeout(5000);
            OutputStream out = sock.getOutputStream();
            out.write(bytes);
            out.flush();
            if (closeAfter) {
                return;
            }
            assertEquals(-1, sock.getInputStream().read(), "server closes the session");
        }
    }

    @Test
    void malformedInputEndsOnlyThatSession() throws Exception {
        byte[] uuid = FrameCodecTest.fixture("uuid.bin");
        // random bytes
        byte[] junk = new byte[500];
        new java.util.Random(3).nextBytes(junk);
        junk[0] = 0x42;
        raw(server.port(), junk, false);
        // audio before UUID
        raw(server.port(), FrameCodecTest.fixture("audio-slin-320.bin"), false);
        // oversize length after a valid UUID
        raw(server.port(), concat(uuid, new byte[] {0x10, (byte) 0xff, (byte) 0xff}), false);
        // truncated header, then close
        raw(server.port(), concat(uuid, new byte[] {0x10, 0x01}), true);
        // no UUID at all: closed after audiosocket.uuid.timeout.ms
        raw(server.port(), new byte[0], false);
        // rejected UUID (acceptor returns empty)
        raw(server.port(), concat(new byte[] {0x01, 0x00, 0x10}, new byte[16]), false);
        // a second UUID
        raw(server.port(), concat(uuid, uuid), false);

        UUID id = UUID.randomUUID();
        try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), id, 8000, true)) {
            Session s = connectSession(peer, id);
            await("audio on a valid session", () -> s.samplesReceived() >= 1600);
            peer.hangupCaller();
            await("onHangup after the caller left", () -> s.hangups == 1);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void endOfSessionIsLoggedAsVoicebotsHangupOrThePeersClose() throws Exception {
        ch.qos.logback.classic.Logger handlerLog = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(AudioSocketHandler.class);
        ch.qos.logback.classic.Level level = handlerLog.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        handlerLog.addAppender(logged);
        handlerLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            UUID ours = UUID.randomUUID();
            try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), ours, 8000, true)) {
                Session s = connectSession(peer, ours);
                s.channel.hangup();
                assertEquals(0, peer.result().get(5, TimeUnit.SECONDS));
                await("onHangup after our hangup frame", () -> s.hangups == 1);
            }
            UUID theirs = UUID.randomUUID();
            try (AudioSocketPeer peer = AudioSocketPeer.connect("127.0.0.1", server.port(), theirs, 8000, true)) {
                Session s = connectSession(peer, theirs);
                peer.hangupCaller();
                await("onHangup after the caller left", () -> s.hangups == 1);
            }
            List<String> lines = logged.list.stream()
                    .map(e -> e.getMDCPropertyMap().get("call") + " " + e.getFormattedMessage()).toList();
            assertTrue(lines.contains(ours + " AudioSocket ended by voicebot (hangup frame sent)"), lines.toString());
            assertTrue(lines.contains(theirs + " AudioSocket closed by the peer"), lines.toString());
            assertFalse(lines.contains(ours + " AudioSocket closed by the peer"), lines.toString());
        } finally {
            handlerLog.detachAppender(logged);
            handlerLog.setLevel(level);
        }
    }
}
