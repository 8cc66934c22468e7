package io.voicebot.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API bearer tokens. Only the SHA-256 of a token is stored; the token itself is shown once, when created. A token
 * may expire ({@code expires_at}); its last use is written at most once per {@link #LAST_USED_GRANULARITY}, so a
 * busy client costs one UPDATE a minute, not one per request.
 */
public final class ApiTokenStore {
    private static final String PREFIX = "vb_";
    public static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final String COLUMNS = "id, name, role, created_at, revoked_at, expires_at, last_used_at";

    /** A stored token (never its secret); {@code expiresAt} null: never expires; {@code lastUsedAt} null: unused. */
    public record ApiToken(long id, String name, Role role, Instant createdAt, Instant revokedAt, Instant expiresAt,
                           Instant lastUsedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }

        public boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /** A new token and its secret, which exists nowhere else. */
    public record Created(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + ", secret=****]";
        }
    }

    private final Database db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiTokenStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Created create(String name, Role role) {
        return create(name, role, null);
    }

    /** A token that is refused from {@code expiresAt} on (null: never); it must lie in the future. */
    public Created create(String name, Role role, Instant expiresAt) {
        Instant now = Sql.millis(clock.instant());
        Instant expires = expiresAt == null ? null : Sql.millis(expiresAt);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expiry " + expires + " is not in the future (now " + now + ")");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("token name must be 1 to 100 characters");
        }
        if (!printable(name)) {
            // a name is logged with each request it makes: a line break in it would forge log lines
            throw new IllegalArgumentException("token name must not contain control characters (line breaks, tabs)");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_tokens (token_hash, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, hash(secret));
                ps.setString(2, name.strip());
                ps.setString(3, role.id());
                Sql.setInstant(ps, 4, now);
                Sql.setInstant(ps, 5, expires);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            }
        });
        return new Created(new ApiToken(id, name.strip(), role, now, null, expires, null), secret);
    }

    /** No control characters and no line or paragraph separators. */
    public static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || c == 0x85);
    }

    /** The active (neither revoked nor expired) token with this secret, if any. */
    public Optional<ApiToken> authenticate(String secret) {
        Instant now = clock.instant();
        return find(secret).filter(t -> !t.revoked() && !t.expired(now));
    }

    /** The token with this secret, revoked or expired too (so a refusal can say which), if any. */
    public Optional<ApiToken> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        String h = hash(secret);
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ?")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<ApiToken>empty();
                }
            }
        });
    }

    /**
     * Notes that {@code t} (as just read) was used now, unless its last use was written less than a minute ago;
     * true when a row was written. The condition in the UPDATE keeps concurrent requests to one write.
     */
    public boolean markUsed(ApiToken t) {
        Instant now = Sql.millis(clock.instant());
        Instant before = now.minus(LAST_USED_GRANULARITY);
        if (t.lastUsedAt() != null && t.lastUsedAt().isAfter(before)) {
            return false;
        }
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND "
                    + "(last_used_at IS NULL OR last_used_at <= ?)")) {
                Sql.setInstant(ps, 1, now);
                ps.setLong(2, t.id());
                Sql.setInstant(ps, 3, before);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public List<ApiToken> list() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM api_tokens ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                List<ApiToken> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    /** Revokes the token; false when there is no such active token. */
    public boolean revoke(long id) {
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Sql.setInstant(ps, 1, now);
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static ApiToken read(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"), Role.parse(rs.getString("role")),
                Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "revoked_at"), Sql.getInstant(rs, "expires_at"),
                Sql.getInstant(rs, "last_used_at"));
    }

    static String hash(String secret) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
