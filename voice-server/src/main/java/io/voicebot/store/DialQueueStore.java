package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The dialer's work queue (campaign_contacts): one entry per number of a running campaign. {@link #claim} takes due
 * entries with {@code SELECT ... FOR UPDATE SKIP LOCKED}, asks a {@link Screen} (the compliance gate) about each in
 * the same transaction, and writes the attempt row before anybody dials: a node that dies after the commit leaves
 * an attempt "started" that reconciliation settles, never a contact dialled twice. Every decision is stored in
 * gate_decisions. Blocking JDBC: call it from a worker thread.
 */
public final class DialQueueStore {

    public enum EntryState {
        PENDING, DIALING, DONE, EXHAUSTED, BLOCKED, CANCELLED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A do-not-call entry in force. */
    public record DncHit(String reason, Instant expiresAt) {}

    /**
     * What the gate needs to know about one due entry. {@code personCalls}: start times of the calls to this number
     * in the last 30 days that count toward the caps (across every campaign), newest first; {@code campaignAttempts}:
     * start times of this campaign's attempts on the contact in the last 24 hours, newest first; {@code inFlight}:
     * some attempt to this number (any campaign) has not ended.
     */
    public record Candidate(long campaignId, long contactId, String phone, String country, List<String> timezones,
                            int attempts, String nextKind, DncHit dnc, boolean inFlight, List<Instant> personCalls,
                            List<Instant> campaignAttempts) {}

    /** The gate's answer: allowed, or blocked by {@code rule} until {@code notBefore} (null: for good). */
    public record Verdict(boolean allowed, String rule, String reason, Instant notBefore) {
        public static Verdict allow(String reason) {
            return new Verdict(true, "allowed", reason, null);
        }

        public static Verdict block(String rule, String reason, Instant notBefore) {
            return new Verdict(false, rule, reason, notBefore);
        }
    }

    @FunctionalInterface
    public interface Screen {
        Verdict screen(Candidate candidate);
    }

    /** An attempt written and ready to originate; {@code channelId} is the Asterisk channel id it will get. */
    public record Claimed(long attemptId, long campaignId, long contactId, int attemptNo, String phone,
                          String channelId, String kind, String gateReason) {}

    /** What settling an attempt needs to know; {@code attemptNo} counts within the entry's current round. */
    public record Ended(long attemptId, long campaignId, long contactId, int attemptNo, String phone, String kind,
                        String outcome, Instant startedAt, Instant answeredAt, Long callId, Instant callbackAt) {}

    /** Where a settled contact goes next. */
    public record Next(EntryState state, Instant nextAt, String kind, String reason) {}

    /** An attempt that has not ended, with what is known about its call. */
    public record Open(long attemptId, long campaignId, long contactId, String phone, String nodeId, String channelId,
                       Instant startedAt, Instant answeredAt, Long callId, Instant callEndedAt, String callOutcome) {}

    /** How far back the caps look (the longest cap is per month: 30 days). */
    static final Duration CAP_LOOKBACK = Duration.ofDays(30);

    private final Database db;
    private final Clock clock;

    public DialQueueStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    static void cancelPending(Connection c, long campaignId, Instant now, String why) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_contacts SET state = ?, last_reason = ?, "
                + "updated_at = ? WHERE campaign_id = ? AND state = ?")) {
            ps.setString(1, EntryState.CANCELLED.id());
            ps.setString(2, truncate(why, 500));
            Sql.setInstant(ps, 3, now);
            ps.setLong(4, campaignId);
            ps.setString(5, EntryState.PENDING.id());
            ps.executeUpdate();
        }
    }

    /**
     * Claims up to {@code max} due entries of a running campaign: each is screened, and the allowed ones get an
     * attempt row (state started, this node, the gate's reason) and move to "dialing"; blocked ones wait until the
     * verdict's time or are blocked for good. Claims of every campaign serialize on one lock row, so the per-number
     * checks and the campaign's {@code concurrency} (entries "dialing") hold across campaigns and nodes. Empty when the
     * campaign is not running.
     */
    public List<Claimed> claim(long campaignId, int max, int concurrency, String nodeId, boolean capsCountAnsweredOnly,
                               Screen screen) {
        if (max < 1) {
            return List.of();
        }
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM dialer_lock WHERE id = 1 FOR UPDATE")) {
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM campaigns WHERE id = ?")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"running".equals(rs.getString(1))) {
                        return List.<Claimed>of();
                    }
                }
            }
            int room = Math.min(max, concurrency - dialing(c, campaignId));
            if (room <= 0) {
                return List.<Claimed>of();
            }
            List<Candidate> due = due(c, campaignId, now, room, capsCountAnsweredOnly);
            List<Claimed> out = new ArrayList<>();
            for (Candidate cand : due) {
                Verdict v = screen.screen(cand);
                if (v.allowed()) {
                    out.add(dial(c, cand, v, nodeId, now));
                } else {
                    block(c, cand, v, nodeId, now);
                }
            }
            return out;
        });
    }

    private List<Candidate> due(Connection c, long campaignId, Instant now, int max, boolean answeredOnly)
            throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT q.contact_id, q.phone, q.attempts, q.next_kind, "
                + "k.country, k.timezone FROM campaign_contacts q JOIN contacts k ON k.id = q.contact_id "
                + "WHERE q.campaign_id = ? AND q.state = ? AND q.next_at <= ? "
                // only lists whose import completed; a subquery, so that the pick does not lock the list rows
                + "AND k.list_id IN (" + CampaignLists.READY_LISTS + ") "
                + "ORDER BY q.next_at, q.contact_id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setLong(1, campaignId);
            ps.setString(2, EntryState.PENDING.id());
            Sql.setInstant(ps, 3, now);
            ps.setInt(4, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tz = rs.getString("timezone");
                    List<String> zones = tz == null || tz.isBlank() ? List.of()
                            : Arrays.stream(tz.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                    out.add(new Candidate(campaignId, rs.getLong("contact_id"), rs.getString("phone"),
                            rs.getString("country"), zones, rs.getInt("attempts"), rs.getString("next_kind"), null,
                            false, List.of(), List.of()));
                }
            }
        }
        return ClaimFacts.complete(c, campaignId, out, now, answeredOnly);
    }

    private Claimed dial(Connection c, Candidate k, Verdict v, String nodeId, Instant now) throws SQLException {
        int no = k.attempts() + 1;
        // The channel id Asterisk will give the call: reconciliation finds the call by it after a crash.
        String channelId = "vb-" + UUID.randomUUID();
        long attemptId;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_attempts (campaign_id, contact_id, "
                + "attempt_no, state, scheduled_at, started_at, ami_action_id, phone, kind, node_id, gate_reason) "
                + "VALUES (?, ?, ?, 'started', ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, k.campaignId());
            ps.setLong(2, k.contactId());
            ps.setInt(3, no);
            Sql.setInstant(ps, 4, now);
            Sql.setInstant(ps, 5, now);
            ps.setString(6, channelId);
            ps.setString(7, k.phone());
            ps.setString(8, k.nextKind());
            ps.setString(9, nodeId);
            ps.setString(10, truncate(v.reason(), 500));
            ps.executeUpdate();
            attemptId = Sql.generatedKey(ps);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_contacts SET state = ?, attempts = ?, "
                + "updated_at = ? WHERE campaign_id = ? AND contact_id = ?")) {
            ps.setString(1, EntryState.DIALING.id());
            ps.setInt(2, no);
            Sql.setInstant(ps, 3, now);
            ps.setLong(4, k.campaignId());
            ps.setLong(5, k.contactId());
            ps.executeUpdate();
        }
        decision(c, k, v, attemptId, nodeId, now);
        return new Claimed(attemptId, k.campaignId(), k.contactId(), no, k.phone(), channelId, k.nextKind(),
                v.reason());
    }

    private void block(Connection c, Candidate k, Verdict v, String nodeId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_contacts SET state = ?, next_at = ?, "
                + "last_reason = ?, updated_at = ? WHERE campaign_id = ? AND contact_id = ?")) {
            ps.setString(1, (v.notBefore() == null ? EntryState.BLOCKED : EntryState.PENDING).id());
            Sql.setInstant(ps, 2, v.notBefore() == null ? now : Sql.millis(v.notBefore()));
            ps.setString(3, truncate(v.rule() + ": " + v.reason(), 500));
            Sql.setInstant(ps, 4, now);
            ps.setLong(5, k.campaignId());
            ps.setLong(6, k.contactId());
            ps.executeUpdate();
        }
        decision(c, k, v, null, nodeId, now);
    }

    private static void decision(Connection c, Candidate k, Verdict v, Long attemptId, String nodeId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gate_decisions (campaign_id, contact_id, "
                + "attempt_id, phone, decided_at, allowed, rule, reason, node_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, k.campaignId());
            ps.setLong(2, k.contactId());
            Sql.setLong(ps, 3, attemptId);
            ps.setString(4, k.phone());
            Sql.setInstant(ps, 5, now);
            ps.setBoolean(6, v.allowed());
            ps.setString(7, truncate(v.rule(), 32));
            ps.setString(8, truncate(v.reason(), 500));
            ps.setString(9, nodeId);
            ps.executeUpdate();
        }
    }

    /** The attempt with its call (if it was answered) and any callback the call asked for. */
    public Optional<Ended> ended(long attemptId) {
        return db.query(c -> {
            // attempt_no counts within the entry's round (an event may queue a number again: attempt_base)
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.campaign_id, a.contact_id, "
                    + "a.attempt_no - COALESCE((SELECT q.attempt_base FROM campaign_contacts q WHERE q.campaign_id "
                    + "= a.campaign_id AND q.contact_id = a.contact_id), 0) AS attempt_no, "
                    + "a.phone, a.kind, a.outcome, a.started_at, a.answered_at, "
                    + "(SELECT MAX(k.id) FROM calls k WHERE k.attempt_id = a.id) AS call_id FROM call_attempts a "
                    + "WHERE a.id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Ended>empty();
                    }
                    Long callId = Sql.getLongOrNull(rs, "call_id");
                    return Optional.of(new Ended(rs.getLong("id"), rs.getLong("campaign_id"),
                            rs.getLong("contact_id"), rs.getInt("attempt_no"), rs.getString("phone"),
                            rs.getString("kind"), rs.getString("outcome"), Sql.getInstant(rs, "started_at"),
                            Sql.getInstant(rs, "answered_at"), callId, callId == null ? null : callbackAt(c, callId)));
                }
            }
        });
    }

    private static Instant callbackAt(Connection c, long callId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT due_at FROM followup_tasks WHERE call_id = ? "
                + "AND kind = 'callback' ORDER BY id DESC")) {
            ps.setLong(1, callId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Sql.getInstant(rs, "due_at") : null;
            }
        }
    }

    /**
     * Ends the attempt (if the call layer has not already, with {@code outcome} and {@code detail}) and moves its
     * contact from "dialing" to {@code next}. False when the contact had already been settled: settling twice
     * (the call's end and reconciliation racing) changes nothing.
     */
    public boolean settle(long attemptId, String outcome, String detail, Next next) {
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            long campaignId;
            long contactId;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT campaign_id, contact_id FROM call_attempts WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    campaignId = rs.getLong(1);
                    contactId = rs.getLong(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE call_attempts SET state = 'done', ended_at = ?, "
                    + "outcome = ?, detail = ? WHERE id = ? AND state <> 'done'")) {
                Sql.setInstant(ps, 1, now);
                ps.setString(2, truncate(outcome, 32));
                ps.setString(3, truncate(detail, 500));
                ps.setLong(4, attemptId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_contacts SET state = ?, next_at = ?, "
                    + "next_kind = ?, last_outcome = ?, last_reason = ?, updated_at = ? "
                    + "WHERE campaign_id = ? AND contact_id = ? AND state = ? AND attempts = "
                    + "(SELECT attempt_no FROM call_attempts WHERE id = ?)")) {
                ps.setString(1, next.state().id());
                Sql.setInstant(ps, 2, Sql.millis(next.nextAt() == null ? now : next.nextAt()));
                ps.setString(3, next.kind() == null ? "retry" : next.kind());
                ps.setString(4, truncate(outcome, 32));
                ps.setString(5, truncate(next.reason(), 500));
                Sql.setInstant(ps, 6, now);
                ps.setLong(7, campaignId);
                ps.setLong(8, contactId);
                ps.setString(9, EntryState.DIALING.id());
                ps.setLong(10, attemptId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Attempts still "started" (ringing, talking, or left behind by a node that died), oldest first. */
    public List<Open> open(String nodeIdOrNull, Instant startedBefore) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.campaign_id, a.contact_id, a.phone, "
                    + "a.node_id, a.ami_action_id, a.started_at, a.answered_at, k.id AS call_id, k.ended_at, "
                    + "k.outcome FROM call_attempts a LEFT JOIN calls k ON k.attempt_id = a.id "
                    + "WHERE a.state = 'started' AND a.started_at < ?"
                    + (nodeIdOrNull == null ? "" : " AND a.node_id = ?") + " ORDER BY a.started_at, a.id")) {
                Sql.setInstant(ps, 1, startedBefore);
                if (nodeIdOrNull != null) {
                    ps.setString(2, nodeIdOrNull);
                }
                return Rows.list(ps, rs -> new Open(rs.getLong("id"), rs.getLong("campaign_id"),
                        rs.getLong("contact_id"),
                        rs.getString("phone"), rs.getString("node_id"), rs.getString("ami_action_id"),
                        Sql.getInstant(rs, "started_at"), Sql.getInstant(rs, "answered_at"),
                        Sql.getLongOrNull(rs, "call_id"), Sql.getInstant(rs, "ended_at"),
                        rs.getString("outcome")));
            }
        });
    }

    /** Attempts of the campaign that have not ended: what its concurrency limit counts. */
    public int inFlight(long campaignId) {
        return db.query(c -> dialing(c, campaignId));
    }

    private static int dialing(Connection c, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ? AND state = ?")) {
            ps.setLong(1, campaignId);
            ps.setString(2, EntryState.DIALING.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
