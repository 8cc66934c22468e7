package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log: who changed what and when. API changes name the token (id and name); command-line changes that
 * go around the API have actor "cli" and no token. Never holds a request body or a secret.
 */
public final class AuditStore {
    /** The actor of changes made with the command line on the server host. */
    public static final String CLI = "cli";

    /** One change. {@code tokenId} is null for the CLI (or a token deleted since). */
    public record Entry(long id, Long tokenId, String actor, String action, String target, String detail,
                        Instant createdAt) {}

    /** Filters of {@link #page}; null means any. {@code beforeId}: the paging cursor (entries with a smaller id). */
    public record Query(Instant since, String action, Long beforeId, int limit) {}

    private final Database db;
    private final Clock clock;

    public AuditStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Writes one entry; {@code action} is cut to 200 and {@code target} to 200 characters. */
    public void record(Long tokenId, String actor, String action, String target, String detail) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (token_id, actor, action, target, "
                    + "detail, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                Sql.setLong(ps, 1, tokenId);
                ps.setString(2, cut(actor, 100));
                ps.setString(3, cut(action, 200));
                ps.setString(4, cut(target, 200));
                ps.setString(5, detail);
                Sql.setInstant(ps, 6, clock.instant());
                return ps.executeUpdate();
            }
        });
    }

    /** Newest first (by id); at most {@code limit} entries. */
    public List<Entry> page(Query q) {
        StringBuilder sql = new StringBuilder("SELECT id, token_id, actor, action, target, detail, created_at "
                + "FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(q.since());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(q.limit());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args);
                return Rows.list(ps, rs -> new Entry(rs.getLong("id"), Sql.getLongOrNull(rs, "token_id"),
                        rs.getString("actor"),
                        rs.getString("action"), rs.getString("target"), rs.getString("detail"),
                        Sql.getInstant(rs, "created_at")));
            }
        });
    }

    static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Instant t) {
                Sql.setInstant(ps, i + 1, t);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
