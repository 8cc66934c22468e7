package io.voicebot.store;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/** Why the robot did or did not act on a destructive request during a call (table call_decisions). */
public final class DecisionStore {

    /** {@code acted}: whether the robot acted; {@code reason}: "keypad", "confirmed by voice", "caller said no". */
    public record Decision(long callId, String stepId, String intent, boolean acted, String reason, Instant at) {}

    private final Database db;

    public DecisionStore(Database db) {
        this.db = db;
    }

    public void insert(Decision d) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_decisions (call_id, step_id, intent, "
                    + "acted, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, d.callId());
                ps.setString(2, d.stepId());
                ps.setString(3, d.intent());
                ps.setBoolean(4, d.acted());
                ps.setString(5, d.reason().length() > 200 ? d.reason().substring(0, 200) : d.reason());
                Sql.setInstant(ps, 6, d.at());
                return ps.executeUpdate();
            }
        });
    }

    /** The call's decisions in the order they were taken. */
    public List<Decision> forCall(long callId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT call_id, step_id, intent, acted, reason, "
                    + "created_at FROM call_decisions WHERE call_id = ? ORDER BY id")) {
                ps.setLong(1, callId);
                return Rows.list(ps, rs -> new Decision(rs.getLong("call_id"), rs.getString("step_id"),
                        rs.getString("intent"),
                        rs.getBoolean("acted"), rs.getString("reason"), Sql.getInstant(rs, "created_at")));
            }
        });
    }
}
