package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console's dashboard shows about recent calls: calls started per minute, outcomes since midnight UTC and
 * the recognition latency of recent turns. Read-only queries over the calls' indexed start time (turns via their call).
 */
public final class DashboardQueries {

    /**
     * {@code perMinute}: calls started in each of the last {@code minutes} whole minutes, oldest first (the last
     * entry is the current, partial minute); {@code latency}: over the recognized turns of calls started in the last hour.
     */
    public record Summary(List<Integer> perMinute, Map<String, Integer> outcomesToday, int callsToday,
                          Latency latency) {}

    /** Milliseconds; all zero with {@code turns} 0 when no turn of the last hour was recognized. */
    public record Latency(int turns, long averageMs, long p95Ms, long maxMs) {}

    /** At most this many turns feed the percentile (the newest): enough for a dashboard, bounded in memory. */
    private static final int LATENCY_SAMPLE = 5000;

    private final Database db;

    public DashboardQueries(Database db) {
        this.db = db;
    }

    public Summary summary(Instant now, int minutes) {
        Instant minuteStart = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = minuteStart.minus(Duration.ofMinutes(minutes - 1L));
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
        return db.query(c -> {
            int[] buckets = new int[minutes];
            try (PreparedStatement ps = c.prepareStatement("SELECT started_at FROM calls WHERE started_at >= ?")) {
                Sql.setInstant(ps, 1, from);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant t = Sql.getInstant(rs, "started_at");
                        int i = (int) Duration.between(from, t).toMinutes();
                        if (i >= 0 && i < minutes) {
                            buckets[i]++;
                        }
                    }
                }
            }
            Map<String, Integer> outcomes = new LinkedHashMap<>();
            int today = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(outcome, 'in_progress') AS o, COUNT(*) "
                    + "AS n FROM calls WHERE started_at >= ? GROUP BY COALESCE(outcome, 'in_progress') ORDER BY n DESC")) {
                Sql.setInstant(ps, 1, midnight);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        outcomes.put(rs.getString("o"), rs.getInt("n"));
                        today += rs.getInt("n");
                    }
                }
            }
            List<Long> lat = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.latency_ms FROM calls c JOIN turns t "
                    + "ON t.call_id = c.id WHERE c.started_at >= ? AND t.latency_ms IS NOT NULL ORDER BY c.started_at DESC")) {
                ps.setMaxRows(LATENCY_SAMPLE);
                Sql.setInstant(ps, 1, now.minus(Duration.ofHours(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lat.add(rs.getLong(1));
                    }
                }
            }
            List<Integer> per = new ArrayList<>();
            for (int b : buckets) {
                per.add(b);
            }
            return new Summary(per, outcomes, today, latency(lat));
        });
    }

    private static Latency latency(List<Long> ms) {
        if (ms.isEmpty()) {
            return new Latency(0, 0, 0, 0);
        }
        List<Long> sorted = ms.stream().sorted().toList();
        long sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        int p95 = (int) Math.ceil(sorted.size() * 0.95) - 1;
        return new Latency(sorted.size(), Math.round((double) sum / sorted.size()), sorted.get(Math.max(0, p95)),
                sorted.get(sorted.size() - 1));
    }
}
