package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a campaign's calls came to: attempt counts, the per-contact funnel, answers per question and where calls
 * that did not complete stopped. Read-only aggregates over call_attempts, calls, turns and answers (progress counts
 * are {@link CampaignReports}'). The stage conditions are SQL over stored facts; docs/results-and-qa.md defines
 * them. Blocking JDBC.
 */
public final class ResultQueries {

    /** Outcomes of a call on which no person was reached. */
    static final String NO_PERSON = "('machine', 'voicemail')";

    /** A call that reached a person: answered, not a machine, and the callee said something or pressed a key. */
    static final String REACHED = "(c.outcome IS NULL OR c.outcome NOT IN " + NO_PERSON + ") AND EXISTS (SELECT 1 "
            + "FROM turns t WHERE t.call_id = c.id AND t.input_mode IN ('speech', 'dtmf'))";

    /**
     * Identity confirmed: the call stored identity_confirmed = yes; or it asked no such question (a compiled
     * questionnaire keeps no answer for its identity check) and stored some other answer, which only a confirmed
     * callee reaches.
     */
    static final String IDENTITY = "(EXISTS (SELECT 1 FROM answers x WHERE x.call_id = c.id "
            + "AND x.question_key = 'identity_confirmed' AND x.answer_value = 'yes') "
            + "OR (NOT EXISTS (SELECT 1 FROM answers x WHERE x.call_id = c.id "
            + "AND x.question_key = 'identity_confirmed') AND EXISTS (SELECT 1 FROM answers x WHERE x.call_id = c.id)))";

    public record AttemptCounts(int attempts, int dialed, int answered) {}

    /** Contacts per stage; each stage counts contacts with one call that passed it and every stage before. */
    public record Funnel(int contactsCalled, int reached, int identityConfirmed, int completed, int positive) {}

    /** One answer that puts a call in the funnel's last stage; {@code value} null: any value of that question. */
    public record PositiveAnswer(String key, String value) {}

    private final Database db;

    public ResultQueries(Database db) {
        this.db = db;
    }

    public AttemptCounts attemptCounts(long campaignId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), "
                    + "COALESCE(SUM(CASE WHEN started_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
                    + "FROM call_attempts WHERE campaign_id = ?")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new AttemptCounts(rs.getInt(1), rs.getInt(2), rs.getInt(3));
                }
            }
        });
    }

    /** The funnel by contact; {@code positive} must not be empty. */
    public Funnel funnel(long campaignId, List<PositiveAnswer> positive) {
        if (positive.isEmpty()) {
            throw new IllegalArgumentException("the funnel needs at least one positive answer");
        }
        StringBuilder pos = new StringBuilder("EXISTS (SELECT 1 FROM answers p WHERE p.call_id = c.id AND (");
        for (int i = 0; i < positive.size(); i++) {
            pos.append(i == 0 ? "" : " OR ").append(positive.get(i).value() == null ? "p.question_key = ?"
                    : "(p.question_key = ? AND p.answer_value = ?)");
        }
        pos.append("))");
        String reached = REACHED;
        String identity = reached + " AND " + IDENTITY;
        String completed = identity + " AND c.outcome = 'completed'";
        String positiveStage = completed + " AND " + pos;
        String sql = "SELECT COUNT(*), COALESCE(SUM(r), 0), COALESCE(SUM(i), 0), COALESCE(SUM(d), 0), "
                + "COALESCE(SUM(p), 0) FROM (SELECT a.contact_id, "
                + "MAX(CASE WHEN " + reached + " THEN 1 ELSE 0 END) r, "
                + "MAX(CASE WHEN " + identity + " THEN 1 ELSE 0 END) i, "
                + "MAX(CASE WHEN " + completed + " THEN 1 ELSE 0 END) d, "
                + "MAX(CASE WHEN " + positiveStage + " THEN 1 ELSE 0 END) p "
                + "FROM call_attempts a JOIN calls c ON c.attempt_id = a.id WHERE a.campaign_id = ? "
                + "GROUP BY a.contact_id) f";
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int n = 1;
                for (PositiveAnswer p : positive) {
                    ps.setString(n++, p.key());
                    if (p.value() != null) {
                        ps.setString(n++, p.value());
                    }
                }
                ps.setLong(n, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int called = calledContacts(c, campaignId);
                    return new Funnel(called, rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5));
                }
            }
        });
    }

    private static int calledContacts(Connection c, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT contact_id) FROM call_attempts "
                + "WHERE campaign_id = ? AND started_at IS NOT NULL")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Answers of the campaign's calls: per question key (in order of first answer), the count per value. Values
     * are compared in full; a question with more than {@code maxValues} distinct values keeps the most frequent.
     */
    public Map<String, Map<String, Integer>> answerDistribution(long campaignId, int maxValues) {
        return db.query(c -> {
            // answer_value is TEXT (a CLOB in H2, which cannot be grouped): counted here, one question at a time
            Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ans.question_key, ans.answer_value "
                    + "FROM call_attempts a JOIN calls c ON c.attempt_id = a.id JOIN answers ans ON ans.call_id = c.id "
                    + "WHERE a.campaign_id = ? ORDER BY ans.id", ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setLong(1, campaignId);
                Cursors.stream(db, ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String value = rs.getString(2);
                        out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                                .merge(value == null ? "" : value, 1, Integer::sum);
                    }
                }
            }
            out.replaceAll((k, counts) -> top(counts, maxValues));
            return out;
        });
    }

    private static Map<String, Integer> top(Map<String, Integer> counts, int max) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(max).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Where it stopped: calls that reached a person and did not complete, by the dialog step of their last turn. */
    public record DropOff(String stepId, int calls) {}

    public List<DropOff> dropOff(long campaignId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.step_id, COUNT(*) FROM call_attempts a "
                    + "JOIN calls c ON c.attempt_id = a.id JOIN turns t ON t.call_id = c.id "
                    + "WHERE a.campaign_id = ? AND c.ended_at IS NOT NULL AND (c.outcome IS NULL OR c.outcome <> 'completed') "
                    + "AND " + REACHED + " AND t.seq = (SELECT MAX(t2.seq) FROM turns t2 WHERE t2.call_id = c.id) "
                    + "GROUP BY t.step_id ORDER BY COUNT(*) DESC, t.step_id")) {
                ps.setLong(1, campaignId);
                return Rows.list(ps, rs -> new DropOff(rs.getString(1), rs.getInt(2)));
            }
        });
    }

    /** The question keys answered in the campaign's calls, in order of first answer: the export's columns. */
    public List<String> questionKeys(long campaignId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ans.question_key, MIN(ans.id) FROM call_attempts a "
                    + "JOIN calls c ON c.attempt_id = a.id JOIN answers ans ON ans.call_id = c.id "
                    + "WHERE a.campaign_id = ? GROUP BY ans.question_key ORDER BY MIN(ans.id)")) {
                ps.setLong(1, campaignId);
                return Rows.list(ps, rs -> rs.getString(1));
            }
        });
    }
}
