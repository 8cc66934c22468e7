package io.voicebot.campaign.lists;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;
import org.apache.commons.csv.CSVRecord;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The checks of one row: column count, number, time zone, name and the fields the dialog needs. */
final class RowChecker {
    /** IANA zone ids by lower case, so "america/new_york" is America/New_York. */
    private static final Map<String, String> ZONES = zones();
    private static final int MAX_NAME = 200;
    /** The contacts.fields column is TEXT. */
    private static final int MAX_FIELDS_BYTES = 65_535;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Columns columns;
    private final PhoneNumbers phones;
    private final String region;
    private final Set<String> required;
    private final String dialog;
    /** Zone lists come from PhoneNumbers as shared instances: join each once. */
    private final Map<List<String>, String> joined = new IdentityHashMap<>();

    RowChecker(Columns columns, PhoneNumbers phones, String region, ImportRequest request) {
        this.columns = columns;
        this.phones = phones;
        this.region = region;
        this.required = request.requiredFields();
        this.dialog = request.dialog();
    }

    /** The header of the phone column, as the file writes it: rejections of the number name it. */
    String phoneColumn() {
        return header(columns.phone);
    }

    /** The row as a contact, or null after adding each of its problems to {@code problems}. */
    NewContact check(CSVRecord r, long line, List<Rejection> problems) {
        int before = problems.size();
        if (r.size() < columns.size() || r.size() > columns.size() && !blankFrom(r, columns.size())) {
            problems.add(new Rejection(line, "row", "has " + r.size() + " columns, the header has "
                    + columns.size()));
            return null;
        }
        PhoneNumbers.Parsed parsed = phones.parse(r.get(columns.phone), region);
        if (parsed instanceof PhoneNumbers.Invalid bad) {
            problems.add(new Rejection(line, phoneColumn(), bad.reason()));
        }
        String zone = null;
        if (columns.timezone >= 0) {
            String tz = r.get(columns.timezone).strip();
            if (!tz.isEmpty()) {
                zone = ZONES.get(tz.toLowerCase(Locale.ROOT));
                if (zone == null) {
                    problems.add(new Rejection(line, header(columns.timezone), "'" + tz + "' is not a time zone "
                            + "(an IANA id such as America/New_York or Europe/Berlin)"));
                }
            }
        }
        String name = columns.name >= 0 ? r.get(columns.name).strip() : "";
        if (name.length() > MAX_NAME) {
            problems.add(new Rejection(line, header(columns.name), "is longer than " + MAX_NAME + " characters"));
        } else if (name.isEmpty() && required.contains("name")) {
            problems.add(new Rejection(line, header(columns.name), needed("name")));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<Integer, String> f : columns.fields.entrySet()) {
            String v = r.get(f.getKey()).strip();
            if (v.isEmpty() && required.contains(f.getValue())) {
                problems.add(new Rejection(line, header(f.getKey()), needed(f.getValue())));
            }
            fields.put(f.getValue(), v);
            bytes += v.length() + f.getValue().length();
        }
        if (bytes > MAX_FIELDS_BYTES / 4 && toJsonBytes(fields) > MAX_FIELDS_BYTES) {
            problems.add(new Rejection(line, "row", "its fields are longer than 64 KiB together"));
        }
        if (problems.size() > before) {
            return null;
        }
        PhoneNumbers.Valid number = (PhoneNumbers.Valid) parsed;
        if (zone == null && !number.timeZones().isEmpty()) {
            zone = joined.computeIfAbsent(number.timeZones(), z -> String.join(",", z));
        }
        return new NewContact(line, number.e164(), name.isEmpty() ? null : name, fields, zone, number.region());
    }

    private String needed(String field) {
        return "is empty; " + (dialog == null ? "the import" : "dialog '" + dialog + "'") + " needs the contact "
                + "field '" + field + "'";
    }

    private String header(int column) {
        return columns.headers.get(column).strip();
    }

    private static boolean blankFrom(CSVRecord r, int from) {
        for (int i = from; i < r.size(); i++) {
            if (!r.get(i).isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Size of the stored JSON, only computed for rows that could be too large. */
    private static int toJsonBytes(Map<String, String> fields) {
        try {
            return JSON.writeValueAsBytes(fields).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static Map<String, String> zones() {
        Map<String, String> out = new HashMap<>();
        for (String id : ZoneId.getAvailableZoneIds()) {
            out.put(id.toLowerCase(Locale.ROOT), id);
        }
        return Map.copyOf(out);
    }
}
