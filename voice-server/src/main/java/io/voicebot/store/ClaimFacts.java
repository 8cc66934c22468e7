package io.voicebot.store;

import io.voicebot.store.DialQueueStore.Candidate;
import io.voicebot.store.DialQueueStore.DncHit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gate needs about a batch of due entries, read with one query per fact for the whole batch (not per
 * contact): do-not-call entries in force, calls still in flight to the numbers, the calls that count toward the
 * caps, and the campaign's attempts of the last 24 hours.
 */
final class ClaimFacts {
    private ClaimFacts() {}

    static List<Candidate> complete(Connection c, long campaignId, List<Candidate> due, Instant now,
                                    boolean answeredOnly) throws SQLException {
        if (due.isEmpty()) {
            return due;
        }
        List<String> phones = new ArrayList<>();
        List<Long> contacts = new ArrayList<>();
        for (Candidate k : due) {
            phones.add(k.phone());
            contacts.add(k.contactId());
        }
        String marks = String.join(", ", Collections.nCopies(due.size(), "?"));
        Map<String, DncHit> dnc = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT phone, reason, expires_at FROM do_not_call "
                + "WHERE phone IN (" + marks + ") AND (expires_at IS NULL OR expires_at > ?)")) {
            int i = bindAll(ps, 1, phones);
            Sql.setInstant(ps, i, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dnc.put(rs.getString(1), new DncHit(rs.getString(2), Sql.getInstant(rs, "expires_at")));
                }
            }
        }
        Set<String> inFlight = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT phone FROM call_attempts "
                + "WHERE phone IN (" + marks + ") AND state = 'started'")) {
            bindAll(ps, 1, phones);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inFlight.add(rs.getString(1));
                }
            }
        }
        Map<String, List<Instant>> calls = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT phone, started_at FROM call_attempts "
                + "WHERE phone IN (" + marks + ") AND started_at > ?"
                + (answeredOnly ? " AND answered_at IS NOT NULL AND (outcome IS NULL OR outcome <> 'machine')" : "")
                + " ORDER BY started_at DESC")) {
            int i = bindAll(ps, 1, phones);
            Sql.setInstant(ps, i, now.minus(DialQueueStore.CAP_LOOKBACK));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    calls.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(Sql.getInstant(rs, "started_at"));
                }
            }
        }
        Map<Long, List<Instant>> attempts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT contact_id, started_at FROM call_attempts "
                + "WHERE campaign_id = ? AND contact_id IN (" + marks + ") AND started_at > ? "
                + "ORDER BY started_at DESC")) {
            ps.setLong(1, campaignId);
            int i = 2;
            for (long id : contacts) {
                ps.setLong(i++, id);
            }
            Sql.setInstant(ps, i, now.minus(Duration.ofHours(24)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(Sql.getInstant(rs, "started_at"));
                }
            }
        }
        List<Candidate> out = new ArrayList<>(due.size());
        for (Candidate k : due) {
            out.add(new Candidate(k.campaignId(), k.contactId(), k.phone(), k.country(), k.timezones(), k.attempts(),
                    k.nextKind(), dnc.get(k.phone()), inFlight.contains(k.phone()),
                    calls.getOrDefault(k.phone(), List.of()), attempts.getOrDefault(k.contactId(), List.of())));
        }
        return out;
    }

    private static int bindAll(PreparedStatement ps, int from, List<String> values) throws SQLException {
        int i = from;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }
}
