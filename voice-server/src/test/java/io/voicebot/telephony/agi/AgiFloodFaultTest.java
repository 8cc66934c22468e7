package io.voicebot.telephony.agi;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.AgiPeer;
import io.voicebot.sim.SimulatedCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FastAGI peer that floods: after a 520- reply it streams usage text without end (kept in memory until the
 * command timeout before); or it sends lines no command asked for. The session's memory stays bounded and the
 * call ends at once with a clear error, the log gets a line, not one per stray line, and the server goes on.
 */
class AgiFloodFaultTest {
    private AgiRouter router;
    private AgiServer server;
    private final BlockingQueue<Object> outcomes = new ArrayBlockingQueue<>(100);

    @BeforeEach
    void start() throws Exception {
        router = new AgiRouter();
        router.register("/valid", recording(AgiCall::answer));
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."),
                Map.of("agi.port", "0", "agi.bind", "127.0.0.1", "agi.command.timeout.ms", "30000"));
        server = new AgiServer(cfg.agi(), router).maxReplyBytes(cfg.access().agiMaxReplyBytes()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AgiScript recording(AgiScript body) {
        return call -> {
            try {
                body.run(call);
                outcomes.add("ok");
            } catch (Exception e) {
                outcomes.add(e);
            }
        };
    }

    private Object outcome(long seconds) throws InterruptedException {
        Object o = outcomes.poll(seconds, TimeUnit.SECONDS);
        assertNotNull(o, "script reported nothing within " + seconds + " s");
        return o;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        try (InputStream env = AgiFloodFaultTest.class.getResourceAsStream("/wire/agi-env-inbound.txt")) {
            s.getOutputStream().write(env.readAllBytes());
            s.getOutputStream().flush();
        }
        return s;
    }

    @Test
    void anEndless520UsageReplyEndsThatCallAtTheLimit() throws Exception {
        router.register("/inbound", recording(AgiCall::answer));
        long t0 = System.nanoTime();
        try (Socket s = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ANSWER", in.readLine());
            OutputStream out = s.getOutputStream();
            String line = "x".repeat(1023) + "\n";
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                long n = 0;
                try {
                    out.write("520-Invalid command syntax.  Proper usage follows:\n".getBytes(StandardCharsets.UTF_8));
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < 64 * 1024; i++) { // up to 64 MB, never "520 End of proper usage."
                        out.write(b);
                        n += b.length;
                    }
                } catch (IOException e) {
                    // the server closed the session
                }
                return n;
            });
            Object o = outcome(10);
            AgiProtocolException e = assertInstanceOf(AgiProtocolException.class, o);
            assertTrue(e.getMessage().contains("longer than 65536 characters"), e.getMessage());
            assertTrue(e.getMessage().contains("ANSWER"), e.getMessage());
            long sentBytes = sent.get(20, TimeUnit.SECONDS);
            assertTrue(sentBytes < 16L * 1024 * 1024, "the server kept reading: " + sentBytes + " bytes taken");
        }
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15), "not ended at once");
        assertValidCallStillWorks();
    }

    @Test
    void strayLinesAreLoggedAtMostOnceASecond() throws Exception {
        CompletableFuture<Void> flooded = new CompletableFuture<>();
        router.register("/inbound", recording(call -> {
            call.answer();
            flooded.get(20, TimeUnit.SECONDS);
        }));
        Thread.sleep(1100); // stray lines of an earlier test must not fall in this one's second
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger agiLog = (Logger) LoggerFactory.getLogger(AgiCall.class);
        agiLog.addAppender(logged);
        try (Socket s = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ANSWER", in.readLine());
            OutputStream out = s.getOutputStream();
            out.write("200 result=0\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 2000; i++) {
                out.write(("200 result=" + i + " stray\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            Thread.sleep(500);
            flooded.complete(null);
            assertEquals("ok", outcome(10));
        } finally {
            agiLog.detachAppender(logged);
        }
        List<String> stray = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("AGI line with no command in flight ignored")).toList();
        assertTrue(!stray.isEmpty() && stray.size() <= 2, stray.size() + " warnings for 2000 stray lines");
        assertValidCallStillWorks();
    }

    private void assertValidCallStillWorks() throws Exception {
        SimulatedCall call = new AgiPeer("127.0.0.1", server.port()).placeCall("/valid", Map.of(), "1");
        assertEquals("SUCCESS", call.awaitEnd(Duration.ofSeconds(10)).agiStatus());
        assertEquals("ok", outcome(10));
    }
}
