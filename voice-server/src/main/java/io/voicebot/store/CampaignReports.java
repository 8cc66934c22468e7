package io.voicebot.store;

import io.voicebot.store.DialQueueStore.EntryState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What operators read about campaigns: progress counts, attempts, where each contact stands and every decision of
 * the compliance gate. Read-only; the dialer's writes are in {@link DialQueueStore}. Blocking JDBC.
 */
public final class CampaignReports {

    /**
     * {@code lists}: the campaign's lists with their import state; one importing is waited for, one failed is not
     * dialed (its error says why).
     */
    public record Progress(Map<String, Integer> contacts, Map<String, Integer> outcomes, Map<String, Integer> blocks,
                           int attempts, List<CampaignLists.ListState> lists) {}

    private final Database db;

    public CampaignReports(Database db) {
        this.db = db;
    }

    /** Counts per entry state, per attempt outcome, and per rule of the gate's blocks. */
    public Progress progress(long campaignId) {
        return db.query(c -> new Progress(
                counts(c, "SELECT state, COUNT(*) FROM campaign_contacts WHERE campaign_id = ? GROUP BY state",
                        campaignId),
                counts(c, "SELECT COALESCE(outcome, 'in_progress'), COUNT(*) FROM call_attempts WHERE campaign_id = ? "
                        + "GROUP BY COALESCE(outcome, 'in_progress')", campaignId),
                counts(c, "SELECT rule, COUNT(*) FROM gate_decisions WHERE campaign_id = ? AND allowed = FALSE "
                        + "GROUP BY rule", campaignId),
                counts(c, "SELECT 'n', COUNT(*) FROM call_attempts WHERE campaign_id = ?", campaignId)
                        .getOrDefault("n", 0),
                CampaignLists.of(c, campaignId, false)));
    }

    private static Map<String, Integer> counts(Connection c, String sql, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Integer> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
                return out;
            }
        }
    }

    /** The campaign's attempts, newest first, after {@code beforeId} (0: from the newest). */
    public List<AttemptStore.Attempt> attempts(long campaignId, long beforeId, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, campaign_id, contact_id, attempt_no, state, "
                    + "scheduled_at, started_at, ended_at, outcome, ami_action_id, channel FROM call_attempts "
                    + "WHERE campaign_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, campaignId);
                ps.setLong(2, beforeId);
                ps.setLong(3, beforeId);
                ps.setInt(4, limit);
                return Rows.list(ps, AttemptStore::readAttempt);
            }
        });
    }

    /** A gate decision as stored: what an operator shows a regulator. */
    public record Decision(long id, long campaignId, long contactId, Long attemptId, String phone, Instant decidedAt,
                           boolean allowed, String rule, String reason, String nodeId) {}

    /** The gate's decisions about one contact of a campaign, oldest first. */
    public List<Decision> decisions(long campaignId, long contactId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, campaign_id, contact_id, attempt_id, phone, "
                    + "decided_at, allowed, rule, reason, node_id FROM gate_decisions WHERE campaign_id = ? "
                    + "AND contact_id = ? ORDER BY id")) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                return Rows.list(ps, rs -> new Decision(rs.getLong("id"), rs.getLong("campaign_id"),
                        rs.getLong("contact_id"),
                        Sql.getLongOrNull(rs, "attempt_id"), rs.getString("phone"),
                        Sql.getInstant(rs, "decided_at"), rs.getBoolean("allowed"), rs.getString("rule"),
                        rs.getString("reason"), rs.getString("node_id")));
            }
        });
    }

    /** One queue entry: where a contact of a campaign stands. */
    public record Entry(long campaignId, long contactId, String phone, EntryState state, Instant nextAt, int attempts,
                        String nextKind, String lastOutcome, String lastReason) {}

    public Optional<Entry> entry(long campaignId, long contactId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT campaign_id, contact_id, phone, state, next_at, "
                    + "attempts, next_kind, last_outcome, last_reason FROM campaign_contacts "
                    + "WHERE campaign_id = ? AND contact_id = ?")) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Entry>empty();
                    }
                    return Optional.of(new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            EntryState.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)),
                            Sql.getInstant(rs, "next_at"), rs.getInt(6), rs.getString(7), rs.getString(8),
                            rs.getString(9)));
                }
            }
        });
    }
}
