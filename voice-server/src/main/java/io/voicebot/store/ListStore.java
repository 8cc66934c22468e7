package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Contact lists, their contacts and what their import rejected. Blocking JDBC: call it from a worker thread. Bad
 * input is an {@link IllegalArgumentException} naming the field, a database failure a {@link StoreException}.
 * <p>
 * A list is imported in batches: {@link #startImport}, {@link #addBatch} for every thousand rows or so (each in
 * its own transaction, with the list's counts), then {@link #finishImport}, or {@link #deleteList} when the file
 * turned out to be unreadable. {@link #addContacts} is the one-call form for a few rows given in code.
 */
public final class ListStore {

    /**
     * One contact to import. {@code fields} are the dialog's contact variables (amount, due_date...); their names
     * must be variable names and may not be "name" or "phone", which come from the columns of the same name.
     */
    public record ContactRow(String phone, String name, Map<String, String> fields, String timezone) {}

    /** What {@link #addContacts} did: rows are numbered from 1 in the order given. */
    public record ContactImport(List<Imported> imported, List<Rejected> rejected) {
        public ContactImport {
            imported = List.copyOf(imported);
            rejected = List.copyOf(rejected);
        }
    }

    /** A row that became a contact; {@code phone} is as stored (separators removed). */
    public record Imported(int row, long contactId, String phone) {}

    /** One problem of a row that was not imported; a row may have several. */
    public record Rejected(int row, String field, String reason) {
        public String message() {
            return "row " + row + ": " + field + ": " + reason;
        }
    }

    /**
     * A stored contact. {@code timezone}: one or more zone ids joined by ','; {@code country}: the number's region
     * (ISO 3166 alpha-2); {@code lineNo}: its line in the imported file. Each may be null.
     */
    public record Contact(long id, long listId, String phone, String name, Map<String, String> fields,
                          String timezone, String country, Long lineNo, String state, Instant createdAt) {}

    /** A list about to be imported: the default region of its numbers, the dialog it was checked for, its columns. */
    public record ListSpec(String name, String region, String dialogName, List<String> fieldNames,
                           String sourceCharset) {
        public ListSpec {
            fieldNames = List.copyOf(fieldNames);
        }
    }

    /**
     * A list with its import counts: {@code rows} = {@code imported} + {@code rejected}; {@code duplicates} and
     * {@code doNotCall} are the rejected rows whose number was already imported or is on the do-not-call list.
     * {@code state}: importing, ready, or failed (its import was interrupted; {@code error} says how).
     */
    public record ContactList(long id, String name, String region, String dialogName, List<String> fieldNames,
                              String state, long rows, long imported, long rejected, long duplicates,
                              long doNotCall, String sourceCharset, Instant createdAt, Instant updatedAt,
                              String error) {}

    /** A list in state importing: who runs its import ({@code owner}, may be null) and how far it got. */
    public record UnfinishedImport(long id, String name, String owner, long rows, long imported,
                                   Instant createdAt) {}

    /** A row that passed the importer's checks: number in E.164, {@code line} its first line in the file. */
    public record NewContact(long line, String phone, String name, Map<String, String> fields, String timezone,
                             String country) {}

    /** A problem of the row at {@code line} (header = line 1): the column and what is wrong, in words. */
    public record Rejection(long line, String column, String reason) {}

    public record StoredRejection(long id, long line, String column, String reason) {}

    /**
     * Consecutive rows of a file: {@code rows} of them, of which {@code contacts} are to be imported; the
     * rejections of the others, of which {@code duplicates} and {@code doNotCall} rows were for those reasons.
     */
    public record Batch(int rows, List<NewContact> contacts, List<Rejection> rejections, int duplicates,
                        int doNotCall) {}

    /** {@code alreadyOnList}: contacts of the batch whose number the list had; they became rejections. */
    public record BatchResult(int imported, int alreadyOnList) {}

    public static final String STATE_IMPORTING = "importing";
    public static final String STATE_READY = "ready";
    public static final String STATE_FAILED = "failed";
    static final String CONTACT_STATE_NEW = "new";
    private static final String LIST_COLUMNS = "id, name, region, dialog_name, field_names, state, rows_total, "
            + "rows_imported, rows_rejected, rows_duplicate, rows_do_not_call, source_charset, created_at, updated_at, import_error";
    private static final String CONTACT_COLUMNS = "id, list_id, phone, name, fields, timezone, country, line_no, "
            + "state, created_at";

    private final Database db;
    private final Clock clock;
    private final ContactBatches batches;

    public ListStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.batches = new ContactBatches(db, clock);
    }

    /** Creates an empty contact list; its name must be unused. */
    public long createList(String name) {
        String n = checkName("contact list name", name);
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO contact_lists (name, created_at) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, n);
                Sql.setInstant(ps, 2, now);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException("contact list '" + n + "' already exists", e);
            }
        });
    }

    /** Creates the list an import fills, in state importing; its name must be unused. */
    public long startImport(ListSpec spec) {
        return startImport(spec, null);
    }

    /** {@link #startImport(ListSpec)}, noting who runs the import ({@code owner}, at most 200 characters). */
    public long startImport(ListSpec spec, String owner) {
        String n = checkName("contact list name", spec.name());
        if (spec.dialogName() != null && spec.dialogName().length() > 100) {
            throw new IllegalArgumentException("dialog name must be at most 100 characters");
        }
        String names = ContactFields.toJson(spec.fieldNames());
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO contact_lists (name, created_at, region, "
                    + "dialog_name, field_names, state, source_charset, updated_at, import_owner) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, n);
                Sql.setInstant(ps, 2, now);
                ps.setString(3, spec.region());
                ps.setString(4, spec.dialogName());
                ps.setString(5, names);
                ps.setString(6, STATE_IMPORTING);
                ps.setString(7, spec.sourceCharset());
                Sql.setInstant(ps, 8, now);
                ps.setString(9, owner);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException("contact list '" + n + "' already exists", e);
            }
        });
    }

    /**
     * Stores one batch in one transaction: its contacts, its rejections (in line order) and the list's counts. A
     * contact whose number the list already has is not imported but rejected as a duplicate of that line.
     */
    public BatchResult addBatch(long listId, Batch batch) {
        return addBatch(listId, batch, () -> { });
    }

    /**
     * {@link #addBatch(long, Batch)}, calling {@code turn} once the batch's insert is bound (the driver has built
     * its text: CPU, no database work) and before the transaction touches the database; it may wait, or throw to
     * give up. With it, several threads can bind batches in parallel on their own connections and store them one at
     * a time in their order. It may run more than once (when the database retries the transaction).
     */
    public BatchResult addBatch(long listId, Batch batch, Runnable turn) {
        return batches.add(listId, batch, turn);
    }

    /**
     * How many threads an import stores its batches with ({@link #addBatch(long, Batch, Runnable)}): one. Two on
     * MariaDB (one binding the next insert while the server stores the last) measured slower on two cores
     * (BENCHMARKS.md, "Call-list import", 2026-12-02, import-speed2); the importer takes more for comparison.
     */
    public int importWriters() {
        return 1;
    }

    /** Marks the list ready: the dialer may use it; running campaigns waiting for it get its contacts. */
    public void finishImport(long listId) {
        Instant now = Sql.millis(clock.instant());
        db.transaction(c -> {
            List<Long> waiting = CampaignLists.lockUsers(c, listId);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE contact_lists SET state = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, STATE_READY);
                Sql.setInstant(ps, 2, now);
                ps.setLong(3, listId);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no contact list with id " + listId);
                }
            }
            CampaignLists.addContacts(c, listId, waiting, now);
            return null;
        });
    }

    /** Every list still importing, oldest first. */
    public List<UnfinishedImport> unfinishedImports() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, import_owner, rows_total, rows_imported, "
                    + "created_at FROM contact_lists WHERE state = ? ORDER BY id")) {
                ps.setString(1, STATE_IMPORTING);
                return Rows.list(ps, rs -> new UnfinishedImport(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), Sql.getInstant(rs, "created_at")));
            }
        });
    }

    /**
     * Ends an import that will never finish: the list becomes failed with {@code error}, keeping what was stored.
     * False when the list is no longer importing (it finished, or was deleted, meanwhile).
     */
    public boolean failImport(long listId, String error) {
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE contact_lists SET state = ?, import_error = ?, "
                    + "updated_at = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, STATE_FAILED);
                ps.setString(2, clip(error, 500));
                Sql.setInstant(ps, 3, now);
                ps.setLong(4, listId);
                ps.setString(5, STATE_IMPORTING);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Deletes the list with its contacts and rejections (a campaign using it prevents this); false if none. */
    public boolean deleteList(long listId) {
        return db.transaction(c -> {
            for (String t : new String[] {"list_rejections", "contacts"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t + " WHERE list_id = ?")) {
                    ps.setLong(1, listId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM contact_lists WHERE id = ?")) {
                ps.setLong(1, listId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<ContactList> findList(long listId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + LIST_COLUMNS
                    + " FROM contact_lists WHERE id = ?")) {
                ps.setLong(1, listId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readList(rs)) : Optional.<ContactList>empty();
                }
            }
        });
    }

    /** Every list, newest first. */
    public List<ContactList> lists() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + LIST_COLUMNS
                    + " FROM contact_lists ORDER BY id DESC");
                 ResultSet rs = ps.executeQuery()) {
                List<ContactList> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(readList(rs));
                }
                return out;
            }
        });
    }

    /**
     * Imports the rows that are valid and not yet on the list, in one transaction, and reports every other row
     * with its number, field and reason. Phone numbers lose spaces, dashes, dots and parentheses and must then be
     * 6 to 20 digits with an optional leading +; a number already on the list, or earlier in {@code rows}, is
     * rejected. Imports into the same list are serialized. For a few rows given in code (tests, simulations);
     * files go through the importer and {@link #addBatch}.
     */
    public ContactImport addContacts(long listId, List<ContactRow> rows) {
        return new ContactRowImport(db, clock).run(listId, rows);
    }

    /** The list's contacts in the order they were added. */
    public List<Contact> contacts(long listId) {
        return contacts(listId, 0, Integer.MAX_VALUE);
    }

    /** A page of the list's contacts: ids after {@code afterId}, in order, at most {@code limit}. */
    public List<Contact> contacts(long listId, long afterId, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CONTACT_COLUMNS + " FROM contacts "
                    + "WHERE list_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, listId);
                ps.setLong(2, afterId);
                ps.setInt(3, checkLimit(limit));
                try (ResultSet rs = ps.executeQuery()) {
                    List<Contact> out = new ArrayList<>();
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        out.add(new Contact(id, rs.getLong("list_id"), rs.getString("phone"), rs.getString("name"),
                                ContactFields.fields(rs.getString("fields"), "contact " + id),
                                rs.getString("timezone"), rs.getString("country"), Sql.getLongOrNull(rs, "line_no"),
                                rs.getString("state"), Sql.getInstant(rs, "created_at")));
                    }
                    return out;
                }
            }
        });
    }

    /** A page of what the list's import rejected, in line order: ids after {@code afterId}, at most {@code limit}. */
    public List<StoredRejection> rejections(long listId, long afterId, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, line_no, column_name, reason FROM "
                    + "list_rejections WHERE list_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, listId);
                ps.setLong(2, afterId);
                ps.setInt(3, checkLimit(limit));
                return Rows.list(ps, rs -> new StoredRejection(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getString(4)));
            }
        });
    }

    private static ContactList readList(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        return new ContactList(id, rs.getString("name"), rs.getString("region"), rs.getString("dialog_name"),
                ContactFields.names(rs.getString("field_names"), "contact list " + id), rs.getString("state"),
                rs.getLong("rows_total"), rs.getLong("rows_imported"), rs.getLong("rows_rejected"),
                rs.getLong("rows_duplicate"), rs.getLong("rows_do_not_call"), rs.getString("source_charset"),
                Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at"), rs.getString("import_error"));
    }

    private static int checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return limit;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String checkName(String what, String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 100) {
            throw new IllegalArgumentException(what + " must be 1 to 100 characters, got '" + name + "'");
        }
        return n;
    }
}
