package io.voicebot.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.Settings;
import io.voicebot.sim.AgiPeer;
import io.voicebot.sim.AmiQueue;
import io.voicebot.sim.AmiQueueEvents;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.Simulation.CallReport;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.FollowupStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import io.voicebot.store.TransferStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warm transfers end to end with the in-process Asterisk: a caller asks for an agent in the middle of each
 * built-in dialog; voicebot checks the queue over AMI, announces the wait, sets the channel variables through AGI
 * and renders the whisper; an agent's SSE stream gets the screen-pop before the agent answers; AMI queue events
 * and the whisper's accept/decline (FastAGI from the agent's leg) are recorded; with nobody free the caller is
 * offered a callback, which the dialer (campaign call) or a follow-up task (inbound) takes.
 */
class WarmTransferTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestDatabase tdb;
    private static Simulation sim;
    private static String agentToken;
    private static final List<String> stream = new CopyOnWriteArrayList<>();
    private static InputStream streamBody;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        Path home = Path.of(System.getProperty("voicebot.home", ".."));
        sim = Simulation.start(Settings.load(null, Map.of()), home, tdb.overrides());
        agentToken = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("desk-1", Role.AGENT)
                .secret();
        HttpResponse<InputStream> r = HTTP.send(request("/api/agent/stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        streamBody = r.body();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(streamBody, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    stream.add(line);
                }
            } catch (Exception e) {
                // the stream closes with the server
            }
        }, "test-sse");
        reader.setDaemon(true);
        reader.start();
        sim.voice("agent"); // warms the synthesizer (it is also rendering every dialog's fixed prompts now)
    }

    @AfterAll
    static void stop() throws Exception {
        if (streamBody != null) {
            streamBody.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort() + path))
                .header("Authorization", "Bearer " + agentToken);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static AmiQueue queue(String name, int status, boolean paused) {
        return AmiQueue.of(name, 20, List.of(
                new AmiQueue.Member("agent-1001", "Local/1001@voicebot-agent", status, paused, false),
                new AmiQueue.Member("agent-1002", "Local/1002@voicebot-agent", status, paused, false)), List.of());
    }

    private static SimulatedCaller caller(Reply... replies) {
        return new SimulatedCaller(List.of(replies), 1200, 60_000);
    }

    private static Reply keys(String k) {
        return new Reply.Keys(k);
    }

    private static TransferStore.Transfer transferOf(CallReport r) {
        List<TransferStore.Transfer> ts = sim.server().transferStore().forCall(r.call().id());
        assertEquals(1, ts.size(), ts.toString());
        return ts.get(0);
    }

    private static void waitFor(String what, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The AGI variables and stored transfer of a call that went to {@code queue}. */
    private static TransferStore.Transfer assertHandedOver(CallReport r, String queue, String why) {
        assertEquals("transferred", r.outcome(), why);
        assertEquals("queue:" + queue, r.agi().dialplanNext(), why);
        Map<String, String> v = r.agi().variables();
        assertEquals(r.id().toString(), v.get("__VOICEBOT_CALL_ID"), why);
        assertFalse(v.getOrDefault("__VOICEBOT_REASON", "").isBlank(), why);
        assertEquals("10", v.get("__VOICEBOT_PRIORITY"), why);
        assertEquals("10", v.get("QUEUE_PRIO"), why);
        TransferStore.Transfer t = transferOf(r);
        assertEquals(queue, t.queue());
        assertEquals("handed_over", t.decision(), t.toString());
        assertEquals("queued", t.state());
        assertEquals(v.get("__VOICEBOT_SUMMARY"), t.summary());
        assertNotNull(t.channelUniqueId());
        assertEquals(0, t.expectedWaitS()); // two free agents, nobody waiting: "less than a minute"
        assertEquals(2, t.agentsAvailable());
        return t;
    }

    @Test
    void eachBuiltInDialogHandsOverWithVariablesWhisperAndRecordsQueueEvents() throws Exception {
        sim.ami().queue(queue("hotline-agents", 1, false));
        sim.ami().queue(queue("collections", 1, false));
        sim.ami().queue(queue("voicebot-agents", 1, false));
        // the hotline's menu answer "agent" leads to a transfer: read back, confirmed with key 1
        CompletableFuture<CallReport> hotline = CompletableFuture.supplyAsync(() -> call(() -> sim.inbound("hotline",
                "+15550100010", caller(new Reply.Speak("agent", sim.voice("agent")), keys("1")), CALL_TIMEOUT)));
        CompletableFuture<CallReport> reminder = CompletableFuture.supplyAsync(() -> call(() -> sim.originate(
                "payment_reminder", "+15550100001", "Ann Lee", Map.of("amount", "125.50", "due_date", "2026-11-20"),
                caller(keys("1"), keys("0")), CALL_TIMEOUT)));
        CompletableFuture<CallReport> survey = CompletableFuture.supplyAsync(() -> call(() -> sim.outbound(
                "satisfaction_survey", Map.of("name", "Ida Jones"), "+15550100009", caller(keys("1"), keys("0")),
                CALL_TIMEOUT)));

        CallReport h = hotline.get(3, TimeUnit.MINUTES);
        String why = Simulation.transcript("hotline", h);
        TransferStore.Transfer ht = assertHandedOver(h, "hotline-agents", why);
        assertEquals("needs agent", h.agi().variables().get("__VOICEBOT_REASON"), why);
        // the whisper: the summary synthesized to a WAV file Asterisk plays (path without .wav)
        String whisper = h.agi().variables().get("__VOICEBOT_WHISPER");
        Path wav = Path.of(whisper + ".wav");
        assertTrue(Files.isRegularFile(wav), whisper);
        Pcm pcm = WavFile.read(wav);
        assertEquals(8000, pcm.sampleRate());
        assertTrue(pcm.samples().length > 8000 * 2, "at least two seconds of speech: " + pcm.samples().length);
        assertTrue(rms(pcm.samples()) > 300, "the whisper is not silence");
        assertTrue(ht.summary().contains("number ending 0 0 1 0"), ht.summary());

        CallReport rm = reminder.get(3, TimeUnit.MINUTES);
        why = Simulation.transcript("reminder", rm);
        TransferStore.Transfer rt = assertHandedOver(rm, "collections", why);
        assertTrue(rt.summary().startsWith("Ann Lee, number ending 0 0 0 1, from the payment reminder call."),
                rt.summary());
        assertEquals(rm.answers().isEmpty(), !rt.summary().contains("Collected:"), rt.summary());
        assertTrue(rm.call().disclosurePlayed(), why);

        CallReport sv = survey.get(3, TimeUnit.MINUTES);
        why = Simulation.transcript("survey", sv);
        TransferStore.Transfer st = assertHandedOver(sv, "voicebot-agents", why);
        assertEquals("caller asked for an agent", st.reason());

        // screen-pop: the offer reached the agent's stream before any agent answered
        waitFor("offered events on the stream", () -> stream.stream().filter(l -> l.equals("event: offered")).count() >= 3);
        assertTrue(stream.stream().anyMatch(l -> l.startsWith("data: ") && l.contains(h.id().toString())
                && l.contains("hotline-agents")), stream.toString());
        JsonNode pop = get("/api/agent/calls/" + h.id());
        assertEquals("hotline-agents", pop.path("transfer").path("queue").asText());
        assertEquals("needs_agent", pop.path("reason").asText());
        assertTrue(pop.path("callerNumber").asText().endsWith("0010") && pop.path("callerNumber").asText().contains("*"),
                pop.toString());
        assertTrue(pop.path("turns").size() > 0, pop.toString());

        // Asterisk's side: agent 1001 hears the whisper and declines (back to the queue), 1002 accepts and talks.
        AmiQueueEvents q = new AmiQueueEvents(sim.ami());
        String chan = "PJSIP/trunk-x";
        String uid = ht.channelUniqueId();
        q.callerJoin("hotline-agents", chan, uid, 1);
        q.agentCalled("hotline-agents", chan, uid, "agent-1001", "Local/1001@voicebot-agent");
        assertEquals("no", agentDecision(h.id().toString(), "1001", "2"));
        q.agentRingNoAnswer("hotline-agents", chan, uid, "agent-1001", "Local/1001@voicebot-agent", 9000);
        q.agentCalled("hotline-agents", chan, uid, "agent-1002", "Local/1002@voicebot-agent");
        assertEquals("yes", agentDecision(h.id().toString(), "1002", "1"));
        q.agentConnect("hotline-agents", chan, uid, "agent-1002", "Local/1002@voicebot-agent", 14, 5);
        waitFor("connected", () -> "connected".equals(sim.server().transferStore().find(ht.id()).get().state()));
        assertFalse(Files.exists(wav), "the whisper file is deleted once an agent took the call");
        q.agentComplete("hotline-agents", chan, uid, "agent-1002", "Local/1002@voicebot-agent", 14, 95);
        waitFor("completed", () -> "completed".equals(sim.server().transferStore().find(ht.id()).get().state()));
        TransferStore.Transfer done = sim.server().transferStore().find(ht.id()).get();
        assertEquals("agent-1002", done.agent());
        assertEquals(14, done.waitS());
        assertEquals(95, done.talkS());
        assertEquals(1, done.declines());
        assertEquals("1001", done.declinedBy());
        assertFalse(done.abandoned());
        waitFor("connected event on the stream", () -> stream.stream().anyMatch(l -> l.equals("event: connected")));

        // the survey's caller gives up while waiting
        q.callerJoin("voicebot-agents", "PJSIP/trunk-y", st.channelUniqueId(), 1);
        q.callerAbandon("voicebot-agents", "PJSIP/trunk-y", st.channelUniqueId(), 7);
        waitFor("abandoned", () -> sim.server().transferStore().find(st.id()).get().abandoned());
        assertEquals(7, sim.server().transferStore().find(st.id()).get().waitS());

        // the reminder's caller finds the queue empty after all (Queue() returned JOINEMPTY): a task to call back
        SimulatedCall dialplan = new AgiPeer("127.0.0.1", sim.server().agiPort()).placeCall(
                "/transfer-unanswered?call=" + rm.id() + "&status=JOINEMPTY", Map.of(), "+15550100001");
        dialplan.awaitEnd(Duration.ofSeconds(10));
        TransferStore.Transfer un = sim.server().transferStore().find(rt.id()).get();
        assertEquals("unanswered", un.state());
        assertTrue(un.decisionReason().endsWith("; queue: JOINEMPTY"), un.decisionReason());
        assertTrue(sim.server().tasks().page(new io.voicebot.store.TaskStore.Filter(null, null, null, null, null),
                null, 100).stream().anyMatch(x -> x.callId() != null && x.callId() == rm.call().id()
                && x.note().contains("queue ended with JOINEMPTY")), "a follow-up task for the reminder's caller");

        // the call detail shows the transfer and the variables set, by name
        JsonNode detail = get("/api/calls/" + h.id());
        JsonNode t = detail.path("transfers").get(0);
        assertEquals("hotline-agents", t.path("queue").asText());
        assertEquals("needs_agent", t.path("reason").asText());
        assertEquals(ht.summary(), t.path("summary").asText());
        assertEquals(h.id().toString(), t.path("variables").path("VOICEBOT_CALL_ID").asText());
        assertEquals(whisper, t.path("variables").path("VOICEBOT_WHISPER").asText());
        assertEquals("agent-1002", t.path("agent").asText());
        assertEquals(95, t.path("talkS").asInt());
        assertEquals(1, t.path("declines").asInt());
    }

    @Test
    void nobodyFreeOffersCallbackThroughTheDialerOrATask() throws Exception {
        // no agent logged in to collections (devices unavailable); the hotline's agents all paused
        sim.ami().queue(queue("collections", 5, false));
        sim.ami().queue(queue("hotline-agents", 1, true));
        CompletableFuture<CallReport> reminder = CompletableFuture.supplyAsync(() -> call(() -> sim.originate(
                "payment_reminder", "+15550100021", "Cy Diaz", Map.of("amount", "80", "due_date", "2026-11-20"),
                caller(keys("1"), keys("0"), keys("1")), CALL_TIMEOUT)));
        CallReport rm = reminder.get(3, TimeUnit.MINUTES);
        // one after the other: two cores shared with other work, and synthesis is the bottleneck
        CompletableFuture<CallReport> hotline = CompletableFuture.supplyAsync(() -> call(() -> sim.inbound("hotline",
                "+15550100022", caller(new Reply.Speak("agent", sim.voice("agent")), keys("1"),
                        new Reply.Speak("maybe", sim.voice("maybe")), keys("1")), CALL_TIMEOUT)));
        String why = Simulation.transcript("callback", rm);
        assertEquals("callback_requested", rm.outcome(), why);
        assertEquals("hangup", rm.agi().dialplanNext(), why);
        TransferStore.Transfer t = transferOf(rm);
        assertEquals("callback", t.decision(), t.toString());
        assertEquals(TransferStore.NOT_HANDED_OVER, t.state(), t.toString());
        assertTrue(t.endedAt() != null, t.toString());
        List<FollowupStore.Followup> f = new FollowupStore(sim.server().database(), Clock.systemUTC())
                .forCall(rm.call().id());
        FollowupStore.Followup cb = f.stream().filter(x -> x.kind().equals("callback")).findFirst().orElseThrow();
        assertTrue(cb.dueAt().isAfter(Instant.now().plus(Duration.ofMinutes(28))), cb.toString());
        assertTrue(t.decisionReason().contains("no agent logged in to collections"), t.decisionReason());

        // inbound: no dialer to call back, so a follow-up task for people
        CallReport h = hotline.get(3, TimeUnit.MINUTES);
        why = Simulation.transcript("hotline callback", h);
        assertEquals("callback_requested", h.outcome(), why);
        assertEquals("hangup", h.agi().dialplanNext(), why);
        TransferStore.Transfer ht = transferOf(h);
        assertEquals("callback", ht.decision());
        assertTrue(ht.decisionReason().contains("all busy or paused"), ht.decisionReason());
        // "maybe" to the callback offer is no answer: offered again, not taken as a no
        assertTrue(h.turns().stream().anyMatch(x -> "maybe".equals(x.transcript()) && "unsure".equals(x.intent())),
                why);
        assertTrue(sim.server().tasks().page(new io.voicebot.store.TaskStore.Filter(null, null, null, null, null),
                null, 100).stream().anyMatch(x -> h.call().id() == (x.callId() == null ? -1 : x.callId())
                && x.note().contains("hotline-agents")), "a follow-up task for the hotline caller");
    }

    private interface Call {
        CallReport run() throws Exception;
    }

    private static CallReport call(Call c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whisper's key press as the shipped dialplan reports it (FastAGI on the agent's leg). */
    private static String agentDecision(String callId, String agent, String key) throws Exception {
        SimulatedCall c = new AgiPeer("127.0.0.1", sim.server().agiPort()).placeCall(
                "/agent-decision?call=" + callId + "&agent=" + agent + "&key=" + key, Map.of(), agent);
        return c.awaitEnd(Duration.ofSeconds(10)).variables().get("VOICEBOT_AGENT_ACCEPT");
    }

    private static double rms(short[] s) {
        double sum = 0;
        for (short x : s) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum / Math.max(1, s.length));
    }
}
