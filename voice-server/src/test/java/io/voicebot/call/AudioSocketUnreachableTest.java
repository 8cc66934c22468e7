package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.CallPlacer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.CallStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The audiosocket= address in the dialplan points where nothing listens (wrong port, firewall): on Asterisk 22
 * AudioSocket() then logs "Connecting to ... failed" and returns -1 at once, before any audio. The call must end
 * as voicebot's failure with a reason naming the AudioSocket address, so the hotline dialplan hands the caller to
 * a person, and the call is stored as failed.
 */
class AudioSocketUnreachableTest {

    @Test
    void audioSocketThatNeverConnectsEndsTheCallAsAFailureNamingTheAddress() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: connecting to it is refused, as on the real Asterisk
        }
        try (TestDatabase tdb = TestDatabase.fresh()) {
            Path home = Path.of(System.getProperty("voicebot.home", ".."));
            try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), home, tdb.overrides())) {
                CallPlacer placer = new CallPlacer("127.0.0.1", sim.server().agiPort(), deadPort);
                SimulatedCall call = placer.inbound("hotline", Map.of(), "+15550100031",
                        new SimulatedCaller(List.of(), 1200, 5_000));
                CallPlacer.Placed placed = placer.await(call, Duration.ofSeconds(30));

                Map<String, String> vars = placed.agi().variables();
                assertEquals("error", vars.get("VOICEBOT_NEXT"), vars.toString());
                assertEquals("failed", vars.get("VOICEBOT_OUTCOME"), vars.toString());
                String error = vars.getOrDefault("VOICEBOT_ERROR", "");
                // a code, not voicebot's internal text (that goes to its log)
                assertEquals("audiosocket_unreachable", error, vars.toString());

                CallStore.CallRecord stored = sim.server().callStore().findCall(placed.id().toString())
                        .orElseThrow();
                assertEquals("failed", stored.outcome());
            }
        }
    }
}
