package io.voicebot.call;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.voicebot.config.Settings;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.Simulation.CallReport;
import io.voicebot.store.CallStore;
import io.voicebot.store.DecisionStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hotline's caller identification through the real call path: the in-process Asterisk calls in, the caller
 * types an account number and a PIN, and a bank's balance service (a local HTTP server here) verifies them. The
 * balance is spoken only to a verified caller; the PIN is in no stored turn, answer, call variable or log line.
 */
class HotlinePinEndToEndTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
    private static final String ACCOUNT = "20481632";
    private static final String LOCKED_ACCOUNT = "55550000";
    /** Digits unlikely to appear by chance in ports, ids or times. */
    private static final String PIN = "739146";
    private static final String BALANCE = "1234.56";

    private static TestDatabase tdb;
    private static Simulation sim;
    private static HttpServer bank;
    private static ExecutorService pool;
    private static final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private static Level rootLevel;
    private static CompletableFuture<CallReport> right;
    private static CompletableFuture<CallReport> wrong;
    private static CompletableFuture<CallReport> locked;

    @BeforeAll
    static void placeCalls() throws Exception {
        rootLevel = root.getLevel();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        bank = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bank.createContext("/balance", ex -> {
            JsonNode req = new ObjectMapper().readTree(ex.getRequestBody());
            requests.add(req);
            boolean isLocked = LOCKED_ACCOUNT.equals(req.path("account").asText());
            boolean verified = !isLocked && ACCOUNT.equals(req.path("account").asText())
                    && PIN.equals(req.path("pin").asText());
            byte[] body = ("{\"verified\": " + verified + ", \"balance\": " + (verified ? BALANCE : "null")
                    + ", \"locked\": " + isLocked + "}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        bank.start();
        tdb = TestDatabase.fresh();
        Map<String, String> extra = new java.util.HashMap<>(tdb.overrides());
        extra.put("webhook.allow", "127.0.0.1");
        sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty("voicebot.home", "..")),
                extra);
        pool = Executors.newCachedThreadPool();
        right = place("+15550100021", ACCOUNT, keys(PIN + "#"), new Reply.HangUp());
        wrong = place("+15550100022", ACCOUNT, keys("111111#"), keys("222222#"), keys("333333#"));
        locked = place("+15550100023", LOCKED_ACCOUNT, keys(PIN + "#"));
    }

    @AfterAll
    static void stop() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        if (pool != null) {
            pool.shutdownNow();
        }
        if (sim != null) {
            sim.close();
        }
        if (bank != null) {
            bank.stop(0);
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    /** Balance from the menu (key 1), the account number, then {@code more}. */
    private static CompletableFuture<CallReport> place(String from, String account, Reply... more) {
        List<Reply> replies = new java.util.ArrayList<>(List.of(keys("1"), keys(account + "#")));
        replies.addAll(List.of(more));
        SimulatedCaller caller = new SimulatedCaller(replies, 1200, 60_000);
        String url = "http://127.0.0.1:" + bank.getAddress().getPort() + "/balance";
        return CompletableFuture.supplyAsync(() -> {
            try {
                return sim.inbound("hotline", Map.of("balance_url", url), from, caller, CALL_TIMEOUT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }

    private static Reply keys(String digits) {
        return new Reply.Keys(digits);
    }

    private static CallReport report(CompletableFuture<CallReport> f) throws Exception {
        return f.get(CALL_TIMEOUT.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    }

    private static boolean spoke(CallReport r, String text) {
        return r.turns().stream().anyMatch(t -> t.promptText() != null && t.promptText().contains(text));
    }

    private static List<DecisionStore.Decision> decisions(CallReport r) {
        return sim.server().callStore().decisions().forCall(r.call().id()).stream()
                .map(d -> new DecisionStore.Decision(d.callId(), d.stepId(), d.intent(), d.acted(), d.reason(), null))
                .toList();
    }

    /** Nothing the call stored, and no log line, holds {@code pin}. */
    private static void pinNowhere(CallReport r, String pin, String why) {
        for (CallStore.Turn t : r.turns()) {
            assertFalse(String.valueOf(t.transcript()).contains(pin) || String.valueOf(t.intent()).contains(pin)
                    || String.valueOf(t.note()).contains(pin) || String.valueOf(t.promptText()).contains(pin),
                    "turn " + t + why);
        }
        assertTrue(r.answers().stream().noneMatch(a -> a.value().contains(pin)), r.answers().toString());
        assertFalse(String.valueOf(r.call().variablesJson()).contains(pin), r.call().variablesJson());
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            assertFalse(e.getFormattedMessage().contains(pin), "log line: " + e.getFormattedMessage());
        }
    }

    @Test
    void theRightPinHearsTheBalanceAndThePinIsKeptNowhere() throws Exception {
        CallReport r = report(right);
        String why = Simulation.transcript("right pin", r) + "\nbank saw: " + requests;
        assertTrue(spoke(r, "The balance of your account is"), why);
        assertTrue(requests.stream().anyMatch(q -> q.path("account").asText().equals(ACCOUNT)
                && q.path("pin").asText().equals(PIN)), "the bank was asked with account and PIN: " + requests);
        assertTrue(r.turns().stream().anyMatch(t -> "****".equals(t.transcript()) && "pin".equals(t.stepId())), why);
        assertEquals(ACCOUNT, r.answers().stream().filter(a -> a.questionKey().equals("account_number")).findFirst()
                .orElseThrow().value(), why);
        pinNowhere(r, PIN, why);
    }

    @Test
    void threeWrongPinsGetNoBalanceAndAnAgentWithTheReasonStored() throws Exception {
        CallReport r = report(wrong);
        String why = Simulation.transcript("wrong pin", r) + "\nbank saw: " + requests;
        assertFalse(spoke(r, "The balance of your account is"), why);
        // (the neutral line before the transfer is in no stored turn: HotlineTest checks its words)
        assertEquals("transferred", r.outcome(), why);
        assertEquals("queue:hotline-agents", r.agi().dialplanNext(), why);
        assertTrue(decisions(r).contains(new DecisionStore.Decision(r.call().id(), "id_failed",
                "identification_failed", true, "identification failed 3 times", null)), decisions(r) + why);
        assertTrue(requests.stream().filter(q -> q.path("pin").asText().matches("([123])\\1+")).count() >= 3, why);
        for (String pin : List.of("111111", "222222", "333333")) {
            pinNowhere(r, pin, why);
        }
    }

    @Test
    void anAccountLockedByTheBankGetsNoBalanceAndAnAgent() throws Exception {
        CallReport r = report(locked);
        String why = Simulation.transcript("locked", r) + "\nbank saw: " + requests;
        assertFalse(spoke(r, "The balance of your account is"), why);
        // (the neutral line before the transfer is in no stored turn: HotlineTest checks its words)
        assertEquals("transferred", r.outcome(), why);
        assertEquals("queue:hotline-agents", r.agi().dialplanNext(), why);
        assertTrue(decisions(r).contains(new DecisionStore.Decision(r.call().id(), "id_locked", "account_locked",
                true, "account locked by the bank", null)), decisions(r) + why);
    }
}
