package io.voicebot.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Contact lists and their contacts. Blocking JDBC: call it from a worker thread. Bad input is an
 * {@link IllegalArgumentException} naming the field, a database failure a {@link StoreException}.
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

    public record Contact(long id, long listId, String phone, String name, Map<String, String> fields,
                          String timezone, String state, Instant createdAt) {}

    private static final String CONTACT_STATE_NEW = "new";
    /** Contact fields become dialog variables, so they must be variable names. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** Separators people type in phone numbers; removed before checking and storing. */
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-]");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,20}");
    private static final int TEXT_BYTES = 65_535;
    private static final int IN_CHUNK = 500;
    private final ObjectMapper json = new ObjectMapper();

    private final Database db;
    private final Clock clock;

    public ListStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
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

    /**
     * Imports the rows that are valid and not yet on the list, in one transaction, and reports every other row
     * with its number, field and reason. Phone numbers lose spaces, dashes, dots and parentheses and must then be
     * 6 to 20 digits with an optional leading +; a number already on the list, or earlier in {@code rows}, is
     * rejected. Imports into the same list are serialized.
     */
    public ContactImport addContacts(long listId, List<ContactRow> rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        List<Rejected> rejected = new ArrayList<>();
        List<Integer> goodRows = new ArrayList<>();
        List<String> goodPhones = new ArrayList<>();
        List<ContactRow> goodContacts = new ArrayList<>();
        List<String> goodJson = new ArrayList<>();
        Map<String, Integer> firstRowOfPhone = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            int rowNo = i + 1;
            ContactRow r = rows.get(i);
            int before = rejected.size();
            if (r == null) {
                rejected.add(new Rejected(rowNo, "row", "is empty"));
                continue;
            }
            String phone = normalizePhone(r.phone());
            if (r.phone() == null || r.phone().isBlank()) {
                rejected.add(new Rejected(rowNo, "phone", "is missing"));
            } else if (!PHONE.matcher(phone).matches()) {
                rejected.add(new Rejected(rowNo, "phone", "'" + r.phone()
                        + "' is not a phone number (6 to 20 digits, optional leading +)"));
            } else if (firstRowOfPhone.containsKey(phone)) {
                rejected.add(new Rejected(rowNo, "phone", phone + " is already in row " + firstRowOfPhone.get(phone)));
            }
            if (r.name() != null && r.name().strip().length() > 200) {
                rejected.add(new Rejected(rowNo, "name", "is longer than 200 characters"));
            }
            String tz = blankToNull(r.timezone());
            if (tz != null) {
                if (tz.length() > 64) {
                    rejected.add(new Rejected(rowNo, "timezone", "is longer than 64 characters"));
                } else {
                    try {
                        ZoneId.of(tz);
                    } catch (DateTimeException e) {
                        rejected.add(new Rejected(rowNo, "timezone", "'" + tz
                                + "' is not a time zone (e.g. Europe/Berlin, America/New_York, UTC)"));
                    }
                }
            }
            Map<String, String> fields = r.fields() == null ? Map.of() : r.fields();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                String key = f.getKey();
                if (key == null || !FIELD_NAME.matcher(key).matches()) {
                    rejected.add(new Rejected(rowNo, "fields", "'" + key
                            + "' is not a field name (letters, digits, _; not starting with a digit; at most 64)"));
                } else if (key.equals("name") || key.equals("phone")) {
                    rejected.add(new Rejected(rowNo, "fields." + key, "is reserved: set the contact's " + key
                            + " instead"));
                } else if (f.getValue() == null) {
                    rejected.add(new Rejected(rowNo, "fields." + key, "has no value"));
                }
            }
            String fieldsJson = null;
            if (rejected.size() == before && !fields.isEmpty()) {
                fieldsJson = toJson(fields);
                if (fieldsJson.getBytes(StandardCharsets.UTF_8).length > TEXT_BYTES) {
                    rejected.add(new Rejected(rowNo, "fields", "are larger than 64 KiB together"));
                }
            }
            if (rejected.size() == before) {
                firstRowOfPhone.put(phone, rowNo);
                goodRows.add(rowNo);
                goodPhones.add(phone);
                goodContacts.add(new ContactRow(phone, blankToNull(r.name()), fields, tz));
                goodJson.add(fieldsJson);
            }
        }
        Instant now = Sql.millis(clock.instant());
        List<Imported> imported = db.transaction(c -> {
            lockList(c, listId);
            Set<String> existing = existingPhones(c, listId, goodPhones);
            List<Integer> insertAt = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO contacts (list_id, phone, name, fields, "
                    + "timezone, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int k = 0; k < goodContacts.size(); k++) {
                    ContactRow r = goodContacts.get(k);
                    if (existing.contains(r.phone())) {
                        rejected.add(new Rejected(goodRows.get(k), "phone", r.phone() + " is already on the list"));
                        continue;
                    }
                    ps.setLong(1, listId);
                    ps.setString(2, r.phone());
                    ps.setString(3, r.name());
                    ps.setString(4, goodJson.get(k));
                    ps.setString(5, r.timezone());
                    ps.setString(6, CONTACT_STATE_NEW);
                    Sql.setInstant(ps, 7, now);
                    Sql.setInstant(ps, 8, now);
                    ps.addBatch();
                    insertAt.add(k);
                }
                List<Imported> out = new ArrayList<>();
                if (insertAt.isEmpty()) {
                    return out;
                }
                ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    for (int k : insertAt) {
                        if (!keys.next()) {
                            throw new SQLException("contact insert returned " + out.size() + " keys for "
                                    + insertAt.size() + " rows");
                        }
                        out.add(new Imported(goodRows.get(k), keys.getLong(1), goodPhones.get(k)));
                    }
                }
                return out;
            }
        });
        rejected.sort((a, b) -> Integer.compare(a.row(), b.row()));
        return new ContactImport(imported, rejected);
    }

    /** The list's contacts in the order they were added. */
    public List<Contact> contacts(long listId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, list_id, phone, name, fields, timezone, state, "
                    + "created_at FROM contacts WHERE list_id = ? ORDER BY id")) {
                ps.setLong(1, listId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Contact> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Contact(rs.getLong("id"), rs.getLong("list_id"), rs.getString("phone"),
                                rs.getString("name"), fromJson(rs.getString("fields"), rs.getLong("id")),
                                rs.getString("timezone"), rs.getString("state"), Sql.getInstant(rs, "created_at")));
                    }
                    return out;
                }
            }
        });
    }

    private static void lockList(Connection c, long listId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM contact_lists WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, listId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no contact list with id " + listId);
                }
            }
        }
    }

    private static Set<String> existingPhones(Connection c, long listId, List<String> phones) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int from = 0; from < phones.size(); from += IN_CHUNK) {
            List<String> chunk = phones.subList(from, Math.min(phones.size(), from + IN_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT phone FROM contacts WHERE list_id = ? AND phone IN (" + marks + ")")) {
                ps.setLong(1, listId);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    static String normalizePhone(String phone) {
        return phone == null ? "" : PHONE_SEPARATORS.matcher(phone.strip()).replaceAll("");
    }

    private String toJson(Map<String, String> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private Map<String, String> fromJson(String text, long contactId) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(
                    json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new StoreException("contact " + contactId + ": stored fields are not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String checkName(String what, String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 100) {
            throw new IllegalArgumentException(what + " must be 1 to 100 characters, got '" + name + "'");
        }
        return n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
