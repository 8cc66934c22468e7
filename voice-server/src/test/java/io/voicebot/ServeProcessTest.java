package io.voicebot;

import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** `voicebot serve` as a real process: comes up healthy, and SIGTERM drains and exits 0. */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("HTTP listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void serveAnswersHealthAndExitsZeroOnSigterm() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh()) {
            Path data = Files.createTempDirectory("voicebot-serve-");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dvoicebot.home=" + System.getProperty("voicebot.home", "."), "io.voicebot.Main", "serve");
            pb.environment().keySet().removeIf(k -> k.startsWith("VOICEBOT_"));
            for (Map.Entry<String, String> e : tdb.overrides().entrySet()) {
                pb.environment().put("VOICEBOT_" + e.getKey().toUpperCase(Locale.ROOT).replace('.', '_'),
                        e.getValue());
            }
            pb.environment().put("VOICEBOT_DATA_DIR", data.toString());
            pb.environment().put("VOICEBOT_HTTP_BIND", "127.0.0.1");
            pb.environment().put("VOICEBOT_HTTP_PORT", "0");
            // Free ports, not 4573/9092: a voicebot (or anything) already running on this machine must not matter.
            for (String listener : new String[] {"AGI", "AUDIOSOCKET"}) {
                pb.environment().put("VOICEBOT_" + listener + "_BIND", "127.0.0.1");
                pb.environment().put("VOICEBOT_" + listener + "_PORT", "0");
            }
            pb.environment().put("VOICEBOT_SHUTDOWN_DRAIN_TIMEOUT_S", "5");
            // To a file, not a pipe: Process.destroy() closes the pipes, which would lose the shutdown log.
            Path out = data.resolve("serve.log");
            pb.redirectErrorStream(true);
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            try {
                int port = awaitPort(p, out);
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"database\":\"up\""), health.body());

                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve did not exit after SIGTERM:\n" + read(out));
                String log = read(out);
                assertEquals(0, p.exitValue(), log);
                assertTrue(log.contains("received SIGTERM: shutting down"), log);
                assertTrue(log.contains("shutdown: drained, no calls in progress"), log);
                assertTrue(log.contains("shutdown: complete"), log);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static int awaitPort(Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(read(out));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!p.isAlive()) {
                fail("serve exited with " + p.exitValue() + ":\n" + read(out));
            }
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        fail("serve did not listen within 60 s:\n" + read(out));
        return -1;
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
