package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Transcript QA: the operator's rule set, the flags of checked calls and which calls were checked. Blocking JDBC. */
public final class QaStore {

    /** One finding: the rule, the turn (null: the whole call) and what was found. */
    public record Flag(String ruleName, String ruleKind, Integer turnSeq, String detail) {}

    /** A stored flag with its call, for listings. */
    public record FlagView(long id, long callId, String callUuid, Long campaignId, String ruleName, String ruleKind,
                           Integer turnSeq, String detail, Instant createdAt) {}

    /** Per campaign: calls checked, calls flagged, flags per rule. */
    public record Summary(int checked, int flagged, Map<String, Integer> perRule) {}

    private final Database db;
    private final Clock clock;

    public QaStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The rule set an operator stored last (YAML as sent), if any. */
    public Optional<String> latestRules() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM qa_rule_sets ORDER BY id DESC LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    public void saveRules(String body) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO qa_rule_sets (body, created_at) VALUES (?, ?)")) {
                ps.setString(1, body);
                Sql.setInstant(ps, 2, clock.instant());
                return ps.executeUpdate();
            }
        });
    }

    /** The campaign a call belongs to (through its attempt), if any. */
    public Optional<Long> campaignOf(long callId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.campaign_id FROM calls c "
                    + "JOIN call_attempts a ON a.id = c.attempt_id WHERE c.id = ?")) {
                ps.setLong(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    /** Stores the result of checking one call (its flags, possibly none) in one transaction; a re-check replaces it. */
    public void saveCheck(long callId, Long campaignId, List<Flag> flags) {
        Instant now = Sql.millis(clock.instant());
        db.transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM qa_flags WHERE call_id = ?");
                 PreparedStatement delChecked = c.prepareStatement("DELETE FROM qa_checked WHERE call_id = ?")) {
                del.setLong(1, callId);
                del.executeUpdate();
                delChecked.setLong(1, callId);
                delChecked.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO qa_flags (call_id, campaign_id, rule_name, "
                    + "rule_kind, turn_seq, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Flag f : flags) {
                    ps.setLong(1, callId);
                    Sql.setLong(ps, 2, campaignId);
                    ps.setString(3, f.ruleName());
                    ps.setString(4, f.ruleKind());
                    Sql.setInteger(ps, 5, f.turnSeq());
                    ps.setString(6, f.detail().length() <= 500 ? f.detail() : f.detail().substring(0, 500));
                    Sql.setInstant(ps, 7, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO qa_checked (call_id, campaign_id, flags, checked_at) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, callId);
                Sql.setLong(ps, 2, campaignId);
                ps.setInt(3, flags.size());
                Sql.setInstant(ps, 4, now);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Flags, newest first, after {@code beforeId} (0: from the newest); {@code campaignId}, {@code rule} and
     * {@code since} filter when not null.
     */
    public List<FlagView> flags(Long campaignId, String rule, Instant since, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT f.id, f.call_id, c.call_uuid, f.campaign_id, f.rule_name, "
                + "f.rule_kind, f.turn_seq, f.detail, f.created_at FROM qa_flags f JOIN calls c ON c.id = f.call_id "
                + "WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (campaignId != null) {
            sql.append(" AND f.campaign_id = ?");
            args.add(campaignId);
        }
        if (rule != null) {
            sql.append(" AND f.rule_name = ?");
            args.add(rule);
        }
        if (since != null) {
            sql.append(" AND f.created_at >= ?");
            args.add(since);
        }
        if (beforeId > 0) {
            sql.append(" AND f.id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY f.id DESC LIMIT ?");
        args.add(limit);
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Instant t) {
                        Sql.setInstant(ps, i + 1, t);
                    } else if (a instanceof String s) {
                        ps.setString(i + 1, s);
                    } else if (a instanceof Integer n) {
                        ps.setInt(i + 1, n);
                    } else {
                        ps.setLong(i + 1, (Long) a);
                    }
                }
                return Rows.list(ps, rs -> new FlagView(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        Sql.getLongOrNull(rs, "campaign_id"), rs.getString(5), rs.getString(6),
                        Sql.getInteger(rs, "turn_seq"), rs.getString(8), Sql.getInstant(rs, "created_at")));
            }
        });
    }

    public Summary summary(long campaignId) {
        return db.query(c -> {
            int checked;
            int flagged;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), "
                    + "COALESCE(SUM(CASE WHEN flags > 0 THEN 1 ELSE 0 END), 0) FROM qa_checked WHERE campaign_id = ?")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    checked = rs.getInt(1);
                    flagged = rs.getInt(2);
                }
            }
            Map<String, Integer> perRule = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT rule_name, COUNT(*) FROM qa_flags "
                    + "WHERE campaign_id = ? GROUP BY rule_name ORDER BY rule_name")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        perRule.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return new Summary(checked, flagged, perRule);
        });
    }
}
