package io.voicebot.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Work left for people after a call (call back, review an answer, send a document). Blocking JDBC: call it from
 * a worker thread. Times are UTC, kept to milliseconds.
 */
public final class FollowupStore {

    public enum State {
        OPEN, CLOSED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code callId} is null when the task came from no call or its call was deleted; {@code dueAt} is optional. */
    public record Followup(long id, Long callId, String kind, Instant dueAt, String note, State state,
                           Instant createdAt, Instant updatedAt) {}

    private static final String COLUMNS = "id, call_id, kind, due_at, note, state, created_at, updated_at";

    private final Database db;
    private final Clock clock;
    private volatile LongConsumer created = id -> { };

    public FollowupStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Told the id of each task this store creates (after the commit), e.g. to send a webhook. */
    public void onCreated(LongConsumer listener) {
        created = listener;
    }

    /**
     * Creates an open task; {@code callId} must name a stored call when given. Returns its id. The task's reason is
     * "callback" for a callback, else "dialog" (a dialog asked for it); the contact, campaign, attempt and number
     * come from the call. A callback asked for on a campaign call is placed by the dialer, so that task is stored
     * closed by "dialer" (people see it, nobody has to act on it).
     */
    public long create(Long callId, String kind, Instant dueAt, String note) {
        if (kind == null || kind.isBlank() || kind.strip().length() > 32) {
            throw new IllegalArgumentException("follow-up kind must be 1 to 32 characters, got '" + kind + "'");
        }
        if (note != null && note.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            throw new IllegalArgumentException("follow-up note is larger than 64 KiB");
        }
        Instant now = Sql.millis(clock.instant());
        long id = db.transaction(c -> {
            long newId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO followup_tasks (call_id, kind, due_at, note, "
                    + "state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                Sql.setLong(ps, 1, callId);
                ps.setString(2, kind.strip());
                Sql.setInstant(ps, 3, dueAt);
                ps.setString(4, note);
                ps.setString(5, State.OPEN.id());
                Sql.setInstant(ps, 6, now);
                Sql.setInstant(ps, 7, now);
                ps.executeUpdate();
                newId = Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                // the only constraint a valid row can break is the call's foreign key
                throw new IllegalArgumentException("follow-up: no call with id " + callId, e);
            }
            if (callId != null) {
                fromCall(c, newId, callId, kind.strip(), now);
            }
            return newId;
        });
        try {
            created.accept(id);
        } catch (RuntimeException e) {
            // a listener's trouble (e.g. a webhook queue full) never fails the call that asked for the task
            org.slf4j.LoggerFactory.getLogger(FollowupStore.class).warn("follow-up {} listener failed: {}", id,
                    e.toString());
        }
        return id;
    }

    private static void fromCall(java.sql.Connection c, long id, long callId, String kind, Instant now)
            throws SQLException {
        String att = "(SELECT k.attempt_id FROM calls k WHERE k.id = " + callId + ")";
        try (PreparedStatement ps = c.prepareStatement("UPDATE followup_tasks SET reason = ?, attempt_id = " + att
                + ", campaign_id = (SELECT a.campaign_id FROM call_attempts a WHERE a.id = " + att + "), "
                + "contact_id = (SELECT a.contact_id FROM call_attempts a WHERE a.id = " + att + "), "
                + "phone = (SELECT CASE WHEN k.direction = 'outbound' THEN k.called_number ELSE k.caller_number END "
                + "FROM calls k WHERE k.id = ?) WHERE id = ?")) {
            ps.setString(1, kind.equals("callback") ? "callback" : "dialog");
            ps.setLong(2, callId);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        if (kind.equals("callback")) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE followup_tasks SET state = ?, closed_by = 'dialer', "
                    + "closed_at = ?, close_note = 'the campaign dialer places this callback', updated_at = ? "
                    + "WHERE id = ? AND attempt_id IS NOT NULL")) {
                ps.setString(1, State.CLOSED.id());
                Sql.setInstant(ps, 2, now);
                Sql.setInstant(ps, 3, now);
                ps.setLong(4, id);
                ps.executeUpdate();
            }
        }
    }

    /** Open tasks, soonest due first; tasks without a due time last; ties by creation. */
    public List<Followup> open() {
        return list("SELECT " + COLUMNS + " FROM followup_tasks WHERE state = ? "
                + "ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id", State.OPEN.id());
    }

    /** Every task of the call, open or closed, in creation order. */
    public List<Followup> forCall(long callId) {
        return list("SELECT " + COLUMNS + " FROM followup_tasks WHERE call_id = ? ORDER BY id", callId);
    }

    /** Closes an open task; false when there is no such open task. */
    public boolean close(long id) {
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE followup_tasks SET state = ?, updated_at = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, State.CLOSED.id());
                Sql.setInstant(ps, 2, now);
                ps.setLong(3, id);
                ps.setString(4, State.OPEN.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private List<Followup> list(String sql, Object param) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, param);
                return Rows.list(ps, FollowupStore::read);
            }
        });
    }

    private static Followup read(ResultSet rs) throws SQLException {
        return new Followup(rs.getLong("id"), Sql.getLongOrNull(rs, "call_id"), rs.getString("kind"),
                Sql.getInstant(rs, "due_at"), rs.getString("note"),
                State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), Sql.getInstant(rs, "created_at"),
                Sql.getInstant(rs, "updated_at"));
    }
}
