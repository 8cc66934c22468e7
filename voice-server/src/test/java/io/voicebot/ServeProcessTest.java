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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * As a container runs it: the orchestrator's own VOICEBOT_* variables, the sample AMI secret. The server starts
     * with a warning for each, logs only ISO-8601 lines (Sphinx4's java.util.logging included), and leaves no
     * temporary grammar directory behind.
     */
    @Test
    void startsDespiteOrchestratorVariablesAndWarnsAboutTheSampleSecret() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh();
             io.voicebot.sim.AmiPeer asterisk = new io.voicebot.sim.AmiPeer("voicebot", "change-me")) {
            int amiPort = asterisk.start(0);
            Path data = Files.createTempDirectory("voicebot-serve-");
            Path tmp = Files.createDirectories(data.resolve("tmp"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Djava.io.tmpdir=" + tmp, "-Dvoicebot.home=" + System.getProperty("voicebot.home", "."),
                    "io.voicebot.Main", "serve");
            pb.environment().keySet().removeIf(k -> k.startsWith("VOICEBOT_"));
            for (Map.Entry<String, String> e : tdb.overrides().entrySet()) {
                pb.environment().put("VOICEBOT_" + e.getKey().toUpperCase(Locale.ROOT).replace('.', '_'),
                        e.getValue());
            }
            pb.environment().put("VOICEBOT_DATA_DIR", data.toString());
            for (String listener : new String[] {"HTTP", "AGI", "AUDIOSOCKET"}) {
                pb.environment().put("VOICEBOT_" + listener + "_BIND", "127.0.0.1");
                pb.environment().put("VOICEBOT_" + listener + "_PORT", "0");
            }
            pb.environment().put("VOICEBOT_SHUTDOWN_DRAIN_TIMEOUT_S", "5");
            pb.environment().put("VOICEBOT_AMI_ENABLED", "true");
            pb.environment().put("VOICEBOT_AMI_PORT", Integer.toString(amiPort));
            // What Kubernetes injects for a Service named "voicebot".
            pb.environment().put("VOICEBOT_SERVICE_HOST", "10.96.0.12");
            pb.environment().put("VOICEBOT_PORT_8080_TCP_ADDR", "10.96.0.12");
            Path out = data.resolve("serve.log");
            pb.redirectErrorStream(true);
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            try {
                int port = awaitPort(p, out);
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                // generous: the decoders load in the background at start and CI machines are shared
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(30)).build();
                HttpResponse<String> health = client.send(req, HttpResponse.BodyHandlers.ofString());
                for (int i = 0; i < 100 && !health.body().contains("\"ami\":\"up\""); i++) {
                    Thread.sleep(100);
                    health = client.send(req, HttpResponse.BodyHandlers.ofString());
                }
                assertEquals(200, health.statusCode(), health.body());

                p.destroy();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve did not exit after SIGTERM:\n" + read(out));
                String log = read(out);
                assertEquals(0, p.exitValue(), log);
                assertTrue(log.contains(" WARN  [main] io.voicebot.Main - ignoring environment variable "
                        + "VOICEBOT_SERVICE_HOST: there is no configuration key 'service.host'\n"), log);
                assertTrue(log.contains("ignoring environment variable VOICEBOT_PORT_8080_TCP_ADDR"), log);
                assertTrue(log.contains(" WARN  [main] i.v.cli.ServeCommand - ami.secret is still the shipped sample "
                        + "'change-me'"), log);
                Pattern iso = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) "
                        + "\\[.*");
                for (String line : log.split("\n")) {
                    assertTrue(iso.matcher(line).matches(), "not a log line of the shipped format: " + line);
                    // Third-party libraries (Sphinx4's java.util.logging among them) speak only at WARN and up.
                    assertFalse(line.contains(" INFO  ") && !line.matches(".* INFO  \\[[^]]*] i\\.v\\..*"),
                            "third-party INFO line: " + line);
                }
                try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
                    assertEquals(List.of(), left.map(f -> f.getFileName().toString())
                            .filter(n -> n.startsWith("voicebot-jsgf")).toList(), "temporary directories left");
                }
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** VOICEBOT_LOG_FORMAT=json: one JSON object per log line, for log shippers. */
    @Test
    void jsonLogsForLogShippers() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.voicebot.Main", "version");
        pb.environment().keySet().removeIf(k -> k.startsWith("VOICEBOT_"));
        pb.environment().put("VOICEBOT_LOG_FORMAT", "json");
        pb.environment().put("VOICEBOT_SERVICE_HOST", "10.96.0.12");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), err);
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(lines.get(0));
        assertEquals("WARN", n.get("level").asText(), err);
        assertEquals("io.voicebot.Main", n.get("loggerName").asText(), err);
        assertTrue(n.get("formattedMessage").asText().startsWith("ignoring environment variable VOICEBOT_SERVICE_HOST"),
                err);
        assertTrue(n.get("timestamp").asLong() > 0, err);
    }

    private static int awaitPort(Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
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
        fail("serve did not listen within 120 s:\n" + read(out));
        return -1;
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
