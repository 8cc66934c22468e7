package io.voicebot.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Follow-up tasks as people work them (the followup_tasks table, which {@link FollowupStore} fills from dialogs):
 * created with a reason, listed with filters newest first, claimed by one person, closed with a note. Blocking
 * JDBC: call it from a worker thread.
 */
public final class TaskStore {

    /** Why a task exists. */
    public static final String ATTEMPTS_EXHAUSTED = "attempts_exhausted";
    public static final String DIALOG = "dialog";
    public static final String CALLBACK = "callback";
    public static final String TRANSFER_NO_AGENT = "transfer_no_agent";

    public record Task(long id, String reason, String kind, FollowupStore.State state, Long callId, String callUuid,
                       Long contactId, Long campaignId, Long attemptId, String phone, Instant dueAt, String note,
                       String claimedBy, Instant claimedAt, String closedBy, Instant closedAt, String closeNote,
                       Instant createdAt, Instant updatedAt) {}

    /** A task to create; everything but {@code reason} and {@code kind} is optional. */
    public record NewTask(String reason, String kind, Long callId, Long contactId, Long campaignId, Long attemptId,
                          String phone, Instant dueAt, String note) {}

    /** Each part null: not filtered on it. {@code since} inclusive, {@code until} exclusive (creation time). */
    public record Filter(FollowupStore.State state, String reason, Long campaignId, Instant since, Instant until) {}

    public enum Change { DONE, NOT_FOUND, CLOSED, TAKEN }

    /** What a claim or close did, with the task as it is after it (null when not found). */
    public record Result(Change change, Task task) {}

    public static final int MAX_PAGE = 500;

    private static final String SELECT = "SELECT f.id, f.reason, f.kind, f.state, f.call_id, k.call_uuid, "
            + "f.contact_id, f.campaign_id, f.attempt_id, f.phone, f.due_at, f.note, f.claimed_by, f.claimed_at, "
            + "f.closed_by, f.closed_at, f.close_note, f.created_at, f.updated_at FROM followup_tasks f "
            + "LEFT JOIN calls k ON k.id = f.call_id";

    private final Database db;
    private final Clock clock;

    public TaskStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates an open task; IllegalArgumentException naming the field when something is wrong. */
    public long create(NewTask t) {
        check(t.reason(), "reason", 32);
        check(t.kind(), "kind", 32);
        if (t.note() != null && t.note().getBytes(StandardCharsets.UTF_8).length > 65_535) {
            throw new IllegalArgumentException("note: larger than 64 KiB");
        }
        if (t.phone() != null && t.phone().length() > 32) {
            throw new IllegalArgumentException("phone: longer than 32 characters");
        }
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO followup_tasks (call_id, kind, due_at, note, "
                    + "state, created_at, updated_at, reason, contact_id, campaign_id, attempt_id, phone) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                Sql.setLong(ps, 1, t.callId());
                ps.setString(2, t.kind().strip());
                Sql.setInstant(ps, 3, t.dueAt());
                ps.setString(4, t.note());
                ps.setString(5, FollowupStore.State.OPEN.id());
                Sql.setInstant(ps, 6, now);
                Sql.setInstant(ps, 7, now);
                ps.setString(8, t.reason().strip());
                Sql.setLong(ps, 9, t.contactId());
                Sql.setLong(ps, 10, t.campaignId());
                Sql.setLong(ps, 11, t.attemptId());
                ps.setString(12, t.phone());
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException("callId: no call with id " + t.callId(), e);
            }
        });
    }

    private static void check(String v, String field, int max) {
        if (v == null || v.isBlank() || v.strip().length() > max) {
            throw new IllegalArgumentException(field + ": must be 1 to " + max + " characters, got '" + v + "'");
        }
    }

    public Optional<Task> find(long id) {
        return db.query(c -> find(c, id, false));
    }

    private static Optional<Task> find(Connection c, long id, boolean lock) throws SQLException {
        String sql = lock ? "SELECT id FROM followup_tasks WHERE id = ? FOR UPDATE" : null;
        if (sql != null) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE f.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Tasks matching {@code f}, newest first, with ids below {@code beforeId} (null: from the newest). */
    public List<Task> page(Filter f, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.state() != null) {
            sql.append(" AND f.state = ?");
            args.add(f.state().id());
        }
        if (f.reason() != null) {
            sql.append(" AND f.reason = ?");
            args.add(f.reason());
        }
        if (f.campaignId() != null) {
            sql.append(" AND f.campaign_id = ?");
            args.add(f.campaignId());
        }
        if (f.since() != null) {
            sql.append(" AND f.created_at >= ?");
            args.add(f.since());
        }
        if (f.until() != null) {
            sql.append(" AND f.created_at < ?");
            args.add(f.until());
        }
        if (beforeId != null) {
            sql.append(" AND f.id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY f.id DESC LIMIT ").append(Math.max(1, Math.min(MAX_PAGE, limit)));
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Instant t) {
                        Sql.setInstant(ps, i + 1, Sql.millis(t));
                    } else {
                        ps.setObject(i + 1, a);
                    }
                }
                return Rows.list(ps, TaskStore::read);
            }
        });
    }

    /** Why {@code who} may not change the task (missing, closed, claimed by another), or null when they may. */
    private static Result refusal(Optional<Task> t, String who) {
        if (t.isEmpty()) {
            return new Result(Change.NOT_FOUND, null);
        }
        if (t.get().state() == FollowupStore.State.CLOSED) {
            return new Result(Change.CLOSED, t.get());
        }
        if (t.get().claimedBy() != null && !t.get().claimedBy().equals(who)) {
            return new Result(Change.TAKEN, t.get());
        }
        return null;
    }

    /** {@code who} takes the open task; TAKEN when someone else has it (claiming one's own again is fine). */
    public Result claim(long id, String who) {
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            Optional<Task> t = find(c, id, true);
            Result refused = refusal(t, who);
            if (refused != null) {
                return refused;
            }
            if (t.get().claimedBy() == null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE followup_tasks SET claimed_by = ?, "
                        + "claimed_at = ?, updated_at = ? WHERE id = ?")) {
                    ps.setString(1, who);
                    Sql.setInstant(ps, 2, now);
                    Sql.setInstant(ps, 3, now);
                    ps.setLong(4, id);
                    ps.executeUpdate();
                }
            }
            return new Result(Change.DONE, find(c, id, false).orElseThrow());
        });
    }

    /** Closes the open task with {@code note}; TAKEN when someone else claimed it. */
    public Result close(long id, String who, String note) {
        if (note != null && note.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            throw new IllegalArgumentException("note: larger than 64 KiB");
        }
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            Optional<Task> t = find(c, id, true);
            Result refused = refusal(t, who);
            if (refused != null) {
                return refused;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE followup_tasks SET state = ?, closed_by = ?, "
                    + "closed_at = ?, close_note = ?, claimed_by = COALESCE(claimed_by, ?), "
                    + "claimed_at = COALESCE(claimed_at, ?), updated_at = ? WHERE id = ?")) {
                ps.setString(1, FollowupStore.State.CLOSED.id());
                ps.setString(2, who);
                Sql.setInstant(ps, 3, now);
                ps.setString(4, note);
                ps.setString(5, who);
                Sql.setInstant(ps, 6, now);
                Sql.setInstant(ps, 7, now);
                ps.setLong(8, id);
                ps.executeUpdate();
            }
            return new Result(Change.DONE, find(c, id, false).orElseThrow());
        });
    }

    private static Task read(ResultSet rs) throws SQLException {
        return new Task(rs.getLong("id"), rs.getString("reason"), rs.getString("kind"),
                FollowupStore.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                Sql.getLongOrNull(rs, "call_id"), rs.getString("call_uuid"), Sql.getLongOrNull(rs, "contact_id"),
                Sql.getLongOrNull(rs, "campaign_id"), Sql.getLongOrNull(rs, "attempt_id"), rs.getString("phone"),
                Sql.getInstant(rs, "due_at"), rs.getString("note"), rs.getString("claimed_by"),
                Sql.getInstant(rs, "claimed_at"), rs.getString("closed_by"), Sql.getInstant(rs, "closed_at"),
                rs.getString("close_note"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at"));
    }
}
