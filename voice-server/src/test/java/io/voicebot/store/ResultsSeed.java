package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Test and benchmark volume for results and the export: contacts of a campaign whose calls went one of a few set
 * ways, written in JDBC batches with explicit ids (what the dialer and calls would have stored, without the calls).
 * Every contact i gets one attempt; all but BUSY get a call with turns and answers as the "results_check" dialog
 * stores them (identity -> pay -> completed).
 */
public final class ResultsSeed {

    /** How contact i's call went. */
    public enum Kind {
        /** identity yes, can_pay yes, completed. */
        PROMISE,
        /** identity yes, can_pay no, completed. */
        NO_PROMISE,
        /** identity no: wrong_person. */
        WRONG_PERSON,
        /** the line was busy: an attempt, no call. */
        BUSY,
        /** identity yes, then the caller hung up at the pay question: partial. */
        HUNG_UP_AT_PAY
    }

    private static final int BATCH = 1000;

    private ResultsSeed() {}

    /**
     * Adds {@code n} contacts to list {@code listId} and campaign {@code campaignId}, contact i's call going
     * {@code kind.apply(i)}, named {@code name.apply(i)}, with a {@code feedback} answer when it returns non-null.
     * Phones are +1 202 {@code phoneBase + i}.
     */
    public static void seed(Database db, long campaignId, long listId, int n, long phoneBase, IntFunction<Kind> kind,
                            IntFunction<String> name, IntFunction<String> feedback) {
        seed(db, campaignId, listId, n, phoneBase, kind, name, feedback, true);
    }

    /** {@code withTurns} false: no turns (the export reads none), for volume. */
    public static void seed(Database db, long campaignId, long listId, int n, long phoneBase, IntFunction<Kind> kind,
                            IntFunction<String> name, IntFunction<String> feedback, boolean withTurns) {
        db.query(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            // Connector/J sends a batch row by row unless it may rewrite it into multi-row INSERTs: 100,000
            // contacts took minutes instead of seconds. Only for this connection, and only while seeding.
            var rewrite = db.isH2() ? null : c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getPropertySet()
                    .getBooleanProperty(com.mysql.cj.conf.PropertyKey.rewriteBatchedStatements);
            if (rewrite != null) {
                rewrite.setValue(true);
            }
            try {
                long contact0 = next(c, "contacts");
                long attempt0 = next(c, "call_attempts");
                long call0 = next(c, "calls");
                Instant t = Instant.parse("2026-11-30T10:00:00Z");
                try (PreparedStatement contacts = c.prepareStatement("INSERT INTO contacts (id, list_id, phone, name, "
                        + "timezone, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'UTC', 'new', ?, ?)");
                     PreparedStatement queue = c.prepareStatement("INSERT INTO campaign_contacts (campaign_id, "
                             + "contact_id, phone, state, next_at, attempts, next_kind, last_outcome, updated_at) "
                             + "VALUES (?, ?, ?, ?, ?, 1, 'first', ?, ?)");
                     PreparedStatement attempts = c.prepareStatement("INSERT INTO call_attempts (id, campaign_id, "
                             + "contact_id, attempt_no, state, scheduled_at, started_at, ended_at, outcome, answered_at, "
                             + "phone, kind) VALUES (?, ?, ?, 1, 'done', ?, ?, ?, ?, ?, ?, 'first')");
                     PreparedStatement calls = c.prepareStatement("INSERT INTO calls (id, call_uuid, direction, "
                             + "attempt_id, dialog_name, called_number, started_at, answered_at, ended_at, outcome, "
                             + "disclosure_played) VALUES (?, ?, 'outbound', ?, 'results_check', ?, ?, ?, ?, ?, FALSE)");
                     PreparedStatement turns = c.prepareStatement("INSERT INTO turns (call_id, seq, prompt_text, "
                             + "transcript, confidence, intent, input_mode, started_at, prompt_ms, step_id, note) "
                             + "VALUES (?, ?, ?, ?, 1, ?, ?, ?, 2000, ?, ?)");
                     PreparedStatement answers = c.prepareStatement("INSERT INTO answers (call_id, question_key, "
                             + "answer_value, confidence, confirmed, created_at) VALUES (?, ?, ?, 1, FALSE, ?)")) {
                    for (int i = 0; i < n; i++) {
                        Kind k = kind.apply(i);
                        long contact = contact0 + i;
                        long attempt = attempt0 + i;
                        long call = call0 + i;
                        String phone = "+1202" + String.format("%07d", phoneBase + i);
                        Instant at = t.plusSeconds(i);
                        contacts.setLong(1, contact);
                        contacts.setLong(2, listId);
                        contacts.setString(3, phone);
                        contacts.setString(4, name.apply(i));
                        Sql.setInstant(contacts, 5, at);
                        Sql.setInstant(contacts, 6, at);
                        contacts.addBatch();
                        String outcome = switch (k) {
                            case PROMISE, NO_PROMISE -> "completed";
                            case WRONG_PERSON -> "wrong_person";
                            case BUSY -> "busy";
                            case HUNG_UP_AT_PAY -> "partial";
                        };
                        queue.setLong(1, campaignId);
                        queue.setLong(2, contact);
                        queue.setString(3, phone);
                        queue.setString(4, k == Kind.BUSY ? "exhausted" : "done");
                        Sql.setInstant(queue, 5, at);
                        queue.setString(6, outcome);
                        Sql.setInstant(queue, 7, at);
                        queue.addBatch();
                        attempts.setLong(1, attempt);
                        attempts.setLong(2, campaignId);
                        attempts.setLong(3, contact);
                        Sql.setInstant(attempts, 4, at);
                        Sql.setInstant(attempts, 5, at);
                        Sql.setInstant(attempts, 6, at.plusSeconds(30));
                        attempts.setString(7, outcome);
                        Sql.setInstant(attempts, 8, k == Kind.BUSY ? null : at.plusSeconds(5));
                        attempts.setString(9, phone);
                        attempts.addBatch();
                        if (k != Kind.BUSY) {
                            calls.setLong(1, call);
                            calls.setString(2, UUID.randomUUID().toString());
                            calls.setLong(3, attempt);
                            calls.setString(4, phone);
                            Sql.setInstant(calls, 5, at.plusSeconds(5));
                            Sql.setInstant(calls, 6, at.plusSeconds(5));
                            Sql.setInstant(calls, 7, at.plusSeconds(30));
                            calls.setString(8, outcome);
                            calls.addBatch();
                            boolean identity = k != Kind.WRONG_PERSON;
                            if (withTurns) {
                                turn(turns, call, 1, "Am I speaking with you?", identity ? "1" : "2",
                                        identity ? "yes" : "no", "dtmf", at, "identity", "accepted");
                            }
                            answer(answers, call, "identity_confirmed", identity ? "yes" : "no", at);
                            if (k == Kind.PROMISE || k == Kind.NO_PROMISE) {
                                String yes = k == Kind.PROMISE ? "yes" : "no";
                                if (withTurns) {
                                    turn(turns, call, 2, "Can you pay?", k == Kind.PROMISE ? "1" : "2", yes, "dtmf",
                                            at.plusSeconds(10), "pay", "accepted");
                                }
                                answer(answers, call, "can_pay", yes, at);
                            } else if (k == Kind.HUNG_UP_AT_PAY && withTurns) {
                                turn(turns, call, 2, "Can you pay?", null, null, "none", at.plusSeconds(10), "pay",
                                        "caller hung up in state LISTENING");
                            }
                            String fb = feedback.apply(i);
                            if (fb != null) {
                                answer(answers, call, "feedback", fb, at);
                            }
                        }
                        if ((i + 1) % BATCH == 0 || i == n - 1) {
                            contacts.executeBatch();
                            queue.executeBatch();
                            attempts.executeBatch();
                            calls.executeBatch();
                            turns.executeBatch();
                            answers.executeBatch();
                            c.commit();
                        }
                    }
                }
                return null;
            } finally {
                c.setAutoCommit(auto);
                if (rewrite != null) {
                    rewrite.setValue(false);
                }
            }
        });
    }

    private static void turn(PreparedStatement ps, long call, int seq, String prompt, String transcript, String intent,
                             String mode, Instant at, String step, String note) throws SQLException {
        ps.setLong(1, call);
        ps.setInt(2, seq);
        ps.setString(3, prompt);
        ps.setString(4, transcript);
        ps.setString(5, intent);
        ps.setString(6, mode);
        Sql.setInstant(ps, 7, at);
        ps.setString(8, step);
        ps.setString(9, note);
        ps.addBatch();
    }

    private static void answer(PreparedStatement ps, long call, String key, String value, Instant at)
            throws SQLException {
        ps.setLong(1, call);
        ps.setString(2, key);
        ps.setString(3, value);
        Sql.setInstant(ps, 4, at);
        ps.addBatch();
    }

    private static long next(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) + 1000 FROM "
                + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
