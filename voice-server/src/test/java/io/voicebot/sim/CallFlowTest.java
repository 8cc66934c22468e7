package io.voicebot.sim;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.agi.AgiServer;
import io.voicebot.telephony.audiosocket.AudioListener;
import io.voicebot.telephony.audiosocket.AudioSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call flow of docs/telephony.md end to end over real sockets: AGI answers, runs AudioSocket, the robot
 * talks and ends the AudioSocket session with a hangup frame, AudioSocket() returns 0, the AGI sets
 * VOICEBOT_* and the dialplan goes on to the queue.
 */
class CallFlowTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<UUID, String> outcomes = new ConcurrentHashMap<>();
    private AgiServer agi;
    private AudioSocketServer audio;

    @BeforeEach
    void start() throws Exception {
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("agi.port", "0", "agi.bind", "127.0.0.1",
                "audiosocket.port", "0", "audiosocket.bind", "127.0.0.1"));
        // The "robot": plays a prompt, waits for a DTMF answer, says goodbye, ends the AudioSocket session.
        audio = new AudioSocketServer(cfg.audioSocket(), ch -> Optional.of(new AudioListener() {
            @Override
            public void onAudio(short[] samples, int sampleRate) {
            }

            @Override
            public void onDtmf(char digit) {
                outcomes.put(ch.uuid(), digit == '0' ? "agent" : "rated-" + digit);
                ch.stopPlayback();
                ch.play(new short[1600]).done().thenRun(ch::hangup);
            }

            @Override
            public void onHangup() {
                outcomes.putIfAbsent(ch.uuid(), "caller-hung-up");
            }
        }), executor).start();
        AgiRouter router = new AgiRouter().register("/inbound", call -> {
            call.answer();
            UUID id = UUID.randomUUID();
            int res = call.execAudioSocket(id, "127.0.0.1:" + audio.port(), Duration.ofMinutes(5));
            if (res != 0 || call.isHungUp()) {
                return; // the caller left; nothing to route
            }
            String outcome = outcomes.getOrDefault(id, "none");
            call.setVariable("VOICEBOT_OUTCOME", outcome);
            call.setVariable("VOICEBOT_NEXT", outcome.equals("agent") ? "queue" : "hangup");
            call.setVariable("VOICEBOT_QUEUE", "voicebot-agents");
        });
        agi = new AgiServer(cfg.agi(), router).start();
    }

    @AfterEach
    void stop() {
        agi.close();
        audio.close();
        executor.shutdownNow();
    }

    @Test
    void robotEndsAudioSocketAndDialplanContinuesToQueue() throws Exception {
        SimulatedCall call = new AgiPeer("127.0.0.1", agi.port())
                .placeCall("/inbound?line=hotline", Map.of(), "+15550001111");
        call.onAudioSocket(peer -> peer.sendDtmf('0'));
        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(30));
        assertEquals("SUCCESS", r.agiStatus());
        assertEquals("agent", r.variables().get("VOICEBOT_OUTCOME"));
        assertEquals("queue:voicebot-agents", r.dialplanNext());
        AudioSocketPeer leg = call.audioSocket().get(1, TimeUnit.SECONDS);
        assertEquals(0, leg.result().get(1, TimeUnit.SECONDS), leg.endReason());
        assertEquals("server sent a hangup frame", leg.endReason());
        assertTrue(call.commands().stream().anyMatch(c -> c.startsWith("EXEC \"AudioSocket\" \"")));
    }

    @Test
    void callerHangupDuringAudioSocketEndsEverything() throws Exception {
        SimulatedCall call = new AgiPeer("127.0.0.1", agi.port()).placeCall("/inbound", Map.of(), "200");
        call.onAudioSocket(peer -> CompletableFutureHelper.later(300, call::hangup));
        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(10));
        assertEquals("HANGUP", r.agiStatus());
        assertEquals("hangup", r.dialplanNext());
        assertEquals(-1, call.audioSocket().get().result().get());
        // the server sees the AudioSocket close on its own event loop, maybe after the AGI session ended
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!outcomes.containsValue("caller-hung-up") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(outcomes.containsValue("caller-hung-up"), outcomes.toString());
    }

    @Test
    void audioSocketBeforeAnswerFailsLikeAsterisk() throws Exception {
        AgiRouter router = new AgiRouter().register("/early", c ->
                c.setVariable("R", String.valueOf(c.execAudioSocket(UUID.randomUUID(), "127.0.0.1:" + audio.port(),
                        Duration.ofSeconds(5)))));
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("agi.port", "0", "agi.bind", "127.0.0.1"));
        try (AgiServer other = new AgiServer(cfg.agi(), router).start()) {
            SimulatedCall call = new AgiPeer("127.0.0.1", other.port()).placeCall("/early", Map.of(), "1");
            assertEquals("-1", call.awaitEnd(Duration.ofSeconds(10)).variables().get("R"));
        }
    }

    /** Runs an action a little later on a daemon timer. */
    static final class CompletableFutureHelper {
        static void later(long ms, Runnable r) {
            java.util.concurrent.CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS).execute(r);
        }
    }
}
