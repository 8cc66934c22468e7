package io.voicebot.sim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the AMI peer puts on the wire, byte for byte, against fixtures written from manager.c and app_queue.c. */
class AmiPeerWireTest {
    private static final String SECRET = "peer-secret";
    private AmiPeer peer;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        peer = new AmiPeer("voicebot", SECRET)
                .clock(Clock.fixed(Instant.parse("2024-01-01T00:00:00.123456Z"), ZoneOffset.UTC))
                .challenges(() -> "424242");
        port = peer.start(0);
    }

    @AfterEach
    void tearDown() {
        peer.close();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = AmiPeerWireTest.class.getResourceAsStream("/wire/ami/" + name)) {
            assertNotNull(in, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String msg(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    /** Reads until {@code marker} has been seen (or EOF when null), with a socket timeout as the deadline. */
    private static String readUntil(InputStream in, ByteArrayOutputStream got, String marker) throws IOException {
        byte[] buf = new byte[4096];
        while (marker == null || !got.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void md5LoginPingUnknownActionAndLogoff() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            String key = AmiPeer.md5Hex("424242" + SECRET);
            out.write((msg("Action: Ping", "ActionID: 0")
                    + msg("Action: Challenge", "ActionID: 1", "AuthType: MD5")
                    + msg("Action: Login", "ActionID: 2", "Username: voicebot", "AuthType: MD5", "Key: " + key)
                    + msg("Action: Ping", "ActionID: 3")
                    + msg("Action: Foo")
                    + msg("ActionID: 5")
                    + msg("Action: Logoff", "ActionID: 6")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String got = readUntil(s.getInputStream(), new ByteArrayOutputStream(), null);
            assertEquals(fixture("session-login-ping-logoff.txt"), got);
        }
    }

    @Test
    void wrongSecretIsRefusedAndTheSessionClosed() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(msg("Action: Login", "ActionID: 1", "Username: voicebot", "Secret: nope")
                    .getBytes(StandardCharsets.UTF_8));
            String got = readUntil(s.getInputStream(), new ByteArrayOutputStream(), null);
            assertEquals(fixture("login-failed.txt"), got);
            assertEquals(0, peer.loginCount());
        }
    }

    @Test
    void busyOriginateProducesAsterisksEventSequence() throws IOException {
        peer.script("5551234", AmiPeer.Outcome.BUSY, Duration.ZERO);
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write((msg("Action: Login", "ActionID: 1", "Username: voicebot", "Secret: " + SECRET)
                    + msg("Action: Originate", "ActionID: 7", "Channel: PJSIP/5551234@trunk",
                            "Context: voicebot-outbound", "Exten: s", "Priority: 1", "CallerID: Voicebot <0000>",
                            "Timeout: 30000", "Async: true", "ChannelId: vb-1", "Variable: VOICEBOT_ATTEMPT=42"))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            readUntil(s.getInputStream(), got, "Cause-txt: User busy\r\n\r\n");
            out.write(msg("Action: Logoff", "ActionID: 9").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals(fixture("originate-busy.txt"), readUntil(s.getInputStream(), got, null));
        }
        AmiMessage originate = peer.received("Originate").get(0);
        assertEquals(List.of("VOICEBOT_ATTEMPT=42"), originate.all("Variable"));
    }

    @Test
    void queueSummaryAndStatusFollowAppQueue() throws IOException {
        peer.queue(AmiQueue.of("support", 42,
                List.of(new AmiQueue.Member("Alice", "PJSIP/alice", 1, false, false)),
                List.of(new AmiQueue.Caller("PJSIP/trunk-00000007", "1700000000.7", "5551111", "A", 75))));
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write((msg("Action: Login", "ActionID: 1", "Username: voicebot", "Secret: " + SECRET)
                    + msg("Action: QueueSummary", "ActionID: 2", "Queue: support")
                    + msg("Action: QueueStatus", "ActionID: 3", "Queue: support")
                    + msg("Action: Logoff", "ActionID: 4")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals(fixture("queues.txt"), readUntil(s.getInputStream(), new ByteArrayOutputStream(), null));
        }
    }

    @Test
    void overlongLineEndsThatSessionOnly() throws IOException {
        try (Socket bad = connect(); Socket good = connect()) {
            bad.getOutputStream().write(("Action: " + "x".repeat(AmiWireCodec.MAX_LINE + 10) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String got = readUntil(bad.getInputStream(), new ByteArrayOutputStream(), null);
            assertEquals("Asterisk Call Manager/9.0.0\r\n", got, "session closed after the banner");
            good.getOutputStream().write((msg("Action: Login", "ActionID: 1", "Username: voicebot",
                    "Secret: " + SECRET) + msg("Action: Ping", "ActionID: 2")).getBytes(StandardCharsets.UTF_8));
            String ok = readUntil(good.getInputStream(), new ByteArrayOutputStream(), "Ping: Pong");
            assertTrue(ok.contains("Message: Authentication accepted"), ok);
        }
    }
}
