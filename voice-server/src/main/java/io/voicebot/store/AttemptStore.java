package io.voicebot.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Call attempts of campaigns: what the dialer places and the call layer finishes. Blocking JDBC: call it from a
 * worker thread. Times are UTC, kept to milliseconds.
 */
public final class AttemptStore {

    public enum AttemptState {
        SCHEDULED, STARTED, DONE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static AttemptState parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public record Attempt(long id, long campaignId, long contactId, int attemptNo, AttemptState state,
                          Instant scheduledAt, Instant startedAt, Instant endedAt, String outcome, String amiActionId,
                          String channel) {}

    /**
     * Everything the call layer needs to place and run one attempt. {@code fields} holds "name" (empty when the
     * contact has none), "phone" and every contact field; it is unmodifiable.
     */
    public record AttemptContext(long attemptId, long campaignId, long contactId, String dialogName, String phone,
                                 String contactName, Map<String, String> fields, String timezone) {}

    /** The dialer's query; package-visible so a test can check that it runs on ix_call_attempts_due. */
    static final String DUE_SQL = "SELECT " + "id, campaign_id, contact_id, attempt_no, state, scheduled_at, "
            + "started_at, ended_at, outcome, ami_action_id, channel FROM call_attempts "
            + "WHERE state = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id LIMIT ?";

    private static final String ATTEMPT_COLUMNS = "id, campaign_id, contact_id, attempt_no, state, scheduled_at, "
            + "started_at, ended_at, outcome, ami_action_id, channel";
    private final ObjectMapper json = new ObjectMapper();

    private final Database db;
    private final Clock clock;

    public AttemptStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Schedules the contact's next attempt of the campaign (attempt_no = previous highest + 1, state "scheduled").
     * The contact must be on the campaign's list, have no attempt of this campaign still scheduled or started,
     * and have attempts left under the campaign's max_attempts.
     */
    public long scheduleAttempt(long campaignId, long contactId, Instant at) {
        if (at == null) {
            throw new IllegalArgumentException("attempt time must not be null");
        }
        return db.transaction(c -> {
            long listId;
            int maxAttempts;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT list_id, max_attempts FROM campaigns WHERE id = ?")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no campaign with id " + campaignId);
                    }
                    listId = rs.getLong(1);
                    maxAttempts = rs.getInt(2);
                }
            }
            // Locking the contact serializes numbering of its attempts.
            try (PreparedStatement ps = c.prepareStatement("SELECT list_id FROM contacts WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, contactId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no contact with id " + contactId);
                    }
                    if (rs.getLong(1) != listId) {
                        throw new IllegalArgumentException("contact " + contactId + " is not on list " + listId
                                + " of campaign " + campaignId);
                    }
                }
            }
            int last = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT attempt_no, state FROM call_attempts "
                    + "WHERE campaign_id = ? AND contact_id = ? ORDER BY attempt_no")) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getInt(1);
                        String state = rs.getString(2);
                        if (!state.equals(AttemptState.DONE.id())) {
                            throw new IllegalStateException("contact " + contactId + " already has attempt " + last
                                    + " of campaign " + campaignId + " " + state);
                        }
                    }
                }
            }
            if (last >= maxAttempts) {
                throw new IllegalStateException("contact " + contactId + " has had all " + maxAttempts
                        + " attempts of campaign " + campaignId);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_attempts (campaign_id, contact_id, "
                    + "attempt_no, state, scheduled_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                ps.setInt(3, last + 1);
                ps.setString(4, AttemptState.SCHEDULED.id());
                Sql.setInstant(ps, 5, at);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            }
        });
    }

    public Optional<Attempt> attempt(long attemptId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + ATTEMPT_COLUMNS + " FROM call_attempts WHERE id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readAttempt(rs)) : Optional.<Attempt>empty();
                }
            }
        });
    }

    /** The attempt with its contact, campaign and dialog name, for the call layer. */
    public Optional<AttemptContext> findAttempt(long attemptId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.campaign_id, a.contact_id, "
                    + "COALESCE(c.dialog_name, d.name) AS dialog_name, k.phone, k.name AS contact_name, k.fields, "
                    + "k.timezone "
                    + "FROM call_attempts a JOIN contacts k ON k.id = a.contact_id "
                    + "JOIN campaigns c ON c.id = a.campaign_id LEFT JOIN dialogs d ON d.id = c.dialog_id "
                    + "WHERE a.id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<AttemptContext>empty();
                    }
                    long contactId = rs.getLong("contact_id");
                    String phone = rs.getString("phone");
                    String name = rs.getString("contact_name");
                    Map<String, String> vars = new LinkedHashMap<>();
                    vars.put("name", name == null ? "" : name);
                    vars.put("phone", phone);
                    vars.putAll(fromJson(rs.getString("fields"), contactId));
                    return Optional.of(new AttemptContext(rs.getLong("id"), rs.getLong("campaign_id"), contactId,
                            rs.getString("dialog_name"), phone, name, Collections.unmodifiableMap(vars),
                            rs.getString("timezone")));
                }
            }
        });
    }

    /** The attempt's call was answered: its AGI session started (caps count such calls). */
    public boolean markAnswered(long id) {
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE call_attempts SET answered_at = ? WHERE id = ? AND answered_at IS NULL")) {
                Sql.setInstant(ps, 1, now);
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * The attempt was originated: state "started", started_at now. {@code channel} may be null when not yet known.
     * False when there is no such attempt or it is not scheduled.
     */
    public boolean markAttemptStarted(long id, String amiActionId, String channel) {
        if (amiActionId == null || amiActionId.isBlank() || amiActionId.length() > 64) {
            throw new IllegalArgumentException("attempt " + id + ": AMI action id must be 1 to 64 characters");
        }
        if (channel != null && channel.length() > 128) {
            throw new IllegalArgumentException("attempt " + id + ": channel is longer than 128 characters");
        }
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE call_attempts SET state = ?, started_at = ?, "
                    + "ami_action_id = ?, channel = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, AttemptState.STARTED.id());
                Sql.setInstant(ps, 2, now);
                ps.setString(3, amiActionId);
                ps.setString(4, channel);
                ps.setLong(5, id);
                ps.setString(6, AttemptState.SCHEDULED.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * The attempt is over (answered, busy, no answer, skipped...): state "done", ended_at now. False when there is
     * no such attempt or it is already done.
     */
    public boolean finishAttempt(long id, String outcome) {
        if (outcome == null || outcome.isBlank() || outcome.length() > 32) {
            throw new IllegalArgumentException("attempt " + id + ": outcome must be 1 to 32 characters, got '"
                    + outcome + "'");
        }
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE call_attempts SET state = ?, ended_at = ?, "
                    + "outcome = ? WHERE id = ? AND state <> ?")) {
                ps.setString(1, AttemptState.DONE.id());
                Sql.setInstant(ps, 2, now);
                ps.setString(3, outcome);
                ps.setLong(4, id);
                ps.setString(5, AttemptState.DONE.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Up to {@code limit} scheduled attempts due at {@code now}, the longest-waiting first. */
    public List<Attempt> dueAttempts(Instant now, int limit) {
        if (now == null) {
            throw new IllegalArgumentException("now must not be null");
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, got " + limit);
        }
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(DUE_SQL)) {
                Sql.setInstant(ps, 1, now);
                ps.setInt(2, limit);
                return Rows.list(ps, AttemptStore::readAttempt);
            }
        });
    }

    /**
     * What a campaign does when an answering machine answers one of its calls (campaigns.amd_action,
     * voicemail_text, voicemail_max_s). {@code voicemailText} may be null.
     */
    public record MachinePolicy(Action action, String voicemailText, int voicemailMaxSeconds) {
        public enum Action {
            /** No detection: every answer is a person's. */
            OFF,
            /** End the call (outcome "machine"); the dialer retries later. */
            HANGUP,
            /** Leave the campaign's voicemail after the beep (outcome "voicemail"). */
            VOICEMAIL;

            public String id() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public MachinePolicy {
            if (action == null) {
                throw new IllegalArgumentException("machine policy needs an action");
            }
            if (voicemailMaxSeconds < 0) {
                throw new IllegalArgumentException("voicemail_max_s must not be negative, got " + voicemailMaxSeconds);
            }
        }
    }

    /**
     * The answering-machine policy of the attempt's campaign; empty when there is no such attempt. An amd_action
     * other than off, hangup or voicemail is a StoreException naming the campaign.
     */
    public Optional<MachinePolicy> machinePolicy(long attemptId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.amd_action, c.voicemail_text, "
                    + "c.voicemail_max_s FROM call_attempts a JOIN campaigns c ON c.id = a.campaign_id "
                    + "WHERE a.id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<MachinePolicy>empty();
                    }
                    String action = rs.getString("amd_action");
                    MachinePolicy.Action parsed = null;
                    for (MachinePolicy.Action a : MachinePolicy.Action.values()) {
                        if (a.id().equals(action)) {
                            parsed = a;
                        }
                    }
                    if (parsed == null) {
                        throw new StoreException("campaign " + rs.getLong("id") + ": amd_action '" + action
                                + "' is not off, hangup or voicemail");
                    }
                    return Optional.of(new MachinePolicy(parsed, rs.getString("voicemail_text"),
                            Math.max(0, rs.getInt("voicemail_max_s"))));
                }
            }
        });
    }

    /**
     * Stores the answering-machine verdict of an attempt ("human", "machine", "not_sure") and its detail in words,
     * cut to 255 characters. False when there is no such attempt.
     */
    public boolean recordAmd(long attemptId, String verdict, String detail) {
        if (verdict == null || verdict.isBlank() || verdict.length() > 16) {
            throw new IllegalArgumentException("attempt " + attemptId + ": AMD verdict must be 1 to 16 characters, "
                    + "got '" + verdict + "'");
        }
        String d = detail == null || detail.length() <= 255 ? detail : detail.substring(0, 254) + "…";
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE call_attempts SET amd_verdict = ?, amd_detail = ? WHERE id = ?")) {
                ps.setString(1, verdict);
                ps.setString(2, d);
                ps.setLong(3, attemptId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    static Attempt readAttempt(ResultSet rs) throws SQLException {
        return new Attempt(rs.getLong("id"), rs.getLong("campaign_id"), rs.getLong("contact_id"),
                rs.getInt("attempt_no"), AttemptState.parse(rs.getString("state")), Sql.getInstant(rs, "scheduled_at"),
                Sql.getInstant(rs, "started_at"), Sql.getInstant(rs, "ended_at"), rs.getString("outcome"),
                rs.getString("ami_action_id"), rs.getString("channel"));
    }

    private Map<String, String> fromJson(String text, long contactId) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(
                    json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new StoreException("contact " + contactId + ": stored fields are not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
    }
}
