package io.voicebot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.config.Settings;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.voicebot.cli.SimulateCallCommandTest.answers;
import static io.voicebot.cli.SimulateCallCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code voicebot simulate-call --server}: the call goes to a server started here, the transcript over HTTP. */
class SimulateCallRemoteTest {

    @Test
    void remoteServerCallWithAndWithoutToken() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh();
             Simulation sim = Simulation.start(Settings.load(null, Map.of()), java.nio.file.Path.of(
                     System.getProperty("voicebot.home", "..")), tdb.overrides())) {
            String token = new ApiTokenStore(sim.server().database(), Clock.systemUTC())
                    .create("cli-test", Role.AGENT).secret();
            List<String> base = new ArrayList<>(List.of("simulate-call", "--server", "127.0.0.1",
                    "--agi-port", String.valueOf(sim.server().agiPort()),
                    "--audiosocket-port", String.valueOf(sim.server().audioSocketPort()),
                    "--http-port", String.valueOf(sim.server().httpPort()),
                    "--dialog", "satisfaction_survey", "--var", "name=Bob Stone", "--caller", "+15550107788"));

            List<String> withToken = new ArrayList<>(base);
            withToken.addAll(List.of("--say", "yes", "--press", "2", "--press", "5", "--press", "1"));
            SimulateCallCommandTest.Run r = run(Map.of("VOICEBOT_API_TOKEN", token), withToken.toArray(String[]::new));
            assertEquals(0, r.code(), r.err() + r.out());
            JsonNode doc = r.json();
            assertEquals("127.0.0.1:" + sim.server().agiPort(), doc.get("server").asText());
            assertEquals("completed", doc.get("outcome").asText(), r.out());
            Map<String, String> a = answers(doc);
            assertEquals("no", a.get("resolved"), r.out());
            assertEquals("5", a.get("rating"), r.out());
            assertEquals("yes", a.get("recommend"), r.out());
            assertEquals("yes", doc.get("turns").get(0).get("intent").asText(), r.out());
            assertEquals("completed", sim.server().callStore().findCall(doc.get("callId").asText())
                    .orElseThrow().outcome(), "the call ran on the server started here");

            List<String> noToken = new ArrayList<>(base);
            noToken.addAll(List.of("--press", "2"));
            SimulateCallCommandTest.Run n = run(Map.of(), noToken.toArray(String[]::new));
            assertEquals(0, n.code(), n.err() + n.out());
            JsonNode d = n.json();
            assertEquals("wrong_person", d.get("outcome").asText(), n.out());
            assertEquals("hangup", d.get("dialplan").get("next").asText(), n.out());
            assertTrue(d.get("turns").isNull());
            assertTrue(d.get("note").asText().contains("VOICEBOT_API_TOKEN"), n.out());
            assertTrue(sim.server().callStore().findCall(d.get("callId").asText()).isPresent());
        }
    }

}
