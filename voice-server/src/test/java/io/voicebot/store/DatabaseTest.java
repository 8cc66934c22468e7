package io.voicebot.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrations on the selected backend (H2 by default, MariaDB/MySQL with VOICEBOT_TEST_DB_URL). */
class DatabaseTest {
    static final List<String> TABLES = List.of("api_tokens", "dialogs", "questionnaires", "contact_lists", "contacts",
            "campaigns", "call_attempts", "calls", "turns", "answers", "do_not_call", "followup_tasks",
            "inbound_events", "audit_log", "list_rejections", "campaign_lists", "campaign_contacts", "gate_decisions",
            "qrtz_job_details", "qrtz_triggers", "qrtz_locks", "qrtz_scheduler_state", "qrtz_fired_triggers",
            "event_types", "qa_rule_sets", "qa_flags", "qa_checked", "call_decisions", "transfers");

    static TestDatabase tdb;

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    @Test
    void migratesAnEmptyDatabaseOnceAndCreatesEveryTable() {
        try (TestDatabase own = TestDatabase.fresh(); Database db = own.connectUnmigrated()) {
            assertEquals(TestDatabase.selectedIsMysql(), !db.isH2());
            assertEquals(12, db.migrate(), "first run applies V1 to V12");
            assertEquals(0, db.migrate(), "second run has nothing to do");
            List<String> found = db.query(c -> {
                DatabaseMetaData md = c.getMetaData();
                List<String> names = new ArrayList<>();
                for (String t : TABLES) {
                    // Quartz's tables are upper case on MariaDB, whose table names are case-sensitive
                    String name = t.startsWith("qrtz_") && !db.isH2() ? t.toUpperCase() : t;
                    try (ResultSet rs = md.getTables(c.getCatalog(), null, name, new String[] {"TABLE"})) {
                        if (rs.next()) {
                            names.add(rs.getString("TABLE_NAME").toLowerCase());
                        }
                    }
                }
                return names;
            });
            assertEquals(TABLES, found);
            assertTrue(db.isHealthy(Duration.ofSeconds(2)));
        }
    }

    @Test
    void foreignKeysUniqueAndCheckConstraintsAreEnforced() {
        Database db = tdb.database();
        // a turn of a call that does not exist
        StoreException fk = assertThrows(StoreException.class, () -> db.query(c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("INSERT INTO turns (call_id, seq, input_mode, started_at) "
                        + "VALUES (999999, 1, 'none', '2024-01-01 00:00:00')");
            }
        }));
        assertTrue(fk.getMessage().toLowerCase().contains("foreign") || fk.getMessage().contains("REFERENCES"),
                fk.getMessage());
        // the same call uuid twice
        String insertCall = "INSERT INTO calls (call_uuid, direction, started_at, disclosure_played) "
                + "VALUES (?, ?, '2024-01-01 00:00:00', FALSE)";
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(insertCall)) {
                ps.setString(1, "dup-1");
                ps.setString(2, "inbound");
                return ps.executeUpdate();
            }
        });
        assertThrows(StoreException.class, () -> db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(insertCall)) {
                ps.setString(1, "dup-1");
                ps.setString(2, "inbound");
                return ps.executeUpdate();
            }
        }));
        // a direction that is neither inbound nor outbound
        assertThrows(StoreException.class, () -> db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(insertCall)) {
                ps.setString(1, "bad-dir");
                ps.setString(2, "sideways");
                return ps.executeUpdate();
            }
        }));
    }

    @Test
    void transactionRollsBackWhenWorkFails() {
        Database db = tdb.database();
        assertThrows(StoreException.class, () -> db.transaction(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO contact_lists (name, created_at) VALUES ('rollback-me', "
                        + "'2024-01-01 00:00:00')");
                st.executeUpdate("INSERT INTO contact_lists (name, created_at) VALUES ('rollback-me', "
                        + "'2024-01-01 00:00:00')");
            }
            return null;
        }));
        int n = db.query(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM contact_lists WHERE name = 'rollback-me'")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(0, n);
    }

    @Test
    void unreachableDatabaseFailsWithAClearMessageAndNoPassword() {
        var cfg = new io.voicebot.config.VoicebotConfig.Db(
                "jdbc:mysql://127.0.0.1:1/nowhere?password=hunter2", "u", "s3cr3t-pw", 2, Duration.ofMillis(500));
        StoreException e = assertThrows(StoreException.class, () -> Database.connect(cfg));
        assertTrue(e.getMessage().startsWith("cannot connect to database jdbc:mysql://127.0.0.1:1/nowhere"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
    }
}
