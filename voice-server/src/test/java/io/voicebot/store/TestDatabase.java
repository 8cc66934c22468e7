package io.voicebot.store;

import io.voicebot.config.VoicebotConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A fresh, empty database for one test class, on the backend the test run selected: VOICEBOT_TEST_DB_URL
 * (+ _USER, _PASSWORD; system property or environment variable) names a MySQL/MariaDB server, where a new
 * schema voicebot_test_&lt;random&gt; is created and dropped on close; without it, H2 (MySQL mode) in a temp dir.
 * <pre>
 *   static TestDatabase tdb;  @BeforeAll tdb = TestDatabase.fresh();  @AfterAll tdb.close();
 *   Database db = tdb.database();          // connected and migrated
 *   VoicebotConfig.defaults(home, tdb.overrides())   // for code that opens its own pool
 * </pre>
 */
public final class TestDatabase implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final Path tempDir;           // H2 only
    private final String serverUrl;       // MySQL only: URL without a schema, to drop ours
    private final String schema;          // MySQL only
    private Database database;

    private TestDatabase(String url, String user, String password, Path tempDir, String serverUrl, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.tempDir = tempDir;
        this.serverUrl = serverUrl;
        this.schema = schema;
    }

    static String setting(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /** True when the run targets MySQL/MariaDB. */
    public static boolean selectedIsMysql() {
        return setting("VOICEBOT_TEST_DB_URL") != null;
    }

    /** Allocates an empty database; nothing is migrated until {@link #database()}. */
    public static TestDatabase fresh() {
        String base = setting("VOICEBOT_TEST_DB_URL");
        try {
            if (base == null) {
                Path dir = Files.createTempDirectory("voicebot-h2-");
                String h2 = "jdbc:h2:file:" + dir.resolve("test")
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
                return new TestDatabase(h2, "voicebot", "", dir, null, null);
            }
            String user = setting("VOICEBOT_TEST_DB_USER");
            String password = setting("VOICEBOT_TEST_DB_PASSWORD");
            user = user == null ? "voicebot" : user;
            password = password == null ? "" : password;
            String schema = "voicebot_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            String server = withSchema(base, "");
            try (Connection c = DriverManager.getConnection(server, user, password);
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            }
            return new TestDatabase(withSchema(base, schema), user, password, null, server, schema);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot prepare the test database (VOICEBOT_TEST_DB_URL="
                    + (base == null ? "unset, H2" : Database.redactUrl(base)) + "): " + e.getMessage(), e);
        }
    }

    /** {@code jdbc:mysql://host:port/old?params} with the schema replaced. */
    static String withSchema(String url, String schema) {
        int hostStart = url.indexOf("//");
        if (!url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:") || hostStart < 0) {
            throw new IllegalArgumentException("VOICEBOT_TEST_DB_URL must be jdbc:mysql://host:port/db, got "
                    + Database.redactUrl(url));
        }
        int q = url.indexOf('?', hostStart);
        String head = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = head.indexOf('/', hostStart + 2);
        String hostPart = slash < 0 ? head : head.substring(0, slash);
        return hostPart + "/" + schema + params;
    }

    public Map<String, String> overrides() {
        return Map.of("db.url", url, "db.user", user, "db.password", password);
    }

    public VoicebotConfig.Db config() {
        return new VoicebotConfig.Db(url, user, password, 4, Duration.ofSeconds(5));
    }

    /** Connected and migrated (once). */
    public synchronized Database database() {
        if (database == null) {
            database = Database.connect(config());
            database.migrate();
        }
        return database;
    }

    /** Connected but not migrated: for migration tests. */
    public Database connectUnmigrated() {
        return Database.connect(config());
    }

    /** Deletes all rows of every table, children first; the schema stays. */
    public void clean() {
        database().transaction(c -> {
            try (Statement st = c.createStatement()) {
                for (String t : new String[] {"audit_log", "followup_tasks", "do_not_call", "answers", "turns",
                        "calls", "gate_decisions", "call_attempts", "campaign_contacts", "campaign_lists",
                        "campaigns", "list_rejections", "contacts", "contact_lists", "questionnaires", "dialogs",
                        "api_tokens", "inbound_events"}) {
                    st.executeUpdate("DELETE FROM " + t);
                }
            }
            return null;
        });
    }

    /** Closes the pool and keeps the data: another process (H2 locks its file) may open it; database() reconnects. */
    public synchronized void disconnect() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    @Override
    public synchronized void close() {
        if (database != null) {
            database.close();
            database = null;
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(serverUrl, user, password);
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + schema + ": " + e.getMessage(), e);
            }
        }
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + tempDir + ": " + e.getMessage(), e);
            }
        }
    }
}
