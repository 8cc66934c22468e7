package io.voicebot.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Campaigns: which dialog calls which lists, when, how hard, and what to do with machines; and their state machine
 * draft → running ⇄ paused → completed | stopped. Blocking JDBC: call it from a worker thread. Bad input is an
 * {@link IllegalArgumentException} naming every problem by field, a transition the state does not allow an
 * {@link IllegalStateException}, a database failure a {@link StoreException}.
 */
public final class CampaignStore {

    /** Outcomes that a retry policy may name; the others end the contact or are not retried. */
    public static final Set<String> RETRYABLE = Set.of("busy", "no_answer", "congestion", "failed", "rejected",
            "machine", "hung_up", "no_input", "interrupted");

    public enum State {
        DRAFT, RUNNING, PAUSED, COMPLETED, STOPPED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * What a campaign should be: it calls the contacts of {@code listIds} with dialog {@code dialogName}, only
     * between {@code windowStart} and {@code windowEnd} on {@code windowDays} in each contact's time zone, and only
     * between {@code startsAt} and {@code endsAt} (each optional). {@code retryDelays} maps an outcome (busy,
     * no_answer, machine, ...) to the wait before the next attempt; outcomes it does not name wait
     * {@code retryDelay}. {@code amdAction} is off, hangup or voicemail.
     */
    public record CampaignSpec(String name, String dialogName, List<Long> listIds, LocalTime windowStart,
                               LocalTime windowEnd, Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay,
                               int concurrency, Instant startsAt, Instant endsAt, String callerId, int priority,
                               double maxCallsPerSecond, int maxAttemptsPerDay, Map<String, Duration> retryDelays,
                               String amdAction, String voicemailText, int voicemailMaxSeconds,
                               boolean paceByAgents) {
        public CampaignSpec {
            listIds = listIds == null ? List.of() : List.copyOf(listIds);
            retryDelays = retryDelays == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(retryDelays));
        }

        /** A campaign of one list without dates, with the defaults for everything else. */
        public CampaignSpec(String name, String dialogName, long listId, LocalTime windowStart, LocalTime windowEnd,
                            Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency) {
            this(name, dialogName, listId, windowStart, windowEnd, windowDays, maxAttempts, retryDelay, concurrency,
                    null, null);
        }

        public CampaignSpec(String name, String dialogName, long listId, LocalTime windowStart, LocalTime windowEnd,
                            Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency,
                            Instant startsAt, Instant endsAt) {
            this(name, dialogName, List.of(listId), windowStart, windowEnd, windowDays, maxAttempts, retryDelay,
                    concurrency, startsAt, endsAt, null, 0, 1.0, 3, Map.of(), "hangup", null, 30, false);
        }
    }

    /** {@code dialogId} is 0 when the dialog is a shipped file (no row in dialogs). */
    public record Campaign(long id, String name, long dialogId, String dialogName, List<Long> listIds, State state,
                           Instant startsAt, Instant endsAt, LocalTime windowStart, LocalTime windowEnd,
                           Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency,
                           String callerId, int priority, double maxCallsPerSecond, int maxAttemptsPerDay,
                           Map<String, Duration> retryDelays, String amdAction, String voicemailText,
                           int voicemailMaxSeconds, boolean paceByAgents, Instant startedAt, Instant finishedAt,
                           Instant createdAt, Instant updatedAt) {
        /** The first list (campaigns made before several lists were allowed had exactly one). */
        public long listId() {
            return listIds.isEmpty() ? 0 : listIds.get(0);
        }

        /** The wait after an attempt that ended with {@code outcome}. */
        public Duration retryDelayFor(String outcome) {
            return retryDelays.getOrDefault(outcome, retryDelay);
        }
    }

    static final int MAX_ATTEMPTS_LIMIT = 20;
    static final int CONCURRENCY_LIMIT = 1000;
    static final Duration MIN_RETRY_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY_DELAY = Duration.ofDays(30);
    private static final String COLUMNS = "c.id, c.name, c.dialog_id, COALESCE(c.dialog_name, d.name) AS dialog_name, "
            + "c.list_id, c.state, c.starts_at, c.ends_at, c.window_start, c.window_end, c.window_days, "
            + "c.max_attempts, "
            + "c.retry_delay_s, c.concurrency, c.caller_id, c.priority, c.max_calls_per_second, "
            + "c.max_attempts_per_day, c.retry_policy, c.amd_action, c.voicemail_text, c.voicemail_max_s, "
            + "c.pace_by_agents, c.started_at, c.finished_at, c.created_at, c.updated_at";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Clock clock;

    public CampaignStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Every problem of the spec that can be seen without the database, by field; empty when there is none. */
    public static List<String> check(CampaignSpec spec) {
        return CampaignChecks.problems(spec, spec.name() == null ? "" : spec.name().strip());
    }

    /** Creates a campaign in state "draft"; every problem of the spec is reported in one message. */
    public long createCampaign(CampaignSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("campaign spec must not be null");
        }
        String name = spec.name() == null ? "" : spec.name().strip();
        List<String> problems = CampaignChecks.problems(spec, name);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(campaignProblems(name, problems));
        }
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            // null for a shipped dialog file: the server's dialog catalog, not this table, says what exists
            Long dialogId = idOf(c, "SELECT id FROM dialogs WHERE name = ?", spec.dialogName());
            for (long listId : spec.listIds()) {
                if (idOf(c, "SELECT id FROM contact_lists WHERE id = ?", listId) == null) {
                    problems.add("lists: no contact list with id " + listId);
                }
            }
            if (idOf(c, "SELECT id FROM campaigns WHERE name = ?", name) != null) {
                problems.add("name: a campaign named '" + name + "' already exists");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(campaignProblems(name, problems));
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaigns (name, dialog_id, dialog_name, "
                    + "list_id, state, starts_at, ends_at, window_start, window_end, window_days, max_attempts, "
                    + "retry_delay_s, "
                    + "concurrency, caller_id, priority, max_calls_per_second, max_attempts_per_day, retry_policy, "
                    + "amd_action, voicemail_text, voicemail_max_s, pace_by_agents, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                int i = 1;
                ps.setString(i++, name);
                Sql.setLong(ps, i++, dialogId);
                ps.setString(i++, spec.dialogName());
                ps.setLong(i++, spec.listIds().get(0));
                ps.setString(i++, State.DRAFT.id());
                Sql.setInstant(ps, i++, spec.startsAt());
                Sql.setInstant(ps, i++, spec.endsAt());
                // TIME as a literal, like Sql.setInstant, so the driver cannot shift it by a zone.
                ps.setString(i++, TIME.format(spec.windowStart()));
                ps.setString(i++, TIME.format(spec.windowEnd()));
                ps.setString(i++, formatDays(spec.windowDays()));
                ps.setInt(i++, spec.maxAttempts());
                ps.setInt(i++, (int) spec.retryDelay().toSeconds());
                ps.setInt(i++, spec.concurrency());
                String callerId = spec.callerId() == null || spec.callerId().isBlank() ? null : spec.callerId().strip();
                ps.setString(i++, callerId);
                ps.setInt(i++, spec.priority());
                ps.setDouble(i++, spec.maxCallsPerSecond());
                ps.setInt(i++, spec.maxAttemptsPerDay());
                ps.setString(i++, writePolicy(spec.retryDelays()));
                ps.setString(i++, spec.amdAction());
                ps.setString(i++, spec.voicemailText());
                ps.setInt(i++, spec.voicemailMaxSeconds());
                ps.setBoolean(i++, spec.paceByAgents());
                Sql.setInstant(ps, i++, now);
                Sql.setInstant(ps, i, now);
                ps.executeUpdate();
                id = Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException(campaignProblems(name,
                        List.of("name: a campaign named '" + name + "' already exists")), e);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO campaign_lists (campaign_id, list_id) VALUES (?, ?)")) {
                for (long listId : spec.listIds()) {
                    ps.setLong(1, id);
                    ps.setLong(2, listId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return id;
        });
    }

    public Optional<Campaign> findCampaign(long id) {
        return db.query(c -> find(c, id, false));
    }

    /** Every campaign, newest first. */
    public List<Campaign> campaigns() {
        return db.query(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM campaigns ORDER BY id DESC");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            List<Campaign> out = new ArrayList<>();
            for (long id : ids) {
                find(c, id, false).ifPresent(out::add);
            }
            return out;
        });
    }

    /** Ids of the campaigns in {@code state}, highest priority first. */
    public List<Long> idsIn(State state) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM campaigns WHERE state = ? ORDER BY priority DESC, id")) {
                ps.setString(1, state.id());
                return Rows.list(ps, rs -> rs.getLong(1));
            }
        });
    }

    /**
     * draft → running: every contact of the campaign's ready lists joins its dial queue (one entry per number), due
     * now; a list still importing adds its contacts when it is ready. Refused (IllegalStateException) when a list's
     * import failed. Returns the campaign as it is after the change.
     */
    public Campaign start(long id) {
        Instant now = Sql.millis(clock.instant());
        return transition(id, Set.of(State.DRAFT), State.RUNNING, (c, campaign) -> {
            String refused = CampaignLists.cannotStart(id, CampaignLists.of(c, id, true));
            if (refused != null) {
                throw new IllegalStateException(refused);
            }
            CampaignLists.populate(c, id, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET started_at = ? WHERE id = ?")) {
                Sql.setInstant(ps, 1, now);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
        });
    }

    /** running → paused: no new calls; calls in progress finish. */
    public Campaign pause(long id) {
        return transition(id, Set.of(State.RUNNING), State.PAUSED, null);
    }

    public Campaign resume(long id) {
        return transition(id, Set.of(State.PAUSED), State.RUNNING, null);
    }

    /** draft, running or paused → stopped: waiting contacts are cancelled; calls in progress finish. */
    public Campaign stop(long id) {
        Instant now = Sql.millis(clock.instant());
        return transition(id, Set.of(State.DRAFT, State.RUNNING, State.PAUSED), State.STOPPED, (c, campaign) -> {
            DialQueueStore.cancelPending(c, id, now, "campaign stopped");
            finished(c, id, now);
        });
    }

    /** running → completed, when nothing is left to dial (or the end date passed: then waiting contacts cancel). */
    public Campaign complete(long id, String why) {
        Instant now = Sql.millis(clock.instant());
        return transition(id, Set.of(State.RUNNING), State.COMPLETED, (c, campaign) -> {
            DialQueueStore.cancelPending(c, id, now, why);
            finished(c, id, now);
        });
    }

    private static void finished(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET finished_at = ? WHERE id = ?")) {
            Sql.setInstant(ps, 1, now);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private interface Change {
        void apply(Connection c, Campaign campaign) throws SQLException;
    }

    private Campaign transition(long id, Set<State> from, State to, Change change) {
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            Campaign campaign = find(c, id, true).orElseThrow(() ->
                    new IllegalArgumentException("no campaign with id " + id));
            if (!from.contains(campaign.state())) {
                throw new IllegalStateException("campaign " + id + " is " + campaign.state().id() + "; it can be "
                        + to.id().replace("running", "started/resumed") + " only when "
                        + String.join(" or ", from.stream().map(State::id).sorted().toList()));
            }
            if (change != null) {
                change.apply(c, campaign);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE campaigns SET state = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, to.id());
                Sql.setInstant(ps, 2, now);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            return find(c, id, false).orElseThrow();
        });
    }

    private static Optional<Campaign> find(Connection c, long id, boolean lock) throws SQLException {
        Campaign out;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM campaigns c "
                + "LEFT JOIN dialogs d ON d.id = c.dialog_id WHERE c.id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                out = read(rs, List.of());
            }
        }
        List<Long> lists = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT list_id FROM campaign_lists WHERE campaign_id = ? ORDER BY list_id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lists.add(rs.getLong(1));
                }
            }
        }
        if (lists.isEmpty() && out.listIds().isEmpty()) {
            return Optional.of(out);
        }
        return Optional.of(new Campaign(out.id(), out.name(), out.dialogId(), out.dialogName(),
                lists.isEmpty() ? out.listIds() : lists, out.state(), out.startsAt(), out.endsAt(), out.windowStart(),
                out.windowEnd(), out.windowDays(), out.maxAttempts(), out.retryDelay(), out.concurrency(),
                out.callerId(), out.priority(), out.maxCallsPerSecond(), out.maxAttemptsPerDay(), out.retryDelays(),
                out.amdAction(), out.voicemailText(), out.voicemailMaxSeconds(), out.paceByAgents(), out.startedAt(),
                out.finishedAt(), out.createdAt(), out.updatedAt()));
    }

    private static Campaign read(ResultSet rs, List<Long> lists) throws SQLException {
        Long legacyList = Sql.getLongOrNull(rs, "list_id");
        return new Campaign(rs.getLong("id"), rs.getString("name"), rs.getLong("dialog_id"),
                rs.getString("dialog_name"), legacyList == null ? lists : List.of(legacyList),
                State.parse(rs.getString("state")), Sql.getInstant(rs, "starts_at"), Sql.getInstant(rs, "ends_at"),
                rs.getObject("window_start", LocalTime.class), rs.getObject("window_end", LocalTime.class),
                parseDays(rs.getString("window_days")), rs.getInt("max_attempts"),
                Duration.ofSeconds(rs.getInt("retry_delay_s")), rs.getInt("concurrency"), rs.getString("caller_id"),
                rs.getInt("priority"), rs.getDouble("max_calls_per_second"), rs.getInt("max_attempts_per_day"),
                readPolicy(rs.getString("retry_policy")), rs.getString("amd_action"), rs.getString("voicemail_text"),
                rs.getInt("voicemail_max_s"), rs.getBoolean("pace_by_agents"), Sql.getInstant(rs, "started_at"),
                Sql.getInstant(rs, "finished_at"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at"));
    }

    private static String writePolicy(Map<String, Duration> delays) {
        Map<String, String> out = new LinkedHashMap<>();
        delays.forEach((k, v) -> out.put(k, v.toString()));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static Map<String, Duration> readPolicy(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> raw = JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
            Map<String, Duration> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(k, Duration.parse(v)));
            return Collections.unmodifiableMap(out);
        } catch (JsonProcessingException | DateTimeParseException e) {
            throw new StoreException("stored retry policy is not a JSON object of durations: " + text, e);
        }
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
