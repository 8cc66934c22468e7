package io.voicebot.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.store.CampaignStore.State;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * How a campaign is kept in the campaigns and campaign_lists rows: window times as literals, days as "MON,TUE",
 * the retry policy as a JSON object of ISO durations. {@link CampaignStore} decides what is written and when.
 */
final class CampaignRows {
    private static final String COLUMNS = "c.id, c.name, c.dialog_id, COALESCE(c.dialog_name, d.name) AS dialog_name, "
            + "c.list_id, c.state, c.starts_at, c.ends_at, c.window_start, c.window_end, c.window_days, "
            + "c.max_attempts, "
            + "c.retry_delay_s, c.concurrency, c.caller_id, c.priority, c.max_calls_per_second, "
            + "c.max_attempts_per_day, c.retry_policy, c.amd_action, c.voicemail_text, c.voicemail_max_s, "
            + "c.pace_by_agents, c.started_at, c.finished_at, c.created_at, c.updated_at";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CampaignRows() {
    }

    /**
     * Writes the campaigns row of a draft; returns its id. A name taken meanwhile is a
     * {@link java.sql.SQLIntegrityConstraintViolationException}: the caller reports it.
     */
    static long insert(Connection c, CampaignSpec spec, String name, Long dialogId, Instant now)
            throws SQLException {
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
            return Sql.generatedKey(ps);
        }
    }

    static void insertLists(Connection c, long id, List<Long> listIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO campaign_lists (campaign_id, list_id) VALUES (?, ?)")) {
            for (long listId : listIds) {
                ps.setLong(1, id);
                ps.setLong(2, listId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The campaign with its lists; {@code lock}: its row locked until the transaction ends. */
    static Optional<Campaign> find(Connection c, long id, boolean lock) throws SQLException {
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
