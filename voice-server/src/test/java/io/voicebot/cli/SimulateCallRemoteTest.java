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
            // A short dialog keeps the calls short: one question, then goodbye.
            sim.server().dialogs().put(new io.voicebot.dialog.DialogLoader(
                    io.voicebot.dialog.grammar.GrammarLibrary.load(sim.server().config().dialogs().grammarsDir()),
                    io.voicebot.dialog.Knowledge.EMPTY).parse("quick_check.yaml", """
                    name: quick_check
                    steps:
                      - id: good_time
                        ask: "Hello ${name}. Is this a good time to talk?"
                        slot: yes_no
                        key: good_time
                        next: bye
                      - id: bye
                        hangup: completed
                        say: "Thank you. Goodbye."
                    """));
            List<String> base = new ArrayList<>(List.of("simulate-call", "--server", "127.0.0.1",
                    "--agi-port", String.valueOf(sim.server().agiPort()),
                    "--audiosocket-port", String.valueOf(sim.server().audioSocketPort()),
                    "--http-port", String.valueOf(sim.server().httpPort()),
                    "--dialog", "quick_check", "--var", "name=Bob Stone", "--caller", "+15550107788"));

            List<String> withToken = new ArrayList<>(base);
            withToken.addAll(List.of("--say", "yes"));
            SimulateCallCommandTest.Run r = run(Map.of("VOICEBOT_API_TOKEN", token), withToken.toArray(String[]::new));
            assertEquals(0, r.code(), r.err() + r.out());
            JsonNode doc = r.json();
            assertEquals("127.0.0.1:" + sim.server().agiPort(), doc.get("server").asText());
            assertEquals("completed", doc.get("outcome").asText(), r.out());
            assertEquals("yes", answers(doc).get("good_time"), r.out());
            JsonNode turn = doc.get("turns").get(0);
            assertEquals("Hello Bob Stone. Is this a good time to talk?", turn.get("prompt").asText(), r.out());
            assertEquals("yes", turn.get("intent").asText(), r.out());
            assertEquals("speech", turn.get("mode").asText(), r.out());
            assertEquals("completed", sim.server().callStore().findCall(doc.get("callId").asText())
                    .orElseThrow().outcome(), "the call ran on the server started here");

            List<String> noToken = new ArrayList<>(base);
            noToken.addAll(List.of("--press", "2"));
            SimulateCallCommandTest.Run n = run(Map.of(), noToken.toArray(String[]::new));
            assertEquals(0, n.code(), n.err() + n.out());
            JsonNode d = n.json();
            assertEquals("completed", d.get("outcome").asText(), n.out());
            assertEquals("hangup", d.get("dialplan").get("next").asText(), n.out());
            assertTrue(d.get("turns").isNull());
            assertTrue(d.get("note").asText().contains("VOICEBOT_API_TOKEN"), n.out());
            assertTrue(sim.server().callStore().findCall(d.get("callId").asText()).isPresent());
        }
    }

}
