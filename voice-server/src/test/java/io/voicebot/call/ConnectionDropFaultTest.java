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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault suite (issue 13): the FastAGI connection of a live call closes without a HANGUP line, or its AudioSocket
 * connection drops in the middle of a prompt without a hangup frame. That call ends with a stored outcome and end
 * time; another call in progress carries on and ends normally.
 */
class ConnectionDropFaultTest {
    private static TestDatabase tdb;
    private static Simulation sim;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        Map<String, String> o = new HashMap<>(tdb.overrides());
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

    private SimulatedCall place(String caller) throws Exception {
        return new AgiPeer("127.0.0.1", sim.server().agiPort()).placeCall("/inbound?line=hotline&audiosocket=127.0.0.1:"
                + sim.server().audioSocketPort(), Map.of(), caller, c -> c.audioSocketOptions(8000, true));
    }

    private static boolean ended(UUID id) {
        return sim.server().callStore().findCall(id.toString()).map(c -> c.endedAt() != null).orElse(false);
    }

    @Test
    void aDroppedAgiConnectionEndsItsCallWithAnOutcomeAndTheOtherCallGoesOn() throws Exception {
        SimulatedCall dropped = place("+15550100051");
        SimulatedCall other = place("+15550100052");
        AudioSocketPeer droppedAudio = dropped.audioSocket().get(30, TimeUnit.SECONDS);
        AudioSocketPeer otherAudio = other.audioSocket().get(30, TimeUnit.SECONDS);
        await("both greetings", Duration.ofSeconds(30),
                () -> loud(droppedAudio.receivedAudio()) && loud(otherAudio.receivedAudio()));
        UUID droppedId = uuidOf(dropped);
        UUID otherId = uuidOf(other);

        dropped.dropAgi();
        await("the dropped call to be stored as ended", Duration.ofSeconds(20), () -> ended(droppedId));
        CallStore.CallRecord stored = sim.server().callStore().findCall(droppedId.toString()).orElseThrow();
        assertNotNull(stored.outcome(), "no outcome stored for the dropped call");
        // Its media ends too: nobody is left on a line the robot no longer serves.
        droppedAudio.result().get(10, TimeUnit.SECONDS);

        int before = otherAudio.received().size();
        Thread.sleep(1000);
        assertFalse(other.result().isDone(), "the other call ended with the dropped one");
        assertFalse(ended(otherId), "the other call was stored as ended");
        assertTrue(otherAudio.received().size() > before + 25, "the other call stopped getting frames");

        other.hangup();
        assertTrue(other.awaitEnd(Duration.ofSeconds(30)).hungUp());
        await("the other call to be stored as ended", Duration.ofSeconds(10), () -> ended(otherId));
        assertEquals("hung_up", sim.server().callStore().findCall(otherId.toString()).orElseThrow().outcome());
    }

    @Test
    void anAudioSocketDroppedMidPromptEndsItsCallWithAnOutcomeAndTheOtherCallGoesOn() throws Exception {
        SimulatedCall dropped = place("+15550100053");
        SimulatedCall other = place("+15550100054");
        AudioSocketPeer droppedAudio = dropped.audioSocket().get(30, TimeUnit.SECONDS);
        AudioSocketPeer otherAudio = other.audioSocket().get(30, TimeUnit.SECONDS);
        // the hotline's greeting lasts several seconds: the first loud frame means the prompt is under way
        await("both greetings to start", Duration.ofSeconds(30),
                () -> loud(droppedAudio.receivedAudio()) && loud(otherAudio.receivedAudio()));
        UUID droppedId = uuidOf(dropped);
        UUID otherId = uuidOf(other);

        droppedAudio.close(); // TCP closed, no hangup frame
        await("the dropped call to be stored as ended", Duration.ofSeconds(20), () -> ended(droppedId));
        CallStore.CallRecord stored = sim.server().callStore().findCall(droppedId.toString()).orElseThrow();
        assertEquals("hung_up", stored.outcome(), stored.toString());
        // the dialplan gets the call back (nothing left waiting on a robot without media)
        SimulatedCall.Result r = dropped.awaitEnd(Duration.ofSeconds(20));
        assertNotNull(r, "the AGI session of the dropped call did not end");

        int before = otherAudio.received().size();
        Thread.sleep(1000);
        assertFalse(other.result().isDone(), "the other call ended with the dropped one");
        assertFalse(ended(otherId), "the other call was stored as ended");
        assertTrue(otherAudio.received().size() > before + 25, "the other call stopped getting frames");

        other.hangup();
        assertTrue(other.awaitEnd(Duration.ofSeconds(30)).hungUp());
        await("the other call to be stored as ended", Duration.ofSeconds(10), () -> ended(otherId));
        assertEquals("hung_up", sim.server().callStore().findCall(otherId.toString()).orElseThrow().outcome());
    }
}
