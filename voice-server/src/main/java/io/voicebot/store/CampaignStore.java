package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            try {
                id = CampaignRows.insert(c, spec, name, dialogId, now);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException(campaignProblems(name,
                        List.of("name: a campaign named '" + name + "' already exists")), e);
            }
            CampaignRows.insertLists(c, id, spec.listIds());
            return id;
        });
    }

    public Optional<Campaign> findCampaign(long id) {
        return db.query(c -> CampaignRows.find(c, id, false));
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
                CampaignRows.find(c, id, false).ifPresent(out::add);
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
            Campaign campaign = CampaignRows.find(c, id, true).orElseThrow(() ->
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
            return CampaignRows.find(c, id, false).orElseThrow();
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
}
