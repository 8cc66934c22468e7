package io.voicebot.telephony.agi;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.AgiPeer;
import io.voicebot.sim.SimulatedCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgiServerTest {
    private AgiRouter router;
    private AgiServer server;
    private final BlockingQueue<Object> outcomes = new ArrayBlockingQueue<>(100);

    @BeforeEach
    void start() throws Exception {
        router = new AgiRouter();
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."),
                Map.of("agi.port", "0", "agi.bind", "127.0.0.1", "agi.command.timeout.ms", "700"));
        server = new AgiServer(cfg.agi(), router).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Object outcome() throws InterruptedException {
        Object o = outcomes.poll(10, TimeUnit.SECONDS);
        assertNotNull(o, "script reported nothing within 10 s");
        return o;
    }

    /** A script that records what it saw and the exception that ended it, if any. */
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

    @Test
    void fullSessionAgainstSimulatedAsterisk() throws Exception {
        Map<String, Object> seen = new ConcurrentHashMap<>();
        router.register("/inbound", recording(call -> {
            AgiRequest r = call.request();
            seen.put("script", r.script());
            seen.put("line", r.parameter("line").orElse("?"));
            seen.put("caller", r.callerId());
            seen.put("args", r.args());
            seen.put("statusBefore", call.channelStatus());
            call.answer();
            seen.put("statusAfter", call.channelStatus());
            seen.put("attempt", call.getVariable("VOICEBOT_ATTEMPT").orElse("none"));
            seen.put("missing", call.getVariable("NOT_SET").isPresent());
            call.setVariable("VOICEBOT_OUTCOME", "said \"yes\" (twice)");
            seen.put("full", call.getFullVariable("${VOICEBOT_OUTCOME}/${CHANNEL}").orElse("?"));
            AgiCall.PlaybackResult p = call.streamFile("welcome", "#1");
            seen.put("escape", p.digit());
            seen.put("endpos", p.endpos());
            seen.put("digit", call.waitForDigit(2000));
            seen.put("noDigit", (int) call.waitForDigit(50));
            seen.put("exec", call.exec("NoOp", "hello"));
            seen.put("noSuchApp", call.exec("NoSuchApp", ""));
            call.verbose("voicebot was here", 1);
        }));
        AgiPeer peer = new AgiPeer("127.0.0.1", server.port()).withSounds(Map.of("welcome", 16000));
        SimulatedCall call = peer.placeCall("/inbound?line=hotline", Map.of("VOICEBOT_ATTEMPT", "2"), "+15551234567",
                List.of("a1", "a 2"));
        call.pressDigits("#7");
        SimulatedCall.Result result = call.awaitEnd(Duration.ofSeconds(10));
        assertEquals("ok", outcome());
        assertEquals("SUCCESS", result.agiStatus());
        assertEquals("/inbound", seen.get("script"));
        assertEquals("hotline", seen.get("line"));
        assertEquals("+15551234567", seen.get("caller"));
        assertEquals(List.of("a1", "a 2"), seen.get("args"));
        assertEquals(4, seen.get("statusBefore"));
        assertEquals(6, seen.get("statusAfter"));
        assertEquals("2", seen.get("attempt"));
        assertEquals(false, seen.get("missing"));
        assertEquals("said \"yes\" (twice)", result.variables().get("VOICEBOT_OUTCOME"));
        assertTrue(((String) seen.get("full")).startsWith("said \"yes\" (twice)/PJSIP/trunk-"), (String) seen.get("full"));
        assertEquals('#', seen.get("escape"));
        assertEquals(8000L, seen.get("endpos"));
        assertEquals('7', seen.get("digit"));
        assertEquals(0, seen.get("noDigit"));
        assertEquals(0, seen.get("exec"));
        assertEquals(-2, seen.get("noSuchApp"));
        assertEquals(List.of("voicebot was here"), call.verboseMessages());
    }

    @Test
    void callerHangupGivesHangupLineThenTypedException() throws Exception {
        router.register("/inbound", recording(call -> {
            call.answer();
            try {
                call.waitForDigit(10_000);
                throw new AssertionError("digit wait should fail on hangup");
            } catch (AgiHangupException expected) {
                // the caller hung up while we waited
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!call.isHungUp() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            call.answer(); // refused locally: HANGUP was received
        }));
        SimulatedCall call = new AgiPeer("127.0.0.1", server.port()).placeCall("/inbound", Map.of(), "100");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!call.commands().contains("WAIT FOR DIGIT 10000") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        call.hangup();
        assertInstanceOf(AgiHangupException.class, outcome());
        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(5));
        assertEquals("HANGUP", r.agiStatus());
    }

    @Test
    void unknownScriptSetsErrorVariableWithoutHangup() throws Exception {
        SimulatedCall call = new AgiPeer("127.0.0.1", server.port()).placeCall("/nope?x=1", Map.of(), null);
        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(5));
        assertEquals("unknown AGI script /nope", r.variables().get("VOICEBOT_ERROR"));
        assertEquals("SUCCESS", r.agiStatus());
        assertTrue(call.commands().stream().noneMatch(c -> c.startsWith("HANGUP")), call.commands().toString());
    }

    // ---- raw-socket Asterisk for byte-exact replies and misbehaviour ----

    private static final class RawAsterisk implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        RawAsterisk(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void sendEnvironment() throws IOException {
            try (InputStream env = AgiServerTest.class.getResourceAsStream("/wire/agi-env-inbound.txt")) {
                out.write(env.readAllBytes());
                out.flush();
            }
        }

        String command() throws IOException {
            return in.readLine();
        }

        /** True when the server closed the connection (EOF) within the socket timeout. */
        boolean closedByServer() throws IOException {
            return in.read() == -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void environmentFixtureIsParsedCompletely() throws Exception {
        router.register("/inbound", recording(call -> outcomes.add(call.request())));
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.sendEnvironment();
            AgiRequest r = (AgiRequest) outcome();
            assertEquals("/inbound", r.script());
            assertEquals(Map.of("line", "hotline", "lang", "en-us"), r.parameters());
            assertEquals("1700000000.42", r.uniqueId());
            assertEquals("PJSIP/trunk-00000001", r.channel());
            assertEquals("+15551234567", r.callerId());
            assertEquals("John Doe", r.callerIdName());
            assertEquals("8005550100", r.dnid());
            assertEquals("", r.env().get("agi_accountcode"));
            assertEquals(List.of("first", "second arg"), r.args());
            assertEquals("ok", outcome());
            assertTrue(a.closedByServer());
        }
    }

    @Test
    void errorRepliesBecomeTypedExceptions() throws Exception {
        router.register("/inbound", recording(call -> {
            try {
                call.answer();
            } catch (AgiCommandException e) {
                outcomes.add(e);
            }
            try {
                call.waitForDigit(5);
            } catch (AgiUsageException e) {
                outcomes.add(e);
            }
            try {
                call.setVariable("A", "b");
            } catch (AgiHangupException e) {
                outcomes.add(e);
            }
            outcomes.add(call.getVariable("X").orElse("empty"));
        }));
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.sendEnvironment();
            assertEquals("ANSWER", a.command());
            a.send("510 Invalid or unknown command\n");
            AgiCommandException e510 = (AgiCommandException) outcome();
            assertEquals(510, e510.code());
            assertEquals("WAIT FOR DIGIT 5", a.command());
            a.send("520-Invalid command syntax.  Proper usage follows:\n"
                    + "Waits up to timeout milliseconds for channel to receive a DTMF digit.\n"
                    + "Use -1 for the timeout value if you desire the call to block indefinitely.\n"
                    + "520 End of proper usage.\n");
            AgiUsageException u = (AgiUsageException) outcome();
            assertEquals("Waits up to timeout milliseconds for channel to receive a DTMF digit.\n"
                    + "Use -1 for the timeout value if you desire the call to block indefinitely.", u.usage());
            assertEquals("WAIT FOR DIGIT 5", u.command());
            assertEquals("SET VARIABLE \"A\" \"b\"", a.command());
            a.send("511 Command Not Permitted on a dead channel or intercept routine\n");
            assertTrue(((AgiHangupException) outcome()).getMessage().contains("dead channel"));
            assertEquals("GET VARIABLE \"X\"", a.command());
            a.send("200 result=1 (a (nested) value)\n");
            assertEquals("a (nested) value", outcome());
            assertEquals("ok", outcome());
        }
    }

    @Test
    void unansweredCommandTimesOutAndServerKeepsWorking() throws Exception {
        router.register("/inbound", recording(AgiCall::answer));
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.sendEnvironment();
            assertEquals("ANSWER", a.command());
            // never answer
            AgiTimeoutException t = (AgiTimeoutException) outcome();
            assertTrue(t.getMessage().contains("'ANSWER' within 700 ms"), t.getMessage());
            assertTrue(a.closedByServer());
        }
        assertValidCallStillWorks();
    }

    @Test
    void malformedInputEndsOnlyThatSession() throws Exception {
        router.register("/inbound", recording(AgiCall::answer));
        // garbage environment line
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.send("agi_request: agi://x/inbound\nthis is not agi\n\n");
            assertTrue(a.closedByServer());
        }
        // random binary bytes with no newline, longer than any AGI line
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            byte[] junk = new byte[AgiRequest.MAX_LINE + 100];
            new java.util.Random(7).nextBytes(junk);
            for (int i = 0; i < junk.length; i++) {
                if (junk[i] == '\n') {
                    junk[i] = 'x';
                }
            }
            a.out.write(junk);
            a.out.flush();
            assertTrue(a.closedByServer());
        }
        // environment without the blank line, then close
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.send("agi_network: yes\nagi_request: agi://x/inbound\nagi_channel: PJSIP/1\n");
        }
        // environment never finished: the server gives up after the command timeout
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.send("agi_request: agi://x/inbound\n");
            assertTrue(a.closedByServer());
        }
        // early disconnect in the middle of a command
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.sendEnvironment();
            assertEquals("ANSWER", a.command());
        }
        assertInstanceOf(AgiHangupException.class, outcome());
        // garbage reply to a command
        try (RawAsterisk a = new RawAsterisk(server.port())) {
            a.sendEnvironment();
            assertEquals("ANSWER", a.command());
            a.send("200 result=banana\n");
            assertInstanceOf(AgiProtocolException.class, outcome());
            assertTrue(a.closedByServer());
        }
        assertNull(outcomes.poll());
        assertValidCallStillWorks();
    }

    private void assertValidCallStillWorks() throws Exception {
        SimulatedCall call = new AgiPeer("127.0.0.1", server.port()).placeCall("/inbound", Map.of(), "1");
        assertEquals("SUCCESS", call.awaitEnd(Duration.ofSeconds(5)).agiStatus());
        assertEquals("ok", outcome());
        assertEquals(List.of("ANSWER"), call.commands());
    }

    @Test
    void hundredsOfConcurrentSessions() throws Exception {
        router.register("/inbound", call -> {
            call.answer();
            call.setVariable("N", call.request().parameter("n").orElseThrow());
        });
        int n = 300;
        SimulatedCall[] calls = new SimulatedCall[n];
        AgiPeer peer = new AgiPeer("127.0.0.1", server.port());
        for (int i = 0; i < n; i++) {
            calls[i] = peer.placeCall("/inbound?n=" + i, Map.of(), "1");
        }
        for (int i = 0; i < n; i++) {
            SimulatedCall.Result r = calls[i].awaitEnd(Duration.ofSeconds(30));
            assertEquals(String.valueOf(i), r.variables().get("N"));
        }
    }
}
