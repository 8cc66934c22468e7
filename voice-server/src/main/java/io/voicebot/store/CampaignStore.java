package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Campaigns: which dialog calls which list, when, and how hard. Blocking JDBC: call it from a worker thread. Bad
 * input is an {@link IllegalArgumentException} naming every problem, a database failure a {@link StoreException}.
 */
public final class CampaignStore {
    /**
     * What a campaign should be: it calls {@code listId} with dialog {@code dialogName}, only between
     * {@code windowStart} and {@code windowEnd} on {@code windowDays} in each contact's time zone, and only
     * between {@code startsAt} and {@code endsAt} (each optional).
     */
    public record CampaignSpec(String name, String dialogName, long listId, LocalTime windowStart, LocalTime windowEnd,
                               Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency,
                               Instant startsAt, Instant endsAt) {
        /** A campaign without a start or end date. */
        public CampaignSpec(String name, String dialogName, long listId, LocalTime windowStart, LocalTime windowEnd,
                            Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency) {
            this(name, dialogName, listId, windowStart, windowEnd, windowDays, maxAttempts, retryDelay, concurrency,
                    null, null);
        }
    }

    public record Campaign(long id, String name, long dialogId, String dialogName, long listId, String state,
                           Instant startsAt, Instant endsAt, LocalTime windowStart, LocalTime windowEnd,
                           Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency,
                           Instant createdAt, Instant updatedAt) {}

    static final int MAX_ATTEMPTS_LIMIT = 20;
    static final int CONCURRENCY_LIMIT = 1000;
    static final Duration MIN_RETRY_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY_DELAY = Duration.ofDays(30);
    private static final String CAMPAIGN_COLUMNS = "c.id, c.name, c.dialog_id, d.name AS dialog_name, c.list_id, "
            + "c.state, c.starts_at, c.ends_at, c.window_start, c.window_end, c.window_days, c.max_attempts, "
            + "c.retry_delay_s, c.concurrency, c.created_at, c.updated_at";
    private static final String CAMPAIGN_STATE_DRAFT = "draft";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Database db;
    private final Clock clock;

    public CampaignStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates a campaign in state "draft"; every problem of the spec is reported in one message. */
    public long createCampaign(CampaignSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("campaign spec must not be null");
        }
        List<String> problems = new ArrayList<>();
        String name = spec.name() == null ? "" : spec.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            problems.add("name: must be 1 to 100 characters");
        }
        if (spec.dialogName() == null || spec.dialogName().isBlank()) {
            problems.add("dialog: is missing");
        }
        if (spec.windowStart() == null) {
            problems.add("window_start: is missing");
        }
        if (spec.windowEnd() == null) {
            problems.add("window_end: is missing");
        }
        if (spec.windowStart() != null && spec.windowEnd() != null && !spec.windowEnd().isAfter(spec.windowStart())) {
            problems.add("window_end: " + spec.windowEnd() + " must be after window_start " + spec.windowStart());
        }
        if (spec.windowDays() == null || spec.windowDays().isEmpty()) {
            problems.add("window_days: must name at least one day");
        }
        if (spec.maxAttempts() < 1 || spec.maxAttempts() > MAX_ATTEMPTS_LIMIT) {
            problems.add("max_attempts: must be 1 to " + MAX_ATTEMPTS_LIMIT + ", got " + spec.maxAttempts());
        }
        if (spec.retryDelay() == null || spec.retryDelay().compareTo(MIN_RETRY_DELAY) < 0
                || spec.retryDelay().compareTo(MAX_RETRY_DELAY) > 0) {
            problems.add("retry_delay: must be 1 minute to 30 days, got " + spec.retryDelay());
        }
        if (spec.concurrency() < 1 || spec.concurrency() > CONCURRENCY_LIMIT) {
            problems.add("concurrency: must be 1 to " + CONCURRENCY_LIMIT + ", got " + spec.concurrency());
        }
        if (spec.startsAt() != null && spec.endsAt() != null && !spec.endsAt().isAfter(spec.startsAt())) {
            problems.add("ends_at: " + spec.endsAt() + " must be after starts_at " + spec.startsAt());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(campaignProblems(name, problems));
        }
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            Long dialogId = idOf(c, "SELECT id FROM dialogs WHERE name = ?", spec.dialogName());
            if (dialogId == null) {
                problems.add("dialog: no dialog named '" + spec.dialogName() + "'");
            }
            if (idOf(c, "SELECT id FROM contact_lists WHERE id = ?", spec.listId()) == null) {
                problems.add("list: no contact list with id " + spec.listId());
            }
            if (idOf(c, "SELECT id FROM campaigns WHERE name = ?", name) != null) {
                problems.add("name: a campaign named '" + name + "' already exists");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(campaignProblems(name, problems));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaigns (name, dialog_id, list_id, state, "
                    + "starts_at, ends_at, window_start, window_end, window_days, max_attempts, retry_delay_s, "
                    + "concurrency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setLong(2, dialogId);
                ps.setLong(3, spec.listId());
                ps.setString(4, CAMPAIGN_STATE_DRAFT);
                Sql.setInstant(ps, 5, spec.startsAt());
                Sql.setInstant(ps, 6, spec.endsAt());
                // TIME as a literal, like Sql.setInstant, so the driver cannot shift it by a zone.
                ps.setString(7, TIME.format(spec.windowStart()));
                ps.setString(8, TIME.format(spec.windowEnd()));
                ps.setString(9, formatDays(spec.windowDays()));
                ps.setInt(10, spec.maxAttempts());
                ps.setInt(11, (int) spec.retryDelay().toSeconds());
                ps.setInt(12, spec.concurrency());
                Sql.setInstant(ps, 13, now);
                Sql.setInstant(ps, 14, now);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException(campaignProblems(name,
                        List.of("name: a campaign named '" + name + "' already exists")), e);
            }
        });
    }

    public Optional<Campaign> findCampaign(long id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                    + " FROM campaigns c JOIN dialogs d ON d.id = c.dialog_id WHERE c.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Campaign>empty();
                    }
                    return Optional.of(new Campaign(rs.getLong("id"), rs.getString("name"), rs.getLong("dialog_id"),
                            rs.getString("dialog_name"), rs.getLong("list_id"), rs.getString("state"),
                            Sql.getInstant(rs, "starts_at"), Sql.getInstant(rs, "ends_at"),
                            rs.getObject("window_start", LocalTime.class), rs.getObject("window_end", LocalTime.class),
                            parseDays(rs.getString("window_days")), rs.getInt("max_attempts"),
                            Duration.ofSeconds(rs.getInt("retry_delay_s")), rs.getInt("concurrency"),
                            Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at")));
                }
            }
        });
    }

    private static String campaignProblems(String name, List<String> problems) {
        return "campaign '" + name + "': " + String.join("; ", problems);
    }

    private static Long idOf(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    static String formatDays(Set<DayOfWeek> days) {
        StringJoiner j = new StringJoiner(",");
        for (DayOfWeek d : EnumSet.copyOf(days)) {
            j.add(d.name().substring(0, 3));
        }
        return j.toString();
    }

    static Set<DayOfWeek> parseDays(String s) {
        EnumSet<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : s.split(",")) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().startsWith(part.strip())) {
                    out.add(d);
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

}
