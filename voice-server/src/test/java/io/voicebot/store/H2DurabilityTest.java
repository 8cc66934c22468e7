package io.voicebot.store;

import io.voicebot.config.VoicebotConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded database keeps what was committed when the process is killed right after the commit (as a node
 * killed mid-call is): a separate JVM stores a call through {@link CallStore}, says so, and halts at once (no
 * shutdown hook, no close), like SIGKILL. H2's default write delay lost that row. Writing at each commit must not
 * let an interrupted thread close the database for everyone.
 */
class H2DurabilityTest {
    @TempDir
    Path dir;

    private static VoicebotConfig.Db config(Path dir) {
        return new VoicebotConfig.Db("jdbc:h2:file:" + dir.resolve("voicebot")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "voicebot", "", 2,
                Duration.ofSeconds(5));
    }

    /** The child: migrate, store a call, report it, halt. */
    public static void main(String[] args) {
        Database db = Database.connect(config(Path.of(args[0])));
        db.migrate();
        new CallStore(db, "node-killed").insertCall(CallStore.CallRecord.started("call-before-kill",
                CallStore.Direction.INBOUND, "hotline", "+15550100040", null, Instant.now()));
        System.out.println("stored");
        System.out.flush();
        Runtime.getRuntime().halt(9);
    }

    @Test
    void aCallCommittedJustBeforeTheProcessIsKilledIsStillThere() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                H2DurabilityTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(9, p.exitValue(), out.toString());
        assertTrue(out.toString().contains("stored"), out.toString());

        Database db = Database.connect(config(dir));
        try {
            CallStore.CallRecord call = new CallStore(db).findCall("call-before-kill").orElseThrow(
                    () -> new AssertionError("the call committed before the kill is gone"));
            assertEquals("hotline", call.dialogName());
        } finally {
            db.close();
        }
    }

    @Test
    void aThreadInterruptedWhileItCommitsDoesNotCloseTheDatabase() throws Exception {
        Database db = Database.connect(config(dir));
        try {
            db.migrate();
            CallStore calls = new CallStore(db, "node-a");
            Thread t = new Thread(() -> {
                Thread.currentThread().interrupt(); // e.g. an executor shut down with shutdownNow()
                calls.insertCall(CallStore.CallRecord.started("interrupted-writer", CallStore.Direction.INBOUND,
                        "hotline", "+15550100041", null, Instant.now()));
            });
            t.start();
            t.join(30_000);
            calls.insertCall(CallStore.CallRecord.started("next-call", CallStore.Direction.INBOUND, "hotline",
                    "+15550100042", null, Instant.now()));
            assertTrue(calls.findCall("interrupted-writer").isPresent());
            assertTrue(calls.findCall("next-call").isPresent());
        } finally {
            db.close();
        }
    }
}
