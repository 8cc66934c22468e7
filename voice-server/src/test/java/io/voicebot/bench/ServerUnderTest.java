package io.voicebot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The voicebot server a load run calls: started here as its own process through scripts/voicebot serve (the
 * launcher's heap sizing, a fresh H2 database in a temporary directory, loopback ports, no AMI), or one already
 * running at --target. Knows when the started server began serving (/health 200) and was ready (/ready 200).
 * A started server's database gets an agent token first, so the run can read back what the robot understood
 * (GET /api/calls/{uuid}).
 */
final class ServerUnderTest implements AutoCloseable {
    final String host;
    final int agiPort;
    final int audioSocketPort;
    final long pid; // -1: unknown (a --target without --pid)
    final double servingSeconds; // NaN for a --target
    final double readySeconds;
    /** http://host:port of a started server's API and its token; null for a --target. */
    final String api;
    final String apiToken;
    private final Process process;
    private final Path dataDir;

    private ServerUnderTest(String host, int agiPort, int audioSocketPort, long pid, double serving, double ready,
                            String api, String apiToken, Process process, Path dataDir) {
        this.host = host;
        this.agiPort = agiPort;
        this.audioSocketPort = audioSocketPort;
        this.pid = pid;
        this.servingSeconds = serving;
        this.readySeconds = ready;
        this.api = api;
        this.apiToken = apiToken;
        this.process = process;
        this.dataDir = dataDir;
    }

    /** A server already running: {@code target} is host:agiPort:audioSocketPort. */
    static ServerUnderTest attach(String target, long pid) {
        String[] p = target.split(":");
        if (p.length != 3) {
            throw new IllegalArgumentException("--target must be host:agi-port:audiosocket-port, got '" + target + "'");
        }
        return new ServerUnderTest(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), pid, Double.NaN,
                Double.NaN, null, null, null, null);
    }

    /** Starts scripts/voicebot serve from {@code home} and waits until it serves and is ready (at most 5 min). */
    static ServerUnderTest start(Path home, Path log, Map<String, String> extraEnv) throws Exception {
        Path data = Files.createTempDirectory("voicebot-bench-calls");
        int agi = freePort();
        int audio = freePort();
        int http = freePort();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("scripts/voicebot").toString(), "serve")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("VOICEBOT_DATA_DIR", data.toString());
        env.put("VOICEBOT_DB_URL", "jdbc:h2:file:" + data.resolve("voicebot")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        env.put("VOICEBOT_DB_USER", "voicebot");
        env.put("VOICEBOT_DB_PASSWORD", "");
        for (String k : new String[] {"AGI", "AUDIOSOCKET", "HTTP"}) {
            env.put("VOICEBOT_" + k + "_BIND", "127.0.0.1");
        }
        env.put("VOICEBOT_AGI_PORT", String.valueOf(agi));
        env.put("VOICEBOT_AUDIOSOCKET_PORT", String.valueOf(audio));
        env.put("VOICEBOT_HTTP_PORT", String.valueOf(http));
        env.put("VOICEBOT_AMI_ENABLED", "false");
        env.put("VOICEBOT_LOG_LEVEL", "WARN");
        env.putAll(extraEnv);
        String token = agentToken(home, env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            double serving = waitFor(client, p, "http://127.0.0.1:" + http + "/health", t0);
            double ready = waitFor(client, p, "http://127.0.0.1:" + http + "/ready", t0);
            return new ServerUnderTest("127.0.0.1", agi, audio, p.pid(), serving, ready, "http://127.0.0.1:" + http,
                    token, p, data);
        } catch (Exception e) {
            p.destroyForcibly();
            deleteTree(data);
            throw e;
        }
    }

    /** Creates an agent token in the fresh database (voicebot token create) for reading the calls back. */
    private static String agentToken(Path home, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("scripts/voicebot").toString(), "token", "create",
                "--role", "agent", "--name", "bench-calls").directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException("voicebot token create failed (exit " + (p.isAlive() ? "none" : p.exitValue())
                    + ")");
        }
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    /** Seconds from {@code t0} until {@code url} answers 200; a server without /ready (404) counts as ready. */
    private static double waitFor(HttpClient client, Process p, String url, long t0) throws Exception {
        long deadline = t0 + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the server exited with status " + p.exitValue()
                        + " before " + url + " answered (see its log)");
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 404) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50); // polling a starting process
        }
        throw new IllegalStateException(url + " did not answer 200 within 5 minutes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy(); // SIGTERM: the server drains and exits
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
