package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Business events (inbound_events), the event types set through the API (event_types), and what an event does to
 * a campaign's dial queue: adds its number (or queues it again after an earlier round ended), or cancels the
 * entries a resolving event makes moot. Blocking JDBC: call it from a worker thread.
 */
public final class EventStore {

    /** An event type stored through the API: the campaign it calls, the duplicate window, the types resolving it. */
    public record TypeRow(String type, long campaignId, Duration dedupe, List<String> resolvedBy, Instant updatedAt) {}

    /** A received event as stored; {@code result} is null while it is being handled. */
    public record Event(long id, String type, String customer, String phone, String idempotencyKey, String result,
                        String reason, Long campaignId, Long contactId, String response, Instant receivedAt) {}

    public enum Queued { QUEUED, ALREADY_QUEUED, IN_PROGRESS }

    /** What queueing did and the entry's contact. */
    public record QueueResult(Queued what, long contactId) {}

    /** One entry a resolving event cancelled, or found already dialing. */
    public record Touched(long campaignId, long contactId, String state) {}

    private final Database db;
    private final Clock clock;

    public EventStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- event types set through the API

    public List<TypeRow> types() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_type, campaign_id, dedupe_s, resolved_by, "
                    + "updated_at FROM event_types ORDER BY event_type")) {
                try (ResultSet rs = ps.executeQuery()) {
                    List<TypeRow> out = new ArrayList<>();
                    while (rs.next()) {
                        String rb = rs.getString("resolved_by");
                        out.add(new TypeRow(rs.getString("event_type"), rs.getLong("campaign_id"),
                                Duration.ofSeconds(rs.getInt("dedupe_s")), rb == null || rb.isEmpty() ? List.of()
                                : Arrays.asList(rb.split(",")), Sql.getInstant(rs, "updated_at")));
                    }
                    return out;
                }
            }
        });
    }

    /** Creates or replaces the type; IllegalArgumentException when the campaign does not exist. */
    public void putType(String type, long campaignId, Duration dedupe, List<String> resolvedBy) {
        Instant now = Sql.millis(clock.instant());
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_types WHERE event_type = ?")) {
                ps.setString(1, type);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_types (event_type, campaign_id, "
                    + "dedupe_s, resolved_by, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, type);
                ps.setLong(2, campaignId);
                ps.setInt(3, (int) Math.min(Integer.MAX_VALUE, dedupe.toSeconds()));
                ps.setString(4, resolvedBy.isEmpty() ? null : String.join(",", resolvedBy));
                Sql.setInstant(ps, 5, now);
                ps.executeUpdate();
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException("campaign: no campaign with id " + campaignId, e);
            }
            return null;
        });
    }

    public boolean deleteType(String type) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_types WHERE event_type = ?")) {
                ps.setString(1, type);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---- received events

    /**
     * Stores a new event (result still open) and returns its id; empty when {@code idempotencyKey} is already
     * taken (read that event with {@link #byKey}).
     */
    public Optional<Long> receive(String type, String customer, String phone, String idempotencyKey,
                                  String payload) {
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_events (source, event_type, payload, "
                    + "received_at, customer, phone, idempotency_key) VALUES ('api', ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, type);
                ps.setString(2, payload);
                Sql.setInstant(ps, 3, now);
                ps.setString(4, customer);
                ps.setString(5, DialQueueStore.truncate(phone, 32));
                ps.setString(6, idempotencyKey);
                ps.executeUpdate();
                return Optional.of(Sql.generatedKey(ps));
            } catch (SQLIntegrityConstraintViolationException e) {
                return Optional.<Long>empty();
            }
        });
    }

    /** Records what came of the event: its result, reason, where it went and the response sent. */
    public void decided(long id, String result, String reason, Long campaignId, Long contactId, String phone,
                        String response) {
        Instant now = Sql.millis(clock.instant());
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE inbound_events SET result = ?, reason = ?, "
                    + "campaign_id = ?, contact_id = ?, phone = COALESCE(?, phone), response = ?, processed_at = ? "
                    + "WHERE id = ?")) {
                ps.setString(1, result);
                ps.setString(2, DialQueueStore.truncate(reason, 500));
                Sql.setLong(ps, 3, campaignId);
                Sql.setLong(ps, 4, contactId);
                ps.setString(5, phone);
                ps.setString(6, response);
                Sql.setInstant(ps, 7, now);
                ps.setLong(8, id);
                return ps.executeUpdate();
            }
        });
    }

    public Optional<Event> byKey(String idempotencyKey) {
        return one("idempotency_key = ?", idempotencyKey);
    }

    public Optional<Event> find(long id) {
        return one("id = ?", id);
    }

    private Optional<Event> one(String where, Object arg) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, event_type, customer, phone, idempotency_key, "
                    + "result, reason, campaign_id, contact_id, response, received_at FROM inbound_events WHERE "
                    + where)) {
                ps.setObject(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Event>empty();
                    }
                    return Optional.of(new Event(rs.getLong("id"), rs.getString("event_type"),
                            rs.getString("customer"), rs.getString("phone"), rs.getString("idempotency_key"),
                            rs.getString("result"), rs.getString("reason"), Sql.getLongOrNull(rs, "campaign_id"),
                            Sql.getLongOrNull(rs, "contact_id"), rs.getString("response"),
                            Sql.getInstant(rs, "received_at")));
                }
            }
        });
    }

    /** An earlier event of this customer and type that queued a call since {@code since}, other than {@code id}. */
    public Optional<Long> queuedSince(String customer, String type, Instant since, long id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) AS last_id FROM inbound_events "
                    + "WHERE customer = ? AND event_type = ? AND result = 'queued' AND received_at >= ? AND id <> ?")) {
                ps.setString(1, customer);
                ps.setString(2, type);
                Sql.setInstant(ps, 3, Sql.millis(since));
                ps.setLong(4, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.ofNullable(Sql.getLongOrNull(rs, "last_id"));
                }
            }
        });
    }

    // ---- the dial queue

    /**
     * Puts the number on list {@code listId} (its name, fields and zones updated when it is there) and in campaign
     * {@code campaignId}'s queue, due now: a new entry, or an ended one (done, exhausted, blocked, cancelled)
     * queued again for a new round of attempts. An entry already pending or dialing is left as it is. Serialized
     * with the dialer's claims on its lock row.
     */
    public QueueResult queue(long campaignId, long listId, String phone, String name, Map<String, String> fields,
                             String timezones, String country, long eventId) {
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM dialer_lock WHERE id = 1 FOR UPDATE")) {
                ps.executeQuery().close();
            }
            long contactId = contact(c, listId, phone, name, fields, timezones, country, now);
            try (PreparedStatement ps = c.prepareStatement("SELECT contact_id, state, attempts FROM campaign_contacts "
                    + "WHERE campaign_id = ? AND phone = ? FOR UPDATE")) {
                ps.setLong(1, campaignId);
                ps.setString(2, phone);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long entryContact = rs.getLong(1);
                        String state = rs.getString(2);
                        if (state.equals(DialQueueStore.EntryState.PENDING.id())) {
                            return new QueueResult(Queued.ALREADY_QUEUED, entryContact);
                        }
                        if (state.equals(DialQueueStore.EntryState.DIALING.id())) {
                            return new QueueResult(Queued.IN_PROGRESS, entryContact);
                        }
                        requeue(c, campaignId, entryContact, rs.getInt(3), eventId, now);
                        return new QueueResult(Queued.QUEUED, entryContact);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_contacts (campaign_id, contact_id, "
                    + "phone, state, next_at, attempts, next_kind, last_reason, updated_at, event_id) "
                    + "VALUES (?, ?, ?, 'pending', ?, 0, 'first', ?, ?, ?)")) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                ps.setString(3, phone);
                Sql.setInstant(ps, 4, now);
                ps.setString(5, "queued by event " + eventId);
                Sql.setInstant(ps, 6, now);
                ps.setLong(7, eventId);
                ps.executeUpdate();
            }
            return new QueueResult(Queued.QUEUED, contactId);
        });
    }

    private static void requeue(Connection c, long campaignId, long contactId, int attempts, long eventId,
                                Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_contacts SET state = 'pending', next_at = ?, "
                + "next_kind = 'first', attempt_base = ?, event_id = ?, last_reason = ?, updated_at = ? "
                + "WHERE campaign_id = ? AND contact_id = ?")) {
            Sql.setInstant(ps, 1, now);
            ps.setInt(2, attempts);
            ps.setLong(3, eventId);
            ps.setString(4, "queued again by event " + eventId);
            Sql.setInstant(ps, 5, now);
            ps.setLong(6, campaignId);
            ps.setLong(7, contactId);
            ps.executeUpdate();
        }
    }

    private static long contact(Connection c, long listId, String phone, String name, Map<String, String> fields,
                                String timezones, String country, Instant now) throws SQLException {
        String json = fields == null || fields.isEmpty() ? null : ContactFields.toJson(fields);
        try (PreparedStatement ps = c.prepareStatement("UPDATE contacts SET name = ?, fields = ?, timezone = ?, "
                + "country = ?, updated_at = ? WHERE list_id = ? AND phone = ?")) {
            ps.setString(1, name);
            ps.setString(2, json);
            ps.setString(3, timezones);
            ps.setString(4, country);
            Sql.setInstant(ps, 5, now);
            ps.setLong(6, listId);
            ps.setString(7, phone);
            if (ps.executeUpdate() == 1) {
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT id FROM contacts WHERE list_id = ? AND phone = ?")) {
                    q.setLong(1, listId);
                    q.setString(2, phone);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO contacts (list_id, phone, name, fields, timezone, "
                + "country, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, listId);
            ps.setString(2, phone);
            ps.setString(3, name);
            ps.setString(4, json);
            ps.setString(5, timezones);
            ps.setString(6, country);
            ps.setString(7, ListStore.CONTACT_STATE_NEW);
            Sql.setInstant(ps, 8, now);
            Sql.setInstant(ps, 9, now);
            ps.executeUpdate();
            return Sql.generatedKey(ps);
        }
    }

    /**
     * Cancels the pending entries of {@code campaignId} queued by events of {@code type} about {@code customer};
     * returns those cancelled and those found dialing (not touched: the call has started).
     */
    public List<Touched> cancel(long campaignId, String type, String customer, String why) {
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM dialer_lock WHERE id = 1 FOR UPDATE")) {
                ps.executeQuery().close();
            }
            List<Touched> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT q.contact_id, q.state FROM campaign_contacts q "
                    + "JOIN inbound_events e ON e.id = q.event_id WHERE q.campaign_id = ? AND e.event_type = ? "
                    + "AND e.customer = ? AND q.state IN ('pending', 'dialing')")) {
                ps.setLong(1, campaignId);
                ps.setString(2, type);
                ps.setString(3, customer);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Touched(campaignId, rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            for (Touched t : out) {
                if (t.state().equals("pending")) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_contacts SET state = 'cancelled', "
                            + "last_reason = ?, updated_at = ? WHERE campaign_id = ? AND contact_id = ? "
                            + "AND state = 'pending'")) {
                        ps.setString(1, DialQueueStore.truncate(why, 500));
                        Sql.setInstant(ps, 2, now);
                        ps.setLong(3, campaignId);
                        ps.setLong(4, t.contactId());
                        ps.executeUpdate();
                    }
                }
            }
            return out;
        });
    }
}
