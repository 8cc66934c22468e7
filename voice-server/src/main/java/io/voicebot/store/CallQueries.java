package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-only views of stored calls for the API: the filtered, paged call list and what a call's detail shows of
 * its campaign attempt (attempt, answering-machine verdict, compliance gate) and recording.
 */
public final class CallQueries {

    /**
     * Filters of the call list; null means any. {@code phone} matches the caller's or the called number exactly
     * (pass the canonical form). {@code from} is inclusive, {@code to} exclusive. {@code afterStartedAt} and
     * {@code afterId} are the paging position: rows strictly after it in (started_at desc, id desc) order.
     */
    public record Filter(Long campaignId, CallStore.Direction direction, Instant from, Instant to, String outcome,
                         String phone, String dialog, Instant afterStartedAt, Long afterId, int limit) {}

    /** A call of the list, with its campaign (if any) and recording state (null: none). */
    public record Listed(CallStore.CallRecord call, Long campaignId, String recordingState) {}

    /** A campaign attempt as a call's detail shows it, with the gate's decision for it (null when none). */
    public record AttemptInfo(long id, long campaignId, String campaignName, int attemptNo, long contactId,
                              String contactName, String phone, String kind, String state, String outcome,
                              String amdVerdict, String amdDetail, String gateReason, Instant scheduledAt,
                              Instant startedAt, Instant answeredAt, Instant endedAt, GateDecision gate) {}

    public record GateDecision(boolean allowed, String rule, String reason, Instant decidedAt) {}

    /** A call's recording: the file relative to the recordings directory, and writing/complete/incomplete. */
    public record Recording(String path, String state) {}

    private final Database db;

    public CallQueries(Database db) {
        this.db = db;
    }

    public List<Listed> page(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT c.id, c.call_uuid, c.direction, c.attempt_id, c.dialog_name, "
                + "c.caller_number, c.called_number, c.started_at, c.answered_at, c.ended_at, c.outcome, "
                + "c.disclosure_played, c.transfer_queue, c.variables, c.recording_state, a.campaign_id "
                + "FROM calls c LEFT JOIN call_attempts a ON a.id = c.attempt_id WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.campaignId() != null) {
            sql.append(" AND a.campaign_id = ?");
            args.add(f.campaignId());
        }
        if (f.direction() != null) {
            sql.append(" AND c.direction = ?");
            args.add(f.direction().id());
        }
        if (f.from() != null) {
            sql.append(" AND c.started_at >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND c.started_at < ?");
            args.add(f.to());
        }
        if (f.outcome() != null) {
            sql.append(" AND c.outcome = ?");
            args.add(f.outcome());
        }
        if (f.phone() != null) {
            sql.append(" AND (c.caller_number = ? OR c.called_number = ?)");
            args.add(f.phone());
            args.add(f.phone());
        }
        if (f.dialog() != null) {
            sql.append(" AND c.dialog_name = ?");
            args.add(f.dialog());
        }
        if (f.afterStartedAt() != null) {
            sql.append(" AND (c.started_at < ? OR (c.started_at = ? AND c.id < ?))");
            args.add(f.afterStartedAt());
            args.add(f.afterStartedAt());
            args.add(f.afterId());
        }
        sql.append(" ORDER BY c.started_at DESC, c.id DESC LIMIT ").append(f.limit());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                AuditStore.bind(ps, args);
                return Rows.list(ps, rs -> new Listed(CallStore.readCall(rs), Sql.getLongOrNull(rs, "campaign_id"),
                        rs.getString("recording_state")));
            }
        });
    }

    public Optional<AttemptInfo> attempt(long attemptId) {
        return db.query(c -> {
            GateDecision gate = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT allowed, rule, reason, decided_at "
                    + "FROM gate_decisions WHERE attempt_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        gate = new GateDecision(rs.getBoolean("allowed"), rs.getString("rule"),
                                rs.getString("reason"), Sql.getInstant(rs, "decided_at"));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.campaign_id, cp.name AS campaign_name, "
                    + "a.attempt_no, a.contact_id, ct.name AS contact_name, COALESCE(a.phone, ct.phone) AS phone, "
                    + "a.kind, a.state, a.outcome, a.amd_verdict, a.amd_detail, a.gate_reason, a.scheduled_at, "
                    + "a.started_at, a.answered_at, a.ended_at FROM call_attempts a "
                    + "JOIN campaigns cp ON cp.id = a.campaign_id JOIN contacts ct ON ct.id = a.contact_id "
                    + "WHERE a.id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<AttemptInfo>empty();
                    }
                    return Optional.of(new AttemptInfo(rs.getLong("id"), rs.getLong("campaign_id"),
                            rs.getString("campaign_name"), rs.getInt("attempt_no"), rs.getLong("contact_id"),
                            rs.getString("contact_name"), rs.getString("phone"), rs.getString("kind"),
                            rs.getString("state"), rs.getString("outcome"), rs.getString("amd_verdict"),
                            rs.getString("amd_detail"), rs.getString("gate_reason"),
                            Sql.getInstant(rs, "scheduled_at"), Sql.getInstant(rs, "started_at"),
                            Sql.getInstant(rs, "answered_at"), Sql.getInstant(rs, "ended_at"), gate));
                }
            }
        });
    }

    /** The call's recording, when it has one. */
    public Optional<Recording> recording(String callUuid) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT recording_path, recording_state FROM calls WHERE call_uuid = ?")) {
                ps.setString(1, callUuid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString("recording_path") == null) {
                        return Optional.<Recording>empty();
                    }
                    return Optional.of(new Recording(rs.getString("recording_path"),
                            rs.getString("recording_state")));
                }
            }
        });
    }
}
