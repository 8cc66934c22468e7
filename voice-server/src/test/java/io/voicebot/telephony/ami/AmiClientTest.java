package io.voicebot.telephony.ami;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.AmiMessage;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.AmiQueue;
import io.voicebot.sim.OriginatedCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** AmiClient against the in-process AMI peer over real TCP sockets. */
class AmiClientTest {
    private static final String SECRET = "s3cr3t-Pa55-xyzzy";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AmiClient> clients = new ArrayList<>();
    private final List<String> connectionLog = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private AmiPeer peer;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        scheduler = Executors.newScheduledThreadPool(2);
        peer = new AmiPeer("voicebot", SECRET);
        port = peer.start(0);
    }

    @AfterEach
    void tearDown() {
        clients.forEach(AmiClient::close);
        peer.close();
        scheduler.shutdownNow();
    }

    private VoicebotConfig.Ami config(String secret, long pingMs) {
        Map<String, String> o = new HashMap<>();
        o.put("ami.enabled", "true");
        o.put("ami.host", "127.0.0.1");
        o.put("ami.port", String.valueOf(port));
        o.put("ami.username", "voicebot");
        o.put("ami.secret", secret);
        o.put("ami.ping.interval.ms", String.valueOf(pingMs));
        o.put("ami.command.timeout.ms", "1000");
        o.put("ami.reconnect.max.backoff.ms", "1000");
        Path home = Path.of(System.getProperty("voicebot.home", ".."));
        return VoicebotConfig.defaults(home, o).ami();
    }

    private AmiClient client(String secret, long pingMs) {
        AmiClient c = new AmiClient(config(secret, pingMs), scheduler);
        c.addConnectionListener((up, detail) -> connectionLog.add((up ? "UP " : "DOWN ") + detail));
        clients.add(c);
        return c;
    }

    private AmiClient connected() throws Exception {
        AmiClient c = client(SECRET, 200);
        c.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return c;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return e.getCause();
    }

    private static OriginateRequest call(String number, String attempt) {
        return OriginateRequest.toNumber("PJSIP/${number}@trunk", number, "voicebot-outbound", "Voicebot <0000>",
                Duration.ofSeconds(30), attempt);
    }

    @Test
    void logsInWithMd5ChallengeAndKeepsPinging() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            AmiClient c = connected();
            assertTrue(c.isConnected());
            await("two pings", () -> peer.received("Ping").size() >= 2);
            AmiMessage login = peer.received("Login").get(0);
            assertEquals("voicebot", login.get("Username"));
            assertEquals("MD5", login.get("AuthType"));
            assertEquals("", login.get("Secret"), "the secret must not be sent in clear");
            assertEquals(1, peer.loginCount());
            assertTrue(connectionLog.get(0).startsWith("UP "), connectionLog.toString());
            for (String line : logs.lines()) {
                assertFalse(line.contains(SECRET), "secret in log: " + line);
            }
        }
    }

    @Test
    void wrongSecretIsRetriedWithWarningsUntilAsteriskAcceptsIt() throws Exception {
        String wrong = "wrong-Secret-4711";
        try (LogCapture logs = new LogCapture()) {
            AmiClient c = client(wrong, 200);
            CompletableFuture<Void> started = c.start();
            await("three refused logins", () -> peer.connectionCount() >= 3);
            assertFalse(c.isConnected());
            assertFalse(started.isDone(), "start waits for a login that works");
            assertEquals(0, peer.loginCount());
            assertEquals("authentication failed (check ami.username and ami.secret)", c.unavailableReason());
            List<String> warnings = logs.lines(ch.qos.logback.classic.Level.WARN).stream()
                    .filter(l -> l.startsWith(AmiClient.class.getName())).toList();
            assertTrue(warnings.size() >= 2, warnings.toString());
            assertTrue(warnings.get(0).contains("AMI login to 127.0.0.1:" + port)
                    && warnings.get(0).contains("failed: Authentication failed")
                    && warnings.get(0).contains("ami.secret") && warnings.get(0).contains("next attempt in 250 ms"),
                    warnings.get(0));
            assertTrue(warnings.get(1).contains("AMI attempt 2 failed") && warnings.get(1).contains("500 ms"),
                    warnings.get(1));
            Throwable notConnected = failure(c.originate(call("5551234", "a-1")));
            assertTrue(notConnected.getMessage().contains("AMI not connected")
                    && notConnected.getMessage().contains("Authentication failed"), notConnected.getMessage());

            // The operator fixes manager.conf and reloads: the next attempt logs in, without a voicebot restart.
            peer.secret(wrong);
            get(started);
            assertTrue(c.isConnected());
            assertNull(c.unavailableReason());
            assertEquals(1, peer.loginCount());
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("AMI connected to 127.0.0.1:" + port)));
            for (String line : logs.lines()) {
                assertFalse(line.contains(wrong) || line.contains(SECRET), "secret in log: " + line);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ANSWER, ANSWERED, 4",
        "BUSY, BUSY, 5",
        "NO_ANSWER, NO_ANSWER, 3",
        "CONGESTION, CONGESTION, 8",
        "CHANUNAVAIL, FAILED, 0",
        "REJECT, REJECTED, 1"})
    void originateOutcomesAreMapped(AmiPeer.Outcome scripted, CallOutcome expected, int reason) throws Exception {
        List<OriginatedCall> answered = new CopyOnWriteArrayList<>();
        peer.onAnswered(answered::add);
        peer.script("15550001234", scripted, Duration.ofMillis(20));
        AmiClient c = connected();
        OriginateResult r = get(c.originate(call("15550001234", "attempt-7")));
        assertEquals(expected, r.outcome(), r.toString());
        assertEquals(reason, r.reason());
        AmiMessage sent = peer.received("Originate").get(0);
        assertEquals("PJSIP/15550001234@trunk", sent.get("Channel"));
        assertEquals("voicebot-outbound", sent.get("Context"));
        assertEquals("true", sent.get("Async"));
        assertEquals("30000", sent.get("Timeout"));
        assertTrue(sent.all("Variable").contains("VOICEBOT_ATTEMPT=attempt-7"), sent.all("Variable").toString());
        assertEquals(sent.get("ChannelId"), r.uniqueId());
        if (scripted == AmiPeer.Outcome.CHANUNAVAIL) {
            assertEquals("PJSIP/15550001234@trunk", r.channel());
        } else {
            assertEquals("PJSIP/trunk-00000000", r.channel());
        }
        if (scripted == AmiPeer.Outcome.ANSWER) {
            await("answered hook", () -> answered.size() == 1);
            assertEquals("attempt-7", answered.get(0).variables().get("VOICEBOT_ATTEMPT"));
            assertEquals(r.uniqueId(), answered.get(0).uniqueId());
        } else {
            assertTrue(answered.isEmpty());
        }
    }

    @Test
    void listenersGetHangupEvents() throws Exception {
        peer.script("5550002", AmiPeer.Outcome.BUSY, Duration.ZERO);
        AmiClient c = connected();
        List<AmiEvent> hangups = new CopyOnWriteArrayList<>();
        c.addEventListener("Hangup", hangups::add);
        OriginateResult r = get(c.originate(call("5550002", "a-2")));
        await("Hangup event", () -> !hangups.isEmpty());
        AmiEvent h = hangups.get(0);
        assertEquals("Hangup", h.name());
        assertEquals("17", h.get("Cause"));
        assertEquals("User busy", h.get("Cause-txt"));
        assertEquals(r.uniqueId(), h.get("Uniqueid"));
    }

    @Test
    void originateWithoutOutcomeTimesOut() throws Exception {
        peer.script("5550003", AmiPeer.Outcome.NEVER, Duration.ZERO);
        AmiClient c = connected();
        OriginateRequest req = OriginateRequest.toNumber("PJSIP/${number}@trunk", "5550003", "voicebot-outbound",
                "", Duration.ofMillis(300), "a-3");
        Throwable t = failure(c.originate(req));
        assertInstanceOf(AmiTimeoutException.class, t);
        assertTrue(t.getMessage().contains("no OriginateResponse") && t.getMessage().contains("***0003"),
                t.getMessage());
        assertTrue(c.isConnected(), "a call without outcome does not drop the connection");
    }

    @Test
    void commandTimesOutWhenAsteriskStopsAnswering() throws Exception {
        // long ping interval, so the heartbeat does not notice first
        AmiClient c = client(SECRET, 60_000);
        get(c.start());
        peer.silence(true);
        long t0 = System.nanoTime();
        Throwable t = failure(c.setVar("PJSIP/trunk-00000000", "X", "1"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertInstanceOf(AmiTimeoutException.class, t);
        assertTrue(t.getMessage().contains("no response to SetVar within 1000 ms"), t.getMessage());
        assertTrue(ms >= 900, "timed out after " + ms + " ms");
        Throwable q = failure(c.queueSummary("support"));
        assertInstanceOf(AmiTimeoutException.class, q);
        Throwable o = failure(c.originate(call("5550004", "a-4")));
        assertInstanceOf(AmiTimeoutException.class, o);
        assertTrue(o.getMessage().contains("no response to Originate"), o.getMessage());
    }

    @Test
    void heartbeatDetectsSilentPeerAndReconnectsWhenItAnswersAgain() throws Exception {
        AmiClient c = connected();
        peer.silence(true);
        await("silence detected", () -> !c.isConnected());
        await("down notification", () -> connectionLog.stream().anyMatch(l -> l.startsWith("DOWN")
                && l.contains("no Pong within 200 ms")));
        Throwable t = failure(c.setVar("PJSIP/x-1", "A", "b"));
        assertTrue(t.getMessage().contains("AMI not connected"), t.getMessage());
        peer.silence(false);
        await("reconnected", c::isConnected);
        assertEquals(2, peer.loginCount());
        await("up notification", () -> connectionLog.get(connectionLog.size() - 1).startsWith("UP"));
    }

    @Test
    void reconnectsAfterDropAndPendingOriginateResolvesFromLaterEvents() throws Exception {
        peer.script("5550005", AmiPeer.Outcome.ANSWER, Duration.ofMillis(1500));
        AmiClient c = connected();
        CompletableFuture<OriginateResult> f = c.originate(call("5550005", "a-5"));
        await("originate received", () -> !peer.received("Originate").isEmpty());
        peer.dropConnections();
        OriginateResult r = get(f);
        assertEquals(CallOutcome.ANSWERED, r.outcome(), r.toString());
        assertTrue(c.isConnected());
        assertEquals(2, peer.loginCount());
        assertTrue(connectionLog.stream().anyMatch(l -> l.contains("connection closed by Asterisk")),
                connectionLog.toString());
    }

    @Test
    void callAnsweredWhileDisconnectedIsFoundUpAfterReconnect() throws Exception {
        peer.script("5550006", AmiPeer.Outcome.ANSWER, Duration.ofMillis(1000));
        List<OriginatedCall> answered = new CopyOnWriteArrayList<>();
        peer.onAnswered(answered::add);
        AmiClient c = connected();
        CompletableFuture<OriginateResult> f = c.originate(call("5550006", "a-6"));
        await("originate received", () -> !peer.received("Originate").isEmpty());
        peer.silence(true); // the answer events are lost
        await("answered at the peer", () -> !answered.isEmpty());
        await("client noticed", () -> !c.isConnected());
        assertFalse(f.isDone());
        peer.silence(false);
        OriginateResult r = get(f);
        assertEquals(CallOutcome.ANSWERED, r.outcome(), r.toString());
        assertTrue(r.detail().contains("found Up after reconnecting"), r.detail());
        assertEquals(answered.get(0).channel(), r.channel());
        assertFalse(peer.received("CoreShowChannels").isEmpty());
    }

    @Test
    void pendingOriginateFailsWhenAsteriskRestartedAndTheChannelIsGone() throws Exception {
        peer.script("5550007", AmiPeer.Outcome.NEVER, Duration.ZERO);
        AmiClient c = connected();
        CompletableFuture<OriginateResult> f = c.originate(call("5550007", "a-7"));
        await("channel up at the peer", () -> !peer.channelNames().isEmpty());
        peer.restart();
        OriginateResult r = get(f);
        assertEquals(CallOutcome.FAILED, r.outcome());
        assertTrue(r.detail().contains("AMI connection lost"), r.detail());
        assertTrue(c.isConnected());
    }

    @Test
    void reconnectBacksOffExponentiallyUpToTheCap() throws Exception {
        AmiClient c = connected();
        try (LogCapture logs = new LogCapture()) {
            peer.stop();
            Pattern next = Pattern.compile("next attempt in (\\d+) ms");
            List<Long> delays = new ArrayList<>();
            await("five reconnect attempts", () -> {
                delays.clear();
                for (String l : logs.lines()) {
                    Matcher m = next.matcher(l);
                    if (l.startsWith(AmiClient.class.getName()) && m.find()) {
                        delays.add(Long.parseLong(m.group(1)));
                    }
                }
                return delays.size() >= 5;
            });
            assertEquals(List.of(250L, 500L, 1000L, 1000L, 1000L), delays.subList(0, 5));
            Throwable t = failure(c.queueStatus("support"));
            assertTrue(t.getMessage().contains("AMI not connected") && t.getMessage().contains("Connection refused"),
                    t.getMessage());
            peer.start(port);
            await("reconnected", c::isConnected);
            for (String line : logs.lines()) {
                assertFalse(line.contains(SECRET), "secret in log: " + line);
            }
        }
    }

    @Test
    void queueSummaryAndStatusAreParsed() throws Exception {
        peer.queue(AmiQueue.of("support", 42, List.of(
                new AmiQueue.Member("Alice", "PJSIP/alice", 1, false, false),
                new AmiQueue.Member("Bob", "PJSIP/bob", 2, false, true),
                new AmiQueue.Member("Carol", "PJSIP/carol", 1, true, false),
                new AmiQueue.Member("Dave", "PJSIP/dave", 5, false, false)), List.of(
                new AmiQueue.Caller("PJSIP/trunk-00000007", "1700000000.7", "5551111", "A", 30),
                new AmiQueue.Caller("PJSIP/trunk-00000008", "1700000000.8", "5552222", "B", 75))));
        peer.queue(AmiQueue.of("sales", 0, List.of(), List.of()));
        AmiClient c = connected();

        QueueState s = get(c.queueSummary("support"));
        assertEquals("support", s.queue());
        assertEquals(3, s.loggedIn());
        assertEquals(1, s.available());
        assertEquals(2, s.callersWaiting());
        assertEquals(Duration.ofSeconds(42), s.holdTime());
        assertEquals(Duration.ofSeconds(75), s.longestHoldTime());
        assertTrue(s.hasAvailableAgent());

        QueueState st = get(c.queueStatus("support"));
        assertEquals(3, st.loggedIn());
        assertEquals(1, st.available());
        assertEquals(2, st.callersWaiting());
        assertEquals(Duration.ofSeconds(42), st.holdTime());
        assertEquals(Duration.ofSeconds(75), st.longestHoldTime());
        assertEquals(4, st.members().size());
        QueueState.Member bob = st.members().get(1);
        assertEquals("Bob", bob.name());
        assertEquals("PJSIP/bob", bob.location());
        assertEquals(2, bob.status());
        assertTrue(bob.inCall());
        assertTrue(st.members().get(2).paused());

        QueueState empty = get(c.queueSummary("sales"));
        assertEquals(0, empty.loggedIn());
        assertFalse(empty.hasAvailableAgent());

        Throwable t = failure(c.queueSummary("nosuch"));
        assertTrue(t.getMessage().contains("no queue named 'nosuch'"), t.getMessage());
    }

    @Test
    void redirectAndSetvarReachAsteriskWithTheRightFields() throws Exception {
        peer.script("5550008", AmiPeer.Outcome.ANSWER, Duration.ZERO);
        AmiClient c = connected();
        OriginateResult r = get(c.originate(call("5550008", "a-8")));
        String channel = r.channel();

        get(c.setVar(channel, "VOICEBOT_TRANSFER", "agents"));
        AmiMessage setvar = peer.received("Setvar").get(0);
        assertEquals(channel, setvar.get("Channel"));
        assertEquals("VOICEBOT_TRANSFER", setvar.get("Variable"));
        assertEquals("agents", setvar.get("Value"));
        assertEquals("agents", peer.channelVariables(channel).get("VOICEBOT_TRANSFER"));
        assertEquals("agents", get(c.getVar(channel, "VOICEBOT_TRANSFER")));
        assertEquals("a-8", get(c.getVar(channel, "VOICEBOT_ATTEMPT")));

        get(c.redirect(channel, "voicebot-transfer", "support", 2));
        AmiMessage redirect = peer.received("Redirect").get(0);
        assertEquals(channel, redirect.get("Channel"));
        assertEquals("voicebot-transfer", redirect.get("Context"));
        assertEquals("support", redirect.get("Exten"));
        assertEquals("2", redirect.get("Priority"));
        assertEquals("voicebot-transfer,support,2", peer.location(channel));

        Throwable t = failure(c.redirect("PJSIP/gone-00000009", "x", "s", 1));
        assertTrue(t.getMessage().contains("Channel does not exist: PJSIP/gone-00000009"), t.getMessage());
        Throwable v = failure(c.setVar("PJSIP/gone-00000009", "A", "b"));
        assertTrue(v.getMessage().contains("No such channel"), v.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.setVar(channel, "A", "x\r\nAction: Hangup"));
        assertTrue(c.isConnected());
    }

    @Test
    void closeFailsPendingOriginatesAndLogsOff() throws Exception {
        peer.script("5550009", AmiPeer.Outcome.NEVER, Duration.ZERO);
        AmiClient c = connected();
        CompletableFuture<OriginateResult> f = c.originate(call("5550009", "a-9"));
        await("originate received", () -> !peer.received("Originate").isEmpty());
        c.close();
        Throwable t = failure(f);
        assertTrue(t.getMessage().contains("AMI client closed"), t.getMessage());
        await("logoff", () -> !peer.received("Logoff").isEmpty());
        assertNotNull(peer.received("Logoff").get(0));
        assertFalse(c.isConnected());
    }
}
