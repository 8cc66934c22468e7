package io.voicebot.call;

import io.voicebot.VoicebotServer;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.AgiPeer;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.store.CallStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: `voicebot serve` killed with SIGKILL in the middle of a call. When the node starts again (same node id)
 * the call it left open gets an end time and the outcome "interrupted" before the node takes calls; an open call
 * of another node (which may be live) is not touched.
 */
class CrashRecoveryFaultTest {
    private static final Pattern STARTED =
            Pattern.compile("voicebot started: FastAGI on port (\\d+), AudioSocket on port (\\d+)");

    private TestDatabase tdb;
    private Path dir;
    private Process process;
    private VoicebotServer restarted;

    @AfterEach
    void tearDown() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (restarted != null) {
            restarted.shutdown();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private Map<String, String> settings() {
        Map<String, String> o = new HashMap<>(tdb.overrides());
        for (String k : List.of("agi", "audiosocket", "http")) {
            o.put(k + ".bind", "127.0.0.1");
            o.put(k + ".port", "0");
        }
        o.put("data.dir", dir.resolve("data").toString());
        o.put("campaign.node.id", "node-crash");
        o.put("shutdown.drain.timeout.s", "1");
        o.put("speech.threads", "1");
        return o;
    }

    @Test
    void aCallLeftOpenByAKilledNodeIsClosedAsInterruptedAtItsNextStart() throws Exception {
        tdb = TestDatabase.fresh();
        dir = Files.createTempDirectory("voicebot-crash-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dvoicebot.home=" + System.getProperty("voicebot.home", ".."), "io.voicebot.Main", "serve");
        pb.environment().keySet().removeIf(k -> k.startsWith("VOICEBOT_"));
        settings().forEach((k, v) -> pb.environment().put(
                "VOICEBOT_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        Path out = dir.resolve("serve.log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(out.toFile());
        process = pb.start();
        Matcher ports = awaitStarted(out);
        int agiPort = Integer.parseInt(ports.group(1));
        int audioPort = Integer.parseInt(ports.group(2));

        SimulatedCall call = new AgiPeer("127.0.0.1", agiPort).placeCall("/inbound?line=hotline&audiosocket=127.0.0.1:"
                + audioPort, Map.of(), "+15550100030");
        AudioSocketPeer audio = call.audioSocket().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!speaks(audio)) { // the robot greets: the call is in progress
            assertTrue(System.nanoTime() < deadline, "the robot never spoke:\n" + read(out));
            Thread.sleep(50);
        }
        if (!TestDatabase.selectedIsMysql()) {
            // H2 writes commits to its file every 500 ms (WRITE_DELAY): the call's row must be on disk before the kill.
            Thread.sleep(1500);
        }
        process.destroyForcibly(); // SIGKILL mid-call
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));

        // another node's call, open in the database while that node runs it
        CallStore other = new CallStore(tdb.database(), "node-other");
        other.insertCall(CallStore.CallRecord.started("other-node-call", CallStore.Direction.INBOUND, "hotline",
                "+15550100031", null, Instant.now()));
        List<Map<String, Object>> before = calls();
        assertEquals(2, before.size(), before.toString());
        Map<String, Object> left = before.stream().filter(r -> "node-crash".equals(r.get("node_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no call of the killed node: " + before));
        assertNull(left.get("ended_at"), "the killed node could not end its call: " + left);
        tdb.disconnect(); // H2: one process opens the file at a time

        restarted = new VoicebotServer(VoicebotConfig.defaults(Path.of(System.getProperty("voicebot.home", "..")),
                settings()));
        restarted.start();
        CallStore.CallRecord closed = restarted.callStore().findCall((String) left.get("call_uuid")).orElseThrow();
        assertEquals("interrupted", closed.outcome(), closed.toString());
        assertNotNull(closed.endedAt(), closed.toString());
        CallStore.CallRecord foreign = restarted.callStore().findCall("other-node-call").orElseThrow();
        assertNull(foreign.endedAt(), "another node's call was closed");
        assertNull(foreign.outcome());
    }

    private static boolean speaks(AudioSocketPeer audio) {
        for (short s : audio.receivedAudio()) {
            if (Math.abs(s) > 500) {
                return true;
            }
        }
        return false;
    }

    private List<Map<String, Object>> calls() {
        return tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT call_uuid, node_id, ended_at, outcome FROM calls ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("call_uuid", rs.getString(1));
                    row.put("node_id", rs.getString(2));
                    row.put("ended_at", rs.getTimestamp(3));
                    row.put("outcome", rs.getString(4));
                    rows.add(row);
                }
                return rows;
            }
        });
    }

    private Matcher awaitStarted(Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = STARTED.matcher(read(out));
            if (m.find()) {
                return m;
            }
            assertTrue(process.isAlive(), "serve exited:\n" + read(out));
            Thread.sleep(100);
        }
        throw new AssertionError("serve did not start:\n" + read(out));
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
