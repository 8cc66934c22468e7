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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Dialog scripts, contact lists, campaigns and their call attempts: what the dialer reads and the call layer
 * updates. Blocking JDBC: call it from a worker thread. Bad input is an {@link IllegalArgumentException} naming
 * the field, a conflict with stored state an {@link IllegalStateException}, a database failure a
 * {@link StoreException}. Times are UTC, kept to milliseconds.
 */
public final class OutboundStore {

    /** A dialog script as uploaded; {@code version} starts at 1 and grows with every changed upload. */
    public record StoredDialog(long id, String name, int version, String format, String body, Instant createdAt,
                               Instant updatedAt) {}

    /** An uploaded questionnaire: {@code source} is "csv" or "json", {@code dialogId} the dialog it compiled to. */
    public record StoredQuestionnaire(long id, String name, String source, String body, Long dialogId) {}

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

    /**
     * What a campaign should be: it calls {@code listId} with dialog {@code dialogName}, only between
     * {@code windowStart} and {@code windowEnd} on {@code windowDays} in each contact's time zone, and only
     * between {@code startsAt} and {@code endsAt} (each optional).
     */
    public record CampaignSpec(String name, String dialogName, long listId, LocalTime windowStart, LocalTime windowEnd,
                               Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency,
                               Instant startsAt, Instant endsAt) {
        /** A campaign without a start or end date. */
        public CampaignSpec(String name, String dialogName, long listId, LocalTime windowStart, LocalTime windowEnd,
                            Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency) {
            this(name, dialogName, listId, windowStart, windowEnd, windowDays, maxAttempts, retryDelay, concurrency,
                    null, null);
        }
    }

    public record Campaign(long id, String name, long dialogId, String dialogName, long listId, String state,
                           Instant startsAt, Instant endsAt, LocalTime windowStart, LocalTime windowEnd,
                           Set<DayOfWeek> windowDays, int maxAttempts, Duration retryDelay, int concurrency,
                           Instant createdAt, Instant updatedAt) {}

    public enum AttemptState {
        SCHEDULED, STARTED, DONE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static AttemptState parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public record Attempt(long id, long campaignId, long contactId, int attemptNo, AttemptState state,
                          Instant scheduledAt, Instant startedAt, Instant endedAt, String outcome, String amiActionId,
                          String channel) {}

    /**
     * Everything the call layer needs to place and run one attempt. {@code fields} holds "name" (empty when the
     * contact has none), "phone" and every contact field; it is unmodifiable.
     */
    public record AttemptContext(long attemptId, long campaignId, long contactId, String dialogName, String phone,
                                 String contactName, Map<String, String> fields, String timezone) {}

    static final int MAX_ATTEMPTS_LIMIT = 20;
    static final int CONCURRENCY_LIMIT = 1000;
    static final Duration MIN_RETRY_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY_DELAY = Duration.ofDays(30);

    /** The dialer's query; package-visible so a test can check that it runs on ix_call_attempts_due. */
    static final String DUE_SQL = "SELECT " + "id, campaign_id, contact_id, attempt_no, state, scheduled_at, "
            + "started_at, ended_at, outcome, ami_action_id, channel FROM call_attempts "
            + "WHERE state = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id LIMIT ?";

    private static final String ATTEMPT_COLUMNS = "id, campaign_id, contact_id, attempt_no, state, scheduled_at, "
            + "started_at, ended_at, outcome, ami_action_id, channel";
    private static final String CAMPAIGN_COLUMNS = "c.id, c.name, c.dialog_id, d.name AS dialog_name, c.list_id, "
            + "c.state, c.starts_at, c.ends_at, c.window_start, c.window_end, c.window_days, c.max_attempts, "
            + "c.retry_delay_s, c.concurrency, c.created_at, c.updated_at";
    private static final String CONTACT_STATE_NEW = "new";
    private static final String CAMPAIGN_STATE_DRAFT = "draft";
    /** Same rule as dialog names in DialogLoader: lower_snake_case. */
    private static final Pattern DIALOG_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
    /** Contact fields become dialog variables, so they must be variable names. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** Separators people type in phone numbers; removed before checking and storing. */
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-]");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,20}");
    private static final int TEXT_BYTES = 65_535;
    private static final int MEDIUMTEXT_BYTES = 16_777_215;
    private static final int IN_CHUNK = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Database db;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public OutboundStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- dialogs ----

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
            throw new IllegalArgumentException("dialog " + name + ": format must be yaml or json, got '" + format + "'");
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

    // ---- contact lists ----

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

    // ---- campaigns ----

    /** Creates a campaign in state "draft"; every problem of the spec is reported in one message. */
    public long createCampaign(CampaignSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("campaign spec must not be null");
        }
        List<String> problems = new ArrayList<>();
        String name = spec.name() == null ? "" : spec.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            problems.add("name: must be 1 to 100 characters");
        }
        if (spec.dialogName() == null || spec.dialogName().isBlank()) {
            problems.add("dialog: is missing");
        }
        if (spec.windowStart() == null) {
            problems.add("window_start: is missing");
        }
        if (spec.windowEnd() == null) {
            problems.add("window_end: is missing");
        }
        if (spec.windowStart() != null && spec.windowEnd() != null && !spec.windowEnd().isAfter(spec.windowStart())) {
            problems.add("window_end: " + spec.windowEnd() + " must be after window_start " + spec.windowStart());
        }
        if (spec.windowDays() == null || spec.windowDays().isEmpty()) {
            problems.add("window_days: must name at least one day");
        }
        if (spec.maxAttempts() < 1 || spec.maxAttempts() > MAX_ATTEMPTS_LIMIT) {
            problems.add("max_attempts: must be 1 to " + MAX_ATTEMPTS_LIMIT + ", got " + spec.maxAttempts());
        }
        if (spec.retryDelay() == null || spec.retryDelay().compareTo(MIN_RETRY_DELAY) < 0
                || spec.retryDelay().compareTo(MAX_RETRY_DELAY) > 0) {
            problems.add("retry_delay: must be 1 minute to 30 days, got " + spec.retryDelay());
        }
        if (spec.concurrency() < 1 || spec.concurrency() > CONCURRENCY_LIMIT) {
            problems.add("concurrency: must be 1 to " + CONCURRENCY_LIMIT + ", got " + spec.concurrency());
        }
        if (spec.startsAt() != null && spec.endsAt() != null && !spec.endsAt().isAfter(spec.startsAt())) {
            problems.add("ends_at: " + spec.endsAt() + " must be after starts_at " + spec.startsAt());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(campaignProblems(name, problems));
        }
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            Long dialogId = idOf(c, "SELECT id FROM dialogs WHERE name = ?", spec.dialogName());
            if (dialogId == null) {
                problems.add("dialog: no dialog named '" + spec.dialogName() + "'");
            }
            if (idOf(c, "SELECT id FROM contact_lists WHERE id = ?", spec.listId()) == null) {
                problems.add("list: no contact list with id " + spec.listId());
            }
            if (idOf(c, "SELECT id FROM campaigns WHERE name = ?", name) != null) {
                problems.add("name: a campaign named '" + name + "' already exists");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(campaignProblems(name, problems));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaigns (name, dialog_id, list_id, state, "
                    + "starts_at, ends_at, window_start, window_end, window_days, max_attempts, retry_delay_s, "
                    + "concurrency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setLong(2, dialogId);
                ps.setLong(3, spec.listId());
                ps.setString(4, CAMPAIGN_STATE_DRAFT);
                Sql.setInstant(ps, 5, spec.startsAt());
                Sql.setInstant(ps, 6, spec.endsAt());
                // TIME as a literal, like Sql.setInstant, so the driver cannot shift it by a zone.
                ps.setString(7, TIME.format(spec.windowStart()));
                ps.setString(8, TIME.format(spec.windowEnd()));
                ps.setString(9, formatDays(spec.windowDays()));
                ps.setInt(10, spec.maxAttempts());
                ps.setInt(11, (int) spec.retryDelay().toSeconds());
                ps.setInt(12, spec.concurrency());
                Sql.setInstant(ps, 13, now);
                Sql.setInstant(ps, 14, now);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new IllegalArgumentException(campaignProblems(name,
                        List.of("name: a campaign named '" + name + "' already exists")), e);
            }
        });
    }

    public Optional<Campaign> findCampaign(long id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                    + " FROM campaigns c JOIN dialogs d ON d.id = c.dialog_id WHERE c.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Campaign>empty();
                    }
                    return Optional.of(new Campaign(rs.getLong("id"), rs.getString("name"), rs.getLong("dialog_id"),
                            rs.getString("dialog_name"), rs.getLong("list_id"), rs.getString("state"),
                            Sql.getInstant(rs, "starts_at"), Sql.getInstant(rs, "ends_at"),
                            rs.getObject("window_start", LocalTime.class), rs.getObject("window_end", LocalTime.class),
                            parseDays(rs.getString("window_days")), rs.getInt("max_attempts"),
                            Duration.ofSeconds(rs.getInt("retry_delay_s")), rs.getInt("concurrency"),
                            Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at")));
                }
            }
        });
    }

    private static String campaignProblems(String name, List<String> problems) {
        return "campaign '" + name + "': " + String.join("; ", problems);
    }

    private static Long idOf(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    static String formatDays(Set<DayOfWeek> days) {
        StringJoiner j = new StringJoiner(",");
        for (DayOfWeek d : EnumSet.copyOf(days)) {
            j.add(d.name().substring(0, 3));
        }
        return j.toString();
    }

    static Set<DayOfWeek> parseDays(String s) {
        EnumSet<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : s.split(",")) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().startsWith(part.strip())) {
                    out.add(d);
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    // ---- call attempts ----

    /**
     * Schedules the contact's next attempt of the campaign (attempt_no = previous highest + 1, state "scheduled").
     * The contact must be on the campaign's list, have no attempt of this campaign still scheduled or started,
     * and have attempts left under the campaign's max_attempts.
     */
    public long scheduleAttempt(long campaignId, long contactId, Instant at) {
        if (at == null) {
            throw new IllegalArgumentException("attempt time must not be null");
        }
        return db.transaction(c -> {
            long listId;
            int maxAttempts;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT list_id, max_attempts FROM campaigns WHERE id = ?")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no campaign with id " + campaignId);
                    }
                    listId = rs.getLong(1);
                    maxAttempts = rs.getInt(2);
                }
            }
            // Locking the contact serializes numbering of its attempts.
            try (PreparedStatement ps = c.prepareStatement("SELECT list_id FROM contacts WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, contactId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no contact with id " + contactId);
                    }
                    if (rs.getLong(1) != listId) {
                        throw new IllegalArgumentException("contact " + contactId + " is not on list " + listId
                                + " of campaign " + campaignId);
                    }
                }
            }
            int last = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT attempt_no, state FROM call_attempts "
                    + "WHERE campaign_id = ? AND contact_id = ? ORDER BY attempt_no")) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getInt(1);
                        String state = rs.getString(2);
                        if (!state.equals(AttemptState.DONE.id())) {
                            throw new IllegalStateException("contact " + contactId + " already has attempt " + last
                                    + " of campaign " + campaignId + " " + state);
                        }
                    }
                }
            }
            if (last >= maxAttempts) {
                throw new IllegalStateException("contact " + contactId + " has had all " + maxAttempts
                        + " attempts of campaign " + campaignId);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_attempts (campaign_id, contact_id, "
                    + "attempt_no, state, scheduled_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, campaignId);
                ps.setLong(2, contactId);
                ps.setInt(3, last + 1);
                ps.setString(4, AttemptState.SCHEDULED.id());
                Sql.setInstant(ps, 5, at);
                ps.executeUpdate();
                return Sql.generatedKey(ps);
            }
        });
    }

    public Optional<Attempt> attempt(long attemptId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + ATTEMPT_COLUMNS + " FROM call_attempts WHERE id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readAttempt(rs)) : Optional.<Attempt>empty();
                }
            }
        });
    }

    /** The attempt with its contact, campaign and dialog name, for the call layer. */
    public Optional<AttemptContext> findAttempt(long attemptId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.campaign_id, a.contact_id, "
                    + "d.name AS dialog_name, k.phone, k.name AS contact_name, k.fields, k.timezone "
                    + "FROM call_attempts a JOIN contacts k ON k.id = a.contact_id "
                    + "JOIN campaigns c ON c.id = a.campaign_id JOIN dialogs d ON d.id = c.dialog_id "
                    + "WHERE a.id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<AttemptContext>empty();
                    }
                    long contactId = rs.getLong("contact_id");
                    String phone = rs.getString("phone");
                    String name = rs.getString("contact_name");
                    Map<String, String> vars = new LinkedHashMap<>();
                    vars.put("name", name == null ? "" : name);
                    vars.put("phone", phone);
                    vars.putAll(fromJson(rs.getString("fields"), contactId));
                    return Optional.of(new AttemptContext(rs.getLong("id"), rs.getLong("campaign_id"), contactId,
                            rs.getString("dialog_name"), phone, name, Collections.unmodifiableMap(vars),
                            rs.getString("timezone")));
                }
            }
        });
    }

    /**
     * The attempt was originated: state "started", started_at now. {@code channel} may be null when not yet known.
     * False when there is no such attempt or it is not scheduled.
     */
    public boolean markAttemptStarted(long id, String amiActionId, String channel) {
        if (amiActionId == null || amiActionId.isBlank() || amiActionId.length() > 64) {
            throw new IllegalArgumentException("attempt " + id + ": AMI action id must be 1 to 64 characters");
        }
        if (channel != null && channel.length() > 128) {
            throw new IllegalArgumentException("attempt " + id + ": channel is longer than 128 characters");
        }
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE call_attempts SET state = ?, started_at = ?, "
                    + "ami_action_id = ?, channel = ? WHERE id = ? AND state = ?")) {
                ps.setString(1, AttemptState.STARTED.id());
                Sql.setInstant(ps, 2, now);
                ps.setString(3, amiActionId);
                ps.setString(4, channel);
                ps.setLong(5, id);
                ps.setString(6, AttemptState.SCHEDULED.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * The attempt is over (answered, busy, no answer, skipped...): state "done", ended_at now. False when there is
     * no such attempt or it is already done.
     */
    public boolean finishAttempt(long id, String outcome) {
        if (outcome == null || outcome.isBlank() || outcome.length() > 32) {
            throw new IllegalArgumentException("attempt " + id + ": outcome must be 1 to 32 characters, got '"
                    + outcome + "'");
        }
        Instant now = Sql.millis(clock.instant());
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE call_attempts SET state = ?, ended_at = ?, "
                    + "outcome = ? WHERE id = ? AND state <> ?")) {
                ps.setString(1, AttemptState.DONE.id());
                Sql.setInstant(ps, 2, now);
                ps.setString(3, outcome);
                ps.setLong(4, id);
                ps.setString(5, AttemptState.DONE.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Up to {@code limit} scheduled attempts due at {@code now}, the longest-waiting first. */
    public List<Attempt> dueAttempts(Instant now, int limit) {
        if (now == null) {
            throw new IllegalArgumentException("now must not be null");
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, got " + limit);
        }
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(DUE_SQL)) {
                Sql.setInstant(ps, 1, now);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Attempt> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(readAttempt(rs));
                    }
                    return out;
                }
            }
        });
    }

    private static Attempt readAttempt(ResultSet rs) throws SQLException {
        return new Attempt(rs.getLong("id"), rs.getLong("campaign_id"), rs.getLong("contact_id"),
                rs.getInt("attempt_no"), AttemptState.parse(rs.getString("state")), Sql.getInstant(rs, "scheduled_at"),
                Sql.getInstant(rs, "started_at"), Sql.getInstant(rs, "ended_at"), rs.getString("outcome"),
                rs.getString("ami_action_id"), rs.getString("channel"));
    }

    // ---- helpers ----

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
