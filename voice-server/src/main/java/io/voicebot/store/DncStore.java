package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The do-not-call list: numbers (E.164, as {@code io.voicebot.phone.PhoneNumbers} writes them) that must not be
 * called, for good or until {@code expires_at}. The store does not check numbers; callers normalize them. Blocking
 * JDBC: call it from a worker thread.
 */
public final class DncStore {

    /**
     * One entry. {@code source} says who added it: api, dialog (the caller opted out during a call) or import;
     * {@code expiresAt} null means for good.
     */
    public record Entry(String phone, String reason, String source, Long sourceCallId, Instant createdAt,
                        Instant expiresAt) {}

    /** An entry blocks a call at {@code at} when it has no expiry or expires later; the dialer's query means this. */
    static final String BLOCKED_WHERE = "(expires_at IS NULL OR expires_at > ?)";
    private static final String COLUMNS = "phone, reason, source, source_call_id, created_at, expires_at";
    private static final int IN_CHUNK = 1000;
    public static final int MAX_PAGE = 1000;

    private final Database db;

    public DncStore(Database db) {
        this.db = db;
    }

    /**
     * Adds the number. An entry already there is kept, except that a later add with a later expiry (or none)
     * extends it, and an entry that had expired by {@code entry.createdAt()} is replaced. True when the number
     * was added or its block lengthened, false when the existing entry already covered it.
     */
    public boolean add(Entry entry) {
        check(entry);
        WriteJournal j = journal;
        return j == null ? addNow(entry) : j.write("dnc", entry, this::addNow, true);
    }

    private volatile WriteJournal journal;

    /**
     * Adds made through this instance go through {@code j} (kept while the database is unreachable; add() then
     * answers true). For the calls' opt-outs, not the API's adds, which report an outage.
     */
    public DncStore journaled(WriteJournal j) {
        j.register("dnc", Entry.class, this::addNow);
        this.journal = j;
        return this;
    }

    private boolean addNow(Entry entry) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.transaction(c -> addIn(c, entry));
            } catch (StoreException e) {
                // Two adds of a new number at once: the loser's insert hits the unique key; the entry is there now.
                if (attempt == 1 && e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static boolean addIn(Connection c, Entry e) throws SQLException {
        Optional<Entry> existing;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM do_not_call WHERE phone = ? "
                + "FOR UPDATE")) {
            ps.setString(1, e.phone());
            existing = one(ps);
        }
        if (existing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO do_not_call (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(ps, e);
                return ps.executeUpdate() == 1;
            }
        }
        Entry old = existing.get();
        if (old.expiresAt() != null && !old.expiresAt().isAfter(e.createdAt())) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE do_not_call SET phone = ?, reason = ?, source = ?, "
                    + "source_call_id = ?, created_at = ?, expires_at = ? WHERE phone = ?")) {
                bind(ps, e);
                ps.setString(7, e.phone());
                return ps.executeUpdate() == 1;
            }
        }
        boolean lengthens = old.expiresAt() != null
                && (e.expiresAt() == null || e.expiresAt().isAfter(old.expiresAt()));
        if (!lengthens) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE do_not_call SET expires_at = ? WHERE phone = ?")) {
            Sql.setInstant(ps, 1, e.expiresAt());
            ps.setString(2, e.phone());
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<Entry> find(String phone) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM do_not_call WHERE phone = ?")) {
                ps.setString(1, phone);
                return one(ps);
            }
        });
    }

    /** True when the number has an entry that has not expired at {@code at}. */
    public boolean isBlocked(String phone, Instant at) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT phone FROM do_not_call WHERE phone = ? AND "
                    + BLOCKED_WHERE)) {
                ps.setString(1, phone);
                Sql.setInstant(ps, 2, at);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Those of {@code phones} that are blocked at {@code at}: one query per thousand numbers. */
    public Set<String> blockedAmong(Collection<String> phones, Instant at) {
        List<String> all = new ArrayList<>(phones);
        Set<String> out = new HashSet<>();
        if (all.isEmpty()) {
            return out;
        }
        db.query(c -> {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                try (PreparedStatement ps = c.prepareStatement("SELECT phone FROM do_not_call WHERE phone IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") AND " + BLOCKED_WHERE)) {
                    int i = 1;
                    for (String p : chunk) {
                        ps.setString(i++, p);
                    }
                    Sql.setInstant(ps, i, at);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Removes the entry; false when the number was not on the list. */
    public boolean remove(String phone) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM do_not_call WHERE phone = ?")) {
                ps.setString(1, phone);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Entries by number, after {@code afterPhone} (null: from the start), at most {@code limit} (1 to 1000). */
    public List<Entry> list(String afterPhone, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", got " + limit);
        }
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM do_not_call WHERE phone > ? "
                    + "ORDER BY phone LIMIT ?")) {
                ps.setString(1, afterPhone == null ? "" : afterPhone);
                ps.setInt(2, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    private static void check(Entry e) {
        if (e.phone() == null || e.phone().isBlank() || e.phone().length() > 32) {
            throw new IllegalArgumentException("phone must be 1 to 32 characters, got '" + e.phone() + "'");
        }
        if (e.reason() != null && e.reason().length() > 200) {
            throw new IllegalArgumentException("reason must be at most 200 characters, got " + e.reason().length());
        }
        if (e.source() != null && e.source().length() > 32) {
            throw new IllegalArgumentException("source must be at most 32 characters, got '" + e.source() + "'");
        }
        if (e.createdAt() == null) {
            throw new IllegalArgumentException("createdAt is required");
        }
    }

    private static void bind(PreparedStatement ps, Entry e) throws SQLException {
        ps.setString(1, e.phone());
        ps.setString(2, e.reason());
        ps.setString(3, e.source());
        Sql.setLong(ps, 4, e.sourceCallId());
        Sql.setInstant(ps, 5, e.createdAt());
        Sql.setInstant(ps, 6, e.expiresAt());
    }

    private static Optional<Entry> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static Entry read(ResultSet rs) throws SQLException {
        return new Entry(rs.getString("phone"), rs.getString("reason"), rs.getString("source"),
                Sql.getLongOrNull(rs, "source_call_id"), Sql.getInstant(rs, "created_at"),
                Sql.getInstant(rs, "expires_at"));
    }
}
