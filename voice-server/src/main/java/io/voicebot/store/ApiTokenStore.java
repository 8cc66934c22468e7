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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** API bearer tokens. Only the SHA-256 of a token is stored; the token itself is shown once, when created. */
public final class ApiTokenStore {
    private static final String PREFIX = "vb_";

    /** A stored token (never its secret). */
    public record ApiToken(long id, String name, Role role, Instant createdAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
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
        Instant now = Sql.millis(clock.instant());
        long id = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_tokens (token_hash, name, role, created_at) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, hash(secret));
                ps.setString(2, name.strip());
                ps.setString(3, role.id());
                Sql.setInstant(ps, 4, now);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            }
        });
        return new Created(new ApiToken(id, name.strip(), role, now, null), secret);
    }

    /** No control characters and no line or paragraph separators. */
    public static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || c == 0x85);
    }

    /** The active (not revoked) token with this secret, if any. */
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        String h = hash(secret);
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, role, created_at, revoked_at FROM api_tokens WHERE token_hash = ?")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<ApiToken>empty();
                    }
                    ApiToken t = read(rs);
                    return t.revoked() ? Optional.<ApiToken>empty() : Optional.of(t);
                }
            }
        });
    }

    public List<ApiToken> list() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY id");
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
                Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "revoked_at"));
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
