package io.voicebot.sim;

import io.voicebot.config.Settings;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A test class's own server under the in-process Asterisk: a fresh database (H2, or the one VOICEBOT_TEST_DB_*
 * selects) and the given dialogs in a temporary folder, or the checkout's ({@link #shipped}). Close it in
 * {@code @AfterAll}.
 */
public final class SimulationFixture implements AutoCloseable {
    /** What a test waits for; it may ask the server (a query, an HTTP request), so it may throw. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** More files and settings before the server starts; {@code dir} is the fixture's temporary folder. */
    @FunctionalInterface
    public interface Setup {
        void apply(Path dir, Map<String, String> overrides) throws IOException;
    }

    private final TestDatabase database;
    private final Simulation simulation;

    private SimulationFixture(TestDatabase database, Simulation simulation) {
        this.database = database;
        this.simulation = simulation;
    }

    /** {@code dialogs}: script by dialog name, written to dialogs/NAME.yaml. */
    public static SimulationFixture start(String tempPrefix, Map<String, String> dialogs) throws Exception {
        return start(tempPrefix, dialogs, (dir, overrides) -> { });
    }

    public static SimulationFixture start(String tempPrefix, Map<String, String> dialogs, Setup setup)
            throws Exception {
        return start(tempPrefix, dialogs, setup, java.time.Clock.systemUTC());
    }

    /** The dialogs the checkout ships (config/dialogs), not copies; then {@code setup}. */
    public static SimulationFixture shipped(String tempPrefix, Setup setup) throws Exception {
        return start(tempPrefix, null, setup, java.time.Clock.systemUTC());
    }

    /**
     * With the dialer on: {@code complianceRules} written to compliance.yaml as the calling rules, a dialer tick of
     * 200 ms, then {@code setup}; the server runs on {@code clock}.
     */
    public static SimulationFixture startCampaigns(String tempPrefix, Map<String, String> dialogs,
                                                   String complianceRules, java.time.Clock clock, Setup setup)
            throws Exception {
        return start(tempPrefix, dialogs, (dir, o) -> {
            Files.writeString(dir.resolve("compliance.yaml"), complianceRules);
            o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
            o.put("campaign.tick.ms", "200");
            setup.apply(dir, o);
        }, clock);
    }

    /** {@code dialogs} null: the checkout's. */
    private static SimulationFixture start(String tempPrefix, Map<String, String> dialogs, Setup setup,
                                           java.time.Clock clock) throws Exception {
        TestDatabase tdb = TestDatabase.fresh();
        try {
            Path dir = Files.createTempDirectory(tempPrefix);
            Map<String, String> o = new HashMap<>(tdb.overrides());
            if (dialogs != null) {
                Files.createDirectories(dir.resolve("dialogs"));
                for (Map.Entry<String, String> d : dialogs.entrySet()) {
                    Files.writeString(dir.resolve("dialogs/" + d.getKey() + ".yaml"), d.getValue());
                }
                o.put("dialogs.dir", dir.resolve("dialogs").toString());
            }
            setup.apply(dir, o);
            return new SimulationFixture(tdb, Simulation.start(Settings.load(null, Map.of()), home(), o, clock));
        } catch (Exception | Error e) {
            tdb.close();
            throw e;
        }
    }

    /**
     * Polls {@code done} every 50 ms until it holds; after {@code timeout} the test fails, naming {@code what}.
     * Calls, attempts and metrics settle on the server's threads: an end-to-end test waits for them this way.
     */
    public static void await(String what, Duration timeout, Condition done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The checkout: config/, grammars/ and audio/ are read from here. */
    public static Path home() {
        return Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize();
    }

    public Simulation simulation() {
        return simulation;
    }

    /** A new API token's secret on this server. */
    public String token(String name, Role role) {
        return new ApiTokenStore(simulation.server().database(), java.time.Clock.systemUTC()).create(name, role)
                .secret();
    }

    /** A JSON request to this server's HTTP API as {@code token}; {@code body} null: none. */
    public HttpRequest.Builder apiRequest(String method, String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulation.server().httpPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
    }

    @Override
    public void close() {
        simulation.close();
        database.close();
    }
}
