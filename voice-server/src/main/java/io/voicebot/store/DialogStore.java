package io.voicebot.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dialog scripts and questionnaires as operators uploaded them. Blocking JDBC: call it from a worker thread. Bad
 * input is an {@link IllegalArgumentException} naming the field, a database failure a {@link StoreException}.
 */
public final class DialogStore {
    /** A dialog script as uploaded; {@code version} starts at 1 and grows with every changed upload. */
    public record StoredDialog(long id, String name, int version, String format, String body, Instant createdAt,
                               Instant updatedAt) {}

    /** An uploaded questionnaire: {@code source} is "csv" or "json", {@code dialogId} the dialog it compiled to. */
    public record StoredQuestionnaire(long id, String name, String source, String body, Long dialogId) {}

    /** Same rule as dialog names in DialogLoader: lower_snake_case. */
    private static final Pattern DIALOG_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
    private static final int MEDIUMTEXT_BYTES = 16_777_215;

    private final Database db;
    private final Clock clock;

    public DialogStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Stores the script under {@code name}: a new name gets version 1, a changed body or format the next version,
     * an identical upload changes nothing. Returns the dialog's id, which never changes. The body is not parsed
     * here; the dialog package checks it before it is saved.
     */
    public long saveDialog(String name, String format, String body) {
        if (name == null || !DIALOG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("dialog name must be lower_snake_case, 1 to 100 characters, got '"
                    + name + "'");
        }
        String fmt = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (!fmt.equals("yaml") && !fmt.equals("json")) {
            throw new IllegalArgumentException("dialog " + name + ": format must be yaml or json, got '" + format
                    + "'");
        }
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("dialog " + name + ": body is empty");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MEDIUMTEXT_BYTES) {
            throw new IllegalArgumentException("dialog " + name + ": body is larger than 16 MiB");
        }
        Instant now = Sql.millis(clock.instant());
        // Update an existing row under its record lock; insert a new one outside any transaction. Locking a name
        // that is not there yet would take an InnoDB gap lock, and two first uploads would deadlock on it.
        for (int attempt = 1; ; attempt++) {
            Long id = updateDialog(name, fmt, body, now);
            if (id != null) {
                return id;
            }
            try {
                return insertDialog(name, fmt, body, now);
            } catch (StoreException e) {
                // another writer inserted the name first; it is there to update now
                if (!(e.getCause() instanceof SQLIntegrityConstraintViolationException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The dialog's id after updating it if the script changed; null when there is no dialog of that name. */
    private Long updateDialog(String name, String fmt, String body, Instant now) {
        return db.transaction(c -> {
            try (PreparedStatement sel = c.prepareStatement(
                    "SELECT id, source_format, body FROM dialogs WHERE name = ? FOR UPDATE")) {
                sel.setString(1, name);
                try (ResultSet rs = sel.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long id = rs.getLong("id");
                    if (fmt.equals(rs.getString("source_format")) && body.equals(rs.getString("body"))) {
                        return id;
                    }
                    try (PreparedStatement up = c.prepareStatement("UPDATE dialogs SET version = version + 1, "
                            + "source_format = ?, body = ?, compiled = FALSE, updated_at = ? WHERE id = ?")) {
                        up.setString(1, fmt);
                        up.setString(2, body);
                        Sql.setInstant(up, 3, now);
                        up.setLong(4, id);
                        up.executeUpdate();
                    }
                    return id;
                }
            }
        });
    }

    private long insertDialog(String name, String fmt, String body, Instant now) {
        return db.query(c -> {
            // compiled stays FALSE: this store keeps the source, it never compiles it.
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO dialogs (name, version, source_format, body, "
                    + "compiled, created_at, updated_at) VALUES (?, 1, ?, ?, FALSE, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ins.setString(1, name);
                ins.setString(2, fmt);
                ins.setString(3, body);
                Sql.setInstant(ins, 4, now);
                Sql.setInstant(ins, 5, now);
                ins.executeUpdate();
                return Sql.generatedKey(ins);
            }
        });
    }

    public Optional<StoredDialog> findDialog(String name) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, version, source_format, body, created_at, "
                    + "updated_at FROM dialogs WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readDialog(rs)) : Optional.<StoredDialog>empty();
                }
            }
        });
    }

    /** Every dialog, by name. */
    public List<StoredDialog> dialogs() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, version, source_format, body, created_at, "
                    + "updated_at FROM dialogs ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<StoredDialog> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(readDialog(rs));
                }
                return out;
            }
        });
    }

    /**
     * Stores an uploaded questionnaire (source "csv" or "json", the text as uploaded) with the id of the dialog
     * it compiled to; a later upload under the same name replaces it. Returns the questionnaire's id.
     */
    public long saveQuestionnaire(String name, String source, String body, long dialogId) {
        if (name == null || !DIALOG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("questionnaire name must be lower_snake_case, 1 to 100 characters, got '"
                    + name + "'");
        }
        if (!"csv".equals(source) && !"json".equals(source)) {
            throw new IllegalArgumentException("questionnaire " + name + ": source must be csv or json, got '"
                    + source + "'");
        }
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("questionnaire " + name + ": body is empty");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MEDIUMTEXT_BYTES) {
            throw new IllegalArgumentException("questionnaire " + name + ": body is larger than 16 MiB");
        }
        Instant now = Sql.millis(clock.instant());
        for (int attempt = 1; ; attempt++) {
            Long id = db.query(c -> {
                try (PreparedStatement up = c.prepareStatement("UPDATE questionnaires SET source = ?, body = ?, "
                        + "dialog_id = ? WHERE name = ?")) {
                    up.setString(1, source);
                    up.setString(2, body);
                    up.setLong(3, dialogId);
                    up.setString(4, name);
                    if (up.executeUpdate() == 0) {
                        return null;
                    }
                }
                try (PreparedStatement sel = c.prepareStatement("SELECT id FROM questionnaires WHERE name = ?")) {
                    sel.setString(1, name);
                    try (ResultSet rs = sel.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            if (id != null) {
                return id;
            }
            try {
                return db.query(c -> {
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO questionnaires (name, source, body, "
                            + "dialog_id, created_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                        ins.setString(1, name);
                        ins.setString(2, source);
                        ins.setString(3, body);
                        ins.setLong(4, dialogId);
                        Sql.setInstant(ins, 5, now);
                        ins.executeUpdate();
                        return Sql.generatedKey(ins);
                    }
                });
            } catch (StoreException e) {
                // another upload of the same name inserted first; update that row instead
                if (!(e.getCause() instanceof SQLIntegrityConstraintViolationException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The stored questionnaire, as uploaded. */
    public Optional<StoredQuestionnaire> findQuestionnaire(String name) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, source, body, dialog_id FROM questionnaires WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new StoredQuestionnaire(rs.getLong("id"), rs.getString("name"),
                            rs.getString("source"), rs.getString("body"), Sql.getLongOrNull(rs, "dialog_id")))
                            : Optional.<StoredQuestionnaire>empty();
                }
            }
        });
    }

    private static StoredDialog readDialog(ResultSet rs) throws SQLException {
        return new StoredDialog(rs.getLong("id"), rs.getString("name"), rs.getInt("version"),
                rs.getString("source_format"), rs.getString("body"), Sql.getInstant(rs, "created_at"),
                Sql.getInstant(rs, "updated_at"));
    }
}
