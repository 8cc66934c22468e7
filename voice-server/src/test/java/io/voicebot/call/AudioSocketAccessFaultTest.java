package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.AgiPeer;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.sim.Simulation;
import io.voicebot.store.CallStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.voicebot.call.CallProbes.loud;
import static io.voicebot.call.CallProbes.uuidOf;
import static io.voicebot.sim.SimulationFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media closed to strangers, over the real AudioSocket wire protocol: a connection is taken only for a UUID that
 * voicebot issued for a call waiting for its audio, and only once; a second connection with a live call's UUID
 * hears nothing and leaves the real call alone; an unknown UUID is closed; a connection that goes silent (open,
 * no frames) ends its call as media_timeout within audiosocket.media.timeout.ms.
 */
class AudioSocketAccessFaultTest {

    private static TestDatabase tdb;
    private static Simulation sim;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        Map<String, String> o = new HashMap<>(tdb.overrides());
        o.put("audiosocket.media.timeout.ms", "3000");
        sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty("voicebot.home", "..")), o);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private SimulatedCall place(boolean idleFrames) throws Exception {
        return new AgiPeer("127.0.0.1", sim.server().agiPort()).placeCall("/inbound?line=hotline&audiosocket=127.0.0.1:"
                + sim.server().audioSocketPort(), Map.of(), "+15550100040",
                c -> c.audioSocketOptions(8000, idleFrames));
    }

    @Test
    void aSecondConnectionWithALiveUuidHearsNothingAndTheRealCallGoesOn() throws Exception {
        SimulatedCall call = place(true);
        AudioSocketPeer real = call.audioSocket().get(30, TimeUnit.SECONDS);
        await("the robot's greeting", Duration.ofSeconds(30), () -> loud(real.receivedAudio()));
        UUID id = uuidOf(call);

        AudioSocketPeer intruder = AudioSocketPeer.connect("127.0.0.1", sim.server().audioSocketPort(), id, 8000,
                true);
        int code = intruder.result().get(5, TimeUnit.SECONDS); // closed by voicebot
        intruder.close();
        assertFalse(loud(intruder.receivedAudio()), "the second connection heard the robot");
        assertEquals(0, intruder.received().stream().filter(f -> f.frame().kind().sampleRate() > 0).count(),
                "audio frames went to the second connection (" + code + ")");

        // the real call is untouched: still running, still hearing the robot
        int before = real.received().size();
        Thread.sleep(1000);
        assertFalse(call.result().isDone(), "closing the second connection ended the real call");
        assertFalse(real.result().isDone(), "the real audio leg was closed");
        assertTrue(real.received().size() > before + 25, "the real leg stopped getting frames");

        call.hangup();
        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(30));
        assertTrue(r.hungUp());
        await("the call to be stored as ended", Duration.ofSeconds(10),
                () -> sim.server().callStore().findCall(id.toString()).map(c -> c.endedAt() != null).orElse(false));
        assertEquals("hung_up", sim.server().callStore().findCall(id.toString()).orElseThrow().outcome());
    }

    @Test
    void anUnknownUuidIsClosed() throws Exception {
        try (AudioSocketPeer stranger = AudioSocketPeer.connect("127.0.0.1", sim.server().audioSocketPort(),
                UUID.randomUUID(), 8000, true)) {
            stranger.result().get(5, TimeUnit.SECONDS);
            assertTrue(stranger.received().stream().noneMatch(f -> f.frame().kind().sampleRate() > 0));
        }
    }

    @Test
    void aConnectionThatSendsNoFramesEndsItsCallAsMediaTimeout() throws Exception {
        SimulatedCall call = place(false); // the leg sends nothing at all
        call.audioSocket().get(30, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(20));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("media_timeout", r.variables().get("VOICEBOT_OUTCOME"), r.variables().toString());
        assertEquals("error", r.variables().get("VOICEBOT_NEXT"));
        assertEquals("media_timeout", r.variables().get("VOICEBOT_ERROR"));
        assertTrue(ms >= 2500 && ms < 8000, "ended after " + ms + " ms with a 3000 ms media timeout");
        CallStore.CallRecord stored = sim.server().callStore().findCall(uuidOf(call).toString()).orElseThrow();
        assertEquals("media_timeout", stored.outcome());
        assertTrue(stored.endedAt() != null);
    }
}
