package io.voicebot.campaign.lists;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the header says each column is: the phone number (required), the name, the time zone, or a contact field.
 * Header text becomes a field name in lower_snake_case ("Due Date" and "dueDate" are due_date); accents are
 * dropped, other letters are not guessed at.
 */
final class Columns {
    static final Set<String> PHONE = Set.of("phone", "phone_number", "phonenumber", "phone_no", "number", "mobile",
            "mobile_number", "mobile_phone", "cell", "cell_phone", "cellphone", "telephone", "telephone_number",
            "tel", "msisdn", "telefon", "telefonnummer", "telefono", "rufnummer", "handy");
    static final Set<String> NAME = Set.of("name", "full_name", "fullname", "contact_name", "customer_name");
    static final Set<String> TIMEZONE = Set.of("timezone", "time_zone", "tz");
    private static final Pattern ACCENTS = Pattern.compile("\\p{M}+");
    private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");
    private static final Pattern FIELD = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

    final List<String> headers;
    final int phone;
    final int name;       // -1: none
    final int timezone;   // -1: none
    /** Column index -> field name, in file order. */
    final Map<Integer, String> fields;

    private Columns(List<String> headers, int phone, int name, int timezone, Map<Integer, String> fields) {
        this.headers = List.copyOf(headers);
        this.phone = phone;
        this.name = name;
        this.timezone = timezone;
        this.fields = fields;
    }

    int size() {
        return headers.size();
    }

    List<String> fieldNames() {
        return List.copyOf(fields.values());
    }

    /**
     * Reads the header. {@code required}: contact fields every row must have (a dialog's; "name" means the name
     * column, "phone" is always required). Every problem of the header is reported at once.
     */
    static Columns of(List<String> header, Set<String> required, String file) throws ListImportException {
        List<String> problems = new ArrayList<>();
        int phone = -1;
        int name = -1;
        int timezone = -1;
        Map<Integer, String> fields = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String text = header.get(i).strip();
            String where = file + ": line 1: column " + (i + 1) + (text.isEmpty() ? "" : " '" + text + "'");
            if (text.isEmpty()) {
                problems.add(where + ": has no name; every column needs a header");
                continue;
            }
            String f = fieldName(text);
            String why = problem(text, f);
            if (why != null) {
                problems.add(where + ": " + why);
                continue;
            }
            Integer before = seen.putIfAbsent(f, i);
            if (before != null) {
                problems.add(where + ": is the same field '" + f + "' as column " + (before + 1) + " '"
                        + header.get(before).strip() + "'");
                continue;
            }
            if (PHONE.contains(f)) {
                if (phone >= 0) {
                    problems.add(where + ": column " + (phone + 1) + " '" + header.get(phone).strip()
                            + "' is already the phone number; rename one of them");
                } else {
                    phone = i;
                }
            } else if (NAME.contains(f) && name < 0) {
                name = i;
            } else if (TIMEZONE.contains(f) && timezone < 0) {
                timezone = i;
            } else {
                fields.put(i, f);
            }
        }
        if (phone < 0 && problems.isEmpty()) {
            problems.add(file + ": line 1: no phone number column (name one phone, phone_number, number, mobile or "
                    + "telephone); the header has: " + String.join(", ", header));
        }
        for (String r : new TreeSet<>(required)) {
            boolean present = switch (r) {
                case "phone" -> true;
                case "name" -> name >= 0;
                default -> fields.containsValue(r);
            };
            if (!present) {
                problems.add(file + ": line 1: no column for the contact field '" + r + "', which the dialog needs");
            }
        }
        if (!problems.isEmpty()) {
            throw new ListImportException(problems);
        }
        return new Columns(header, phone, name, timezone, fields);
    }

    /** "Due Date", "dueDate", "due-date" and "Due_Date" all become due_date; "Fälligkeit" becomes falligkeit. */
    static String fieldName(String header) {
        String s = ACCENTS.matcher(Normalizer.normalize(header.strip(), Normalizer.Form.NFD)).replaceAll("");
        s = CAMEL.matcher(s).replaceAll("_").toLowerCase(java.util.Locale.ROOT);
        s = SEPARATORS.matcher(s).replaceAll("_");
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '_') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '_') {
            to--;
        }
        return s.substring(from, to);
    }

    private static String problem(String header, String field) {
        String unaccented = ACCENTS.matcher(Normalizer.normalize(header, Normalizer.Form.NFD)).replaceAll("");
        for (int k = 0; k < unaccented.length(); k++) {
            char c = unaccented.charAt(k);
            if (Character.isLetterOrDigit(c) && c > 127) {
                return "cannot be a field name: '" + c + "' is not a letter a-z (write the header with a-z, 0-9 "
                        + "and _)";
            }
        }
        if (field.isEmpty()) {
            return "cannot be a field name: it has no letters or digits";
        }
        if (!FIELD.matcher(field).matches()) {
            return Character.isDigit(field.charAt(0)) ? "cannot be a field name: it starts with a digit"
                    : "cannot be a field name: '" + field + "' is longer than 64 characters";
        }
        return null;
    }
}
