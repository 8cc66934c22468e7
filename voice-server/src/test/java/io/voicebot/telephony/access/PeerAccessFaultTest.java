package io.voicebot.telephony.access;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.agi.AgiServer;
import io.voicebot.telephony.audiosocket.AudioListener;
import io.voicebot.telephony.audiosocket.AudioSocketServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FastAGI and AudioSocket closed to strangers: a peer outside the allowlist is closed before it is read (the
 * script never runs, the acceptor never sees a UUID), and a scan of many connections logs one line, not one each.
 */
class PeerAccessFaultTest {

    private static VoicebotConfig config(Map<String, String> o) {
        return VoicebotConfig.defaults(Path.of("."), o);
    }

    @Test
    void allowlistEntries() {
        PeerAllowlist ranges = PeerAllowlist.parse("10.0.0.0/8, 192.0.2.7", List.of());
        assertTrue(ranges.allows(new InetSocketAddress("10.200.1.2", 1)));
        assertTrue(ranges.allows(new InetSocketAddress("192.0.2.7", 1)));
        assertFalse(ranges.allows(new InetSocketAddress("192.0.2.8", 1)));
        assertFalse(ranges.allows(new InetSocketAddress("127.0.0.1", 1)));
        // default: loopback and the configured Asterisk host
        PeerAllowlist def = PeerAllowlist.parse("", List.of("198.51.100.9"));
        assertTrue(def.allows(new InetSocketAddress("127.0.0.1", 1)));
        assertTrue(def.allows(new InetSocketAddress("::1", 1)));
        assertTrue(def.allows(new InetSocketAddress("198.51.100.9", 1)));
        assertFalse(def.allows(new InetSocketAddress("198.51.100.10", 1)));
        assertTrue(PeerAllowlist.parse("*", List.of()).allows(new InetSocketAddress("203.0.113.1", 1)));
        ConfigException bad = assertThrows(ConfigException.class, () -> PeerFilter.fromConfig("FastAGI",
                "agi.allow", "10.0.0.0/40", config(Map.of()).ami()));
        assertTrue(bad.getMessage().contains("agi.allow") && bad.getMessage().contains("10.0.0.0/40"),
                bad.getMessage());
    }

    @Test
    void peersOutsideTheAllowlistAreClosedAtOnceAndLoggedOnce() throws Exception {
        VoicebotConfig cfg = config(Map.of("agi.port", "0", "agi.bind", "127.0.0.1", "audiosocket.port", "0",
                "audiosocket.bind", "127.0.0.1"));
        AtomicInteger scripts = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AgiRouter router = new AgiRouter().register("/inbound", call -> scripts.incrementAndGet());
        // only an address this machine cannot connect from: loopback is a stranger here
        PeerFilter agiFilter = new PeerFilter("FastAGI", PeerAllowlist.parse("192.0.2.1", List.of()));
        PeerFilter asFilter = new PeerFilter("AudioSocket", PeerAllowlist.parse("192.0.2.1", List.of()));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger filterLog = (Logger) LoggerFactory.getLogger(PeerFilter.class);
        filterLog.addAppender(logged);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (AgiServer agi = new AgiServer(cfg.agi(), router).allowOnly(agiFilter).start();
             AudioSocketServer as = new AudioSocketServer(cfg.audioSocket(), ch -> {
                 accepted.incrementAndGet();
                 return Optional.<AudioListener>empty();
             }, executor).allowOnly(asFilter).start()) {
            for (int i = 0; i < 20; i++) {
                assertClosedUnread(agi.port(), ("agi_network: yes\nagi_network_script: inbound\n"
                        + "agi_request: agi://127.0.0.1/inbound\nagi_channel: PJSIP/x-1\n\n").getBytes());
                // a UUID frame: kind 0x01, length 16
                byte[] uuid = new byte[19];
                uuid[0] = 0x01;
                uuid[2] = 16;
                assertClosedUnread(as.port(), uuid);
            }
            Thread.sleep(200);
            assertEquals(0, scripts.get(), "a refused FastAGI peer ran a script");
            assertEquals(0, accepted.get(), "a refused AudioSocket peer reached the acceptor");
            assertEquals(20, agiFilter.refused());
            assertEquals(20, asFilter.refused());
            List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(2, lines.size(), "one line per listener for 40 refusals: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("FastAGI connection from 127.0.0.1 refused")),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("AudioSocket connection from 127.0.0.1 refused")),
                    lines.toString());
        } finally {
            filterLog.detachAppender(logged);
            executor.shutdownNow();
        }
    }

    /** Connects, sends {@code hello}, and expects the server to close without writing a byte, within 2 s. */
    private static void assertClosedUnread(int port, byte[] hello) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            try {
                s.getOutputStream().write(hello);
            } catch (java.io.IOException e) {
                return; // already closed
            }
            InputStream in = s.getInputStream();
            try {
                assertEquals(-1, in.read(), "the server answered a refused peer");
            } catch (java.net.SocketException e) {
                // reset: closed as well
            }
        }
    }
}
