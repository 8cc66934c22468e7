package io.voicebot;

import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI as a user runs it: arguments, environment, exit code, what is printed. */
class MainTest {
    static TestDatabase tdb;
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    static Map<String, String> dbEnv() {
        Map<String, String> env = new HashMap<>();
        tdb.overrides().forEach((k, v) -> env.put("VOICEBOT_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        return env;
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownSubCommandsAndOptionsPrintUsageAndExit2() {
        Run r = run(Map.of(), "frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("voicebot: unknown sub-command 'frobnicate'\nusage: voicebot"), r.err());
        assertTrue(r.err().contains("  serve "), r.err());
        assertTrue(r.err().contains("  token "), r.err());

        assertEquals(2, run(Map.of()).code());
        assertEquals(2, run(Map.of(), "--verbose", "version").code());
        Run bad = run(Map.of(), "serve", "--port", "1");
        assertEquals(2, bad.code());
        assertEquals("voicebot serve: unknown option --port\n(voicebot serve --help lists its options)\n", bad.err());
        assertEquals(2, run(Map.of(), "token", "create").code());
        Run role = run(dbEnv(), "token", "create", "--role", "root");
        assertEquals(2, role.code());
        assertTrue(role.err().contains("--role: role must be one of admin, operator, agent; got 'root'"), role.err());
        assertEquals(0, run(Map.of(), "version").code());
    }

    @Test
    void tokenCreatePrintsTheTokenOnceAndStoresOnlyItsHash() {
        Run r = run(dbEnv(), "token", "create", "--role", "operator", "--name", "crm-sync");
        assertEquals(0, r.code(), r.err());
        String secret = r.out().strip();
        assertTrue(secret.startsWith("vb_") && !secret.contains("\n"), r.out());
        assertTrue(r.err().contains("'crm-sync' with role operator"), r.err());
        ApiTokenStore store = new ApiTokenStore(tdb.database(), Clock.systemUTC());
        ApiTokenStore.ApiToken t = store.authenticate(secret).orElseThrow();
        assertEquals(Role.OPERATOR, t.role());
        assertEquals("crm-sync", t.name());

        Run list = run(dbEnv(), "token", "list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("crm-sync"), list.out());
        assertFalse(list.out().contains(secret), "list never shows the secret");

        Run expiring = run(dbEnv(), "token", "create", "--role", "agent", "--name", "temp", "--expires", "30d");
        assertEquals(0, expiring.code(), expiring.err());
        ApiTokenStore.ApiToken e = store.authenticate(expiring.out().strip()).orElseThrow();
        Instant in30 = Instant.now().plus(java.time.Duration.ofDays(30));
        assertTrue(Math.abs(e.expiresAt().getEpochSecond() - in30.getEpochSecond()) < 60, e.toString());
        assertTrue(expiring.err().contains("expiring at " + e.expiresAt()), expiring.err());
        store.markUsed(e);
        Run withExpiry = run(dbEnv(), "token", "list");
        assertTrue(withExpiry.out().startsWith("ID"), withExpiry.out());
        assertTrue(withExpiry.out().contains("EXPIRES") && withExpiry.out().contains("LAST USED"), withExpiry.out());
        String line = withExpiry.out().lines().filter(l -> l.contains(" temp ")).findFirst().orElseThrow();
        assertTrue(line.contains(e.expiresAt().toString()), line);
        assertTrue(line.contains(store.find(expiring.out().strip()).orElseThrow().lastUsedAt().toString()), line);
        Run past = run(dbEnv(), "token", "create", "--role", "agent", "--expires", "2001-01-01T00:00:00Z");
        assertEquals(2, past.code());
        assertTrue(past.err().contains("--expires 2001-01-01T00:00:00Z is not in the future"), past.err());
        Run bad = run(dbEnv(), "token", "create", "--role", "agent", "--expires", "soon");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--expires must be a duration (90d, 12h, PT30M) or a time"), bad.err());

        Run revoked = run(dbEnv(), "token", "revoke", Long.toString(t.id()));
        assertEquals(0, revoked.code(), revoked.err());
        assertEquals("revoked token " + t.id() + " ('crm-sync'); requests with it now get 401\n", revoked.out());
        assertTrue(store.authenticate(secret).isEmpty());
        assertEquals(1, run(dbEnv(), "token", "revoke", Long.toString(t.id())).code());
    }

    @Test
    void unknownKeyInConfigFileNamesFileAndLine() throws Exception {
        Path f = dir.resolve("site.properties");
        Files.writeString(f, "# site settings\nhttp.port=8081\nhttp.prot=8082\n");
        Run r = run(Map.of(), "--config", f.toString(), "config");
        assertEquals(3, r.code());
        assertEquals("voicebot: configuration error: " + f + ":3: unknown key 'http.prot' (did you mean http.port?)\n",
                r.err());
    }

    @Test
    void badValueNamesKeyAndSource() throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "http.port=99999\n");
        Run r = run(Map.of(), "--config", f.toString(), "config");
        assertEquals(3, r.code());
        assertEquals("voicebot: configuration error: invalid value '99999' for http.port (from " + f
                + ":1): must be between 0 and 65535\n", r.err());

        Run env = run(Map.of("VOICEBOT_AGI_PORT", "many"), "config");
        assertEquals(3, env.code());
        assertTrue(env.err().contains("invalid value 'many' for agi.port (from environment variable "
                + "VOICEBOT_AGI_PORT): must be a whole number"), env.err());
    }

    @Test
    void unknownEnvironmentVariablesAreWarnedAboutNotFatal() {
        // Kubernetes sets VOICEBOT_SERVICE_HOST/_PORT for a Service named voicebot.
        Map<String, String> env = Map.of("VOICEBOT_SERVICE_HOST", "10.0.0.7", "VOICEBOT_SERVICE_PORT", "8080",
                "VOICEBOT_HTTP_PROT", "1", "VOICEBOT_LOG_LEVEL", "INFO", "VOICEBOT_TEST_DB_URL", "x",
                "VOICEBOT_HTTP_PORT", "8089");
        Run r = run(env, "config");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("http.port=8089    # environment variable VOICEBOT_HTTP_PORT\n"), r.out());
        assertEquals(List.of(
                "ignoring environment variable VOICEBOT_HTTP_PROT: there is no configuration key 'http.prot' "
                        + "(did you mean http.port, VOICEBOT_HTTP_PORT?)",
                "ignoring environment variable VOICEBOT_SERVICE_HOST: there is no configuration key 'service.host'",
                "ignoring environment variable VOICEBOT_SERVICE_PORT: there is no configuration key 'service.port'"),
                io.voicebot.config.Settings.unknownEnvironment(env));
    }

    @Test
    void everyConfigurationProblemIsReportedInOneRun() throws Exception {
        Path f = dir.resolve("two.properties");
        Files.writeString(f, "http.prot=8081\nagi.port=70000\nnot a setting\ncampaign.trunk.template=SIP/trunk\n");
        Run r = run(Map.of("VOICEBOT_SPEECH_THREADS", "lots", "VOICEBOT_AMD_ANALYSIS_MS", "200"),
                "--config", f.toString(), "config");
        assertEquals(3, r.code());
        assertEquals("voicebot: configuration error: 6 problems:\n"
                + "  " + f + ":1: unknown key 'http.prot' (did you mean http.port?)\n"
                + "  " + f + ":3: expected key=value, got 'not a setting'\n"
                + "  invalid value '70000' for agi.port (from " + f + ":2): must be between 0 and 65535\n"
                + "  invalid value 'lots' for speech.threads (from environment variable VOICEBOT_SPEECH_THREADS): "
                + "must be a whole number\n"
                + "  invalid value 'SIP/trunk' for campaign.trunk.template (from " + f + ":4): must contain ${number}\n"
                + "  invalid value '200' for amd.analysis.ms (from environment variable VOICEBOT_AMD_ANALYSIS_MS): "
                + "must be between 1000 and 30000\n", r.err());
    }

    @Test
    void configFileAndEnvironmentOverrideDefaultsAndSecretsStayHidden() throws Exception {
        Path f = dir.resolve("site.properties");
        Files.writeString(f, "http.port=8181\nami.secret=TopSecret42\ndb.url=jdbc:h2:mem:x\n");
        Map<String, String> env = Map.of("VOICEBOT_DB_URL", "jdbc:mysql://db.example:3306/vb?password=pw123",
                "VOICEBOT_DB_PASSWORD", "Hunter2!", "VOICEBOT_LOG_LEVEL", "WARN",
                "VOICEBOT_TEST_DB_URL", "ignored-by-config");
        Run r = run(env, "--config", f.toString(), "config");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("http.port=8181    # " + f + ":1\n"), r.out());
        assertTrue(r.out().contains("db.url=jdbc:mysql://db.example:3306/vb?password=****    # environment "
                + "variable VOICEBOT_DB_URL\n"), r.out());
        assertTrue(r.out().contains("ami.secret=****    # " + f + ":2\n"), r.out());
        assertTrue(r.out().contains("db.password=****    # environment variable VOICEBOT_DB_PASSWORD\n"), r.out());
        assertTrue(r.out().contains("agi.port=4573    # defaults\n"), r.out());
        assertFalse(r.out().contains("TopSecret42") || r.out().contains("Hunter2!") || r.out().contains("pw123"));

        Path missing = dir.resolve("nope.properties");
        Run none = run(Map.of(), "--config", missing.toString(), "config");
        assertEquals(3, none.code());
        assertTrue(none.err().contains("config file " + missing + " does not exist"), none.err());
    }

    @Test
    void configFileCanComeFromTheEnvironment() throws Exception {
        Path f = dir.resolve("env.properties");
        Files.writeString(f, "transfer.default.queue=collections\n");
        Run r = run(Map.of("VOICEBOT_CONFIG", f.toString()), "config");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("transfer.default.queue=collections    # " + f + ":1\n"), r.out());
    }
}
