package io.voicebot.store;

import io.voicebot.store.ListStore.ContactImport;
import io.voicebot.store.ListStore.ContactRow;
import io.voicebot.store.ListStore.Imported;
import io.voicebot.store.ListStore.Rejected;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@link ListStore#addContacts}: a few rows given in code, checked with simple rules and imported at once. */
final class ContactRowImport {
    /** Contact fields become dialog variables, so they must be variable names. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** Separators people type in phone numbers; removed before checking and storing. */
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-]");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,20}");
    private static final int TEXT_BYTES = 65_535;
    private static final int IN_CHUNK = 500;

    private final Database db;
    private final Clock clock;

    ContactRowImport(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    ContactImport run(long listId, List<ContactRow> rows) {
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
                fieldsJson = ContactFields.toJson(fields);
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
                    ps.setString(6, ListStore.CONTACT_STATE_NEW);
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

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
