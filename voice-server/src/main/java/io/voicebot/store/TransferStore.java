package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Warm transfers of calls to agent queues (table transfers, V9): the decision, then what Asterisk reported. */
public final class TransferStore {

    /** What voicebot decided before handing over; {@code decision} is handed_over, callback, no_callback or unchecked. */
    public record NewTransfer(long callId, String callUuid, String queue, String callerName, String reason, String summary, int priority,
                              String decision, String decisionReason, Integer agentsAvailable, Integer callersWaiting,
                              Integer expectedWaitS, Instant at) {}

    /**
     * A stored transfer. {@code state}: decided, queued, connected, completed, abandoned, unanswered, or
     * not_handed_over (callback / no_callback: the caller never went to the queue).
     */
    public record Transfer(long id, long callId, String callUuid, String channelUniqueId, String queue,
                           String callerName, String reason,
                           String summary, int priority, String decision, String decisionReason,
                           Integer agentsAvailable, Integer callersWaiting, Integer expectedWaitS,
                           String variablesJson, String whisperFile, String state, String agent, Integer waitS,
                           Integer talkS, int declines, String declinedBy, boolean abandoned, Instant createdAt,
                           Instant handedOverAt, Instant connectedAt, Instant endedAt) {}

    private static final String COLUMNS = "id, call_id, call_uuid, channel_uniqueid, queue_name, caller_name, reason, "
            + "summary, priority, decision, decision_reason, agents_available, callers_waiting, expected_wait_s, variables_json, "
            + "whisper_file, state, agent, wait_s, talk_s, declines, declined_by, abandoned, created_at, "
            + "handed_over_at, connected_at, ended_at";

    private final Database db;

    /** Decisions that send the caller to the queue; any other ends the transfer when it is recorded. */
    static final String HANDED_OVER = "handed_over";
    static final String UNCHECKED = "unchecked";
    /** State of a transfer that never reached the queue (no agent free; the caller took a callback or not). */
    public static final String NOT_HANDED_OVER = "not_handed_over";

    public TransferStore(Database db) {
        this.db = db;
    }

    public long insert(NewTransfer t) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transfers (call_id, call_uuid, queue_name, "
                    + "caller_name, reason, summary, priority, decision, decision_reason, agents_available, "
                    + "callers_waiting, expected_wait_s, state, created_at, ended_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, t.callId());
                ps.setString(2, t.callUuid());
                ps.setString(3, cut(t.queue(), 80));
                ps.setString(4, cut(t.callerName(), 200));
                ps.setString(5, cut(t.reason(), 200));
                ps.setString(6, cut(t.summary(), 1000));
                ps.setInt(7, t.priority());
                ps.setString(8, t.decision());
                ps.setString(9, cut(t.decisionReason(), 300));
                Sql.setInteger(ps, 10, t.agentsAvailable());
                Sql.setInteger(ps, 11, t.callersWaiting());
                Sql.setInteger(ps, 12, t.expectedWaitS());
                // a transfer not handed over (callback offered, or not) is over when it is recorded
                boolean handedOver = HANDED_OVER.equals(t.decision()) || UNCHECKED.equals(t.decision());
                ps.setString(13, handedOver ? "decided" : NOT_HANDED_OVER);
                Sql.setInstant(ps, 14, t.at());
                Sql.setInstant(ps, 15, handedOver ? null : t.at());
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            }
        });
    }

    /** The dialplan got the channel: its Asterisk unique id, the variables set (JSON) and the whisper file. */
    public void handedOver(long id, String channelUniqueId, String variablesJson, String whisperFile, Instant at) {
        update("UPDATE transfers SET state = 'queued', channel_uniqueid = ?, variables_json = ?, whisper_file = ?, "
                + "handed_over_at = ? WHERE id = ?", ps -> {
            ps.setString(1, channelUniqueId);
            ps.setString(2, variablesJson);
            ps.setString(3, whisperFile);
            Sql.setInstant(ps, 4, at);
            ps.setLong(5, id);
        });
    }

    /** AgentConnect: {@code agent} answered after the caller waited {@code waitS} seconds in the queue. */
    public void connected(long id, String agent, int waitS, Instant at) {
        update("UPDATE transfers SET state = 'connected', agent = ?, wait_s = ?, connected_at = ? WHERE id = ?", ps -> {
            ps.setString(1, cut(agent, 120));
            ps.setInt(2, waitS);
            Sql.setInstant(ps, 3, at);
            ps.setLong(4, id);
        });
    }

    /** AgentComplete: the agent's conversation lasted {@code talkS} seconds. */
    public void completed(long id, int talkS, Instant at) {
        update("UPDATE transfers SET state = 'completed', talk_s = ?, ended_at = ? WHERE id = ?", ps -> {
            ps.setInt(1, talkS);
            Sql.setInstant(ps, 2, at);
            ps.setLong(3, id);
        });
    }

    /** An agent heard the whisper and declined: the caller stays in the queue for the next agent. */
    public void declined(long id, String agent) {
        update("UPDATE transfers SET declines = declines + 1, declined_by = CASE WHEN declined_by IS NULL THEN ? "
                + "ELSE CONCAT(declined_by, ',', ?) END WHERE id = ?", ps -> {
            ps.setString(1, cut(agent, 120));
            ps.setString(2, cut(agent, 120));
            ps.setLong(3, id);
        });
    }

    /** QueueCallerAbandon: the caller hung up while waiting {@code waitS} seconds. */
    public void abandoned(long id, int waitS, Instant at) {
        update("UPDATE transfers SET state = 'abandoned', abandoned = TRUE, wait_s = ?, ended_at = ? WHERE id = ?",
                ps -> {
                    ps.setInt(1, waitS);
                    Sql.setInstant(ps, 2, at);
                    ps.setLong(3, id);
                });
    }

    /** The dialplan reported that Queue() returned without an agent (QUEUESTATUS: JOINEMPTY, LEAVEEMPTY, TIMEOUT...). */
    public void unanswered(long id, String status, Instant at) {
        update("UPDATE transfers SET state = 'unanswered', decision_reason = CONCAT(decision_reason, '; queue: ', ?), "
                + "ended_at = ? WHERE id = ? AND state IN ('decided', 'queued')", ps -> {
            ps.setString(1, cut(status, 40));
            Sql.setInstant(ps, 2, at);
            ps.setLong(3, id);
        });
    }

    /** The caller hung up after the decision to hand over and before the dialplan got the call. */
    public void endedBeforeHandOver(long id, Instant at) {
        update("UPDATE transfers SET state = 'abandoned', abandoned = TRUE, ended_at = ? WHERE id = ? "
                + "AND state IN ('decided', '" + NOT_HANDED_OVER + "')", ps -> {
            Sql.setInstant(ps, 1, at);
            ps.setLong(2, id);
        });
    }

    public Optional<Transfer> find(long id) {
        return one("WHERE id = ?", ps -> ps.setLong(1, id));
    }

    /** The latest transfer of the call with this voicebot id (VOICEBOT_CALL_ID). */
    public Optional<Transfer> latestForCallUuid(String callUuid) {
        return one("WHERE call_uuid = ? ORDER BY id DESC", ps -> ps.setString(1, callUuid));
    }

    /** The latest transfer of the Asterisk channel with this unique id (the caller's, in queue events). */
    public Optional<Transfer> latestForChannel(String uniqueId) {
        return one("WHERE channel_uniqueid = ? ORDER BY id DESC", ps -> ps.setString(1, uniqueId));
    }

    public List<Transfer> forCall(long callId) {
        return list("WHERE call_id = ? ORDER BY id", ps -> ps.setLong(1, callId));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder b) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                b.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private Optional<Transfer> one(String where, Binder b) {
        List<Transfer> l = list(where, b);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private List<Transfer> list(String where, Binder b) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM transfers " + where)) {
                b.bind(ps);
                return Rows.list(ps, rs -> new Transfer(rs.getLong("id"), rs.getLong("call_id"),
                        rs.getString("call_uuid"),
                        rs.getString("channel_uniqueid"), rs.getString("queue_name"), rs.getString("caller_name"),
                        rs.getString("reason"),
                        rs.getString("summary"), rs.getInt("priority"), rs.getString("decision"),
                        rs.getString("decision_reason"), Sql.getInteger(rs, "agents_available"),
                        Sql.getInteger(rs, "callers_waiting"), Sql.getInteger(rs, "expected_wait_s"),
                        rs.getString("variables_json"), rs.getString("whisper_file"), rs.getString("state"),
                        rs.getString("agent"), Sql.getInteger(rs, "wait_s"), Sql.getInteger(rs, "talk_s"),
                        rs.getInt("declines"), rs.getString("declined_by"), rs.getBoolean("abandoned"),
                        Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "handed_over_at"),
                        Sql.getInstant(rs, "connected_at"), Sql.getInstant(rs, "ended_at")));
            }
        });
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
