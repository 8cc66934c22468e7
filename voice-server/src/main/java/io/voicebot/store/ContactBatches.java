package io.voicebot.store;

import io.voicebot.store.ListStore.Batch;
import io.voicebot.store.ListStore.BatchResult;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ListStore#addBatch}: one batch of an import in one transaction, the contacts as one multi-row insert (a
 * number the list already has becomes a rejection), the rejections as another, and the list's counts.
 */
final class ContactBatches {
    private static final int IN_CHUNK = 500;
    private static final MultiRowInsert CONTACTS = new MultiRowInsert("contacts", "list_id", "phone", "name",
            "fields", "timezone", "country", "line_no", "state", "created_at", "updated_at");
    private static final MultiRowInsert REJECTIONS = new MultiRowInsert("list_rejections", "list_id", "line_no",
            "column_name", "reason");

    private final Database db;
    private final Clock clock;

    ContactBatches(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** {@link ListStore#addBatch(long, Batch, Runnable)}. */
    BatchResult add(long listId, Batch batch, Runnable turn) {
        Instant now = Sql.millis(clock.instant());
        return db.transaction(c -> {
            try (MultiRowInsert.Bound bound = bindContacts(c, listId, batch.contacts(), now)) {
                turn.run();
                return store(c, listId, batch, bound, now);
            }
        });
    }

    private BatchResult store(Connection c, long listId, Batch batch, MultiRowInsert.Bound bound, Instant now)
            throws SQLException {
        // First, so that it checks the list exists and holds its row before anything refers to it: a foreign key
        // check of the contacts would take a shared lock on it, and two writers upgrading theirs would deadlock.
        try (PreparedStatement ps = c.prepareStatement("UPDATE contact_lists SET rows_total = rows_total + ?, "
                + "updated_at = ? WHERE id = ?")) {
            ps.setInt(1, batch.rows());
            Sql.setInstant(ps, 2, now);
            ps.setLong(3, listId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalArgumentException("no contact list with id " + listId);
            }
        }
        List<Rejection> rejections = new ArrayList<>(batch.rejections());
        List<NewContact> contacts = batch.contacts();
        int alreadyOnList = 0;
        if (!insertContacts(c, listId, bound)) {
            // The list had some of these numbers (the unique key said so): leave those out, then insert again.
            Map<String, Long> existing = existingLines(c, listId, contacts);
            List<NewContact> fresh = new ArrayList<>();
            for (NewContact k : contacts) {
                if (existing.containsKey(k.phone())) {
                    Long first = existing.get(k.phone());
                    rejections.add(new Rejection(k.line(), "phone", first == null ? "already on the list"
                            : "duplicate of line " + first));
                    alreadyOnList++;
                } else {
                    existing.put(k.phone(), k.line());
                    fresh.add(k);
                }
            }
            contacts = fresh;
            boolean inserted;
            try (MultiRowInsert.Bound again = bindContacts(c, listId, contacts, now)) {
                inserted = insertContacts(c, listId, again);
            }
            if (!inserted) {
                throw new SQLException("contacts of list " + listId + " still clash after leaving out the "
                        + "numbers already on it");
            }
        }
        rejections.sort(Comparator.comparingLong(Rejection::line));
        REJECTIONS.insert(c, rejections, "(" + listId + ", ?, ?, ?)", (ps, i, r) -> {
            ps.setLong(i, r.line());
            ps.setString(i + 1, clip(r.column(), 100));
            ps.setString(i + 2, clip(r.reason(), 500));
        });
        try (PreparedStatement ps = c.prepareStatement("UPDATE contact_lists SET "
                + "rows_imported = rows_imported + ?, rows_rejected = rows_rejected + ?, "
                + "rows_duplicate = rows_duplicate + ?, rows_do_not_call = rows_do_not_call + ? WHERE id = ?")) {
            ps.setInt(1, contacts.size());
            ps.setInt(2, batch.rows() - contacts.size());
            ps.setInt(3, batch.duplicates() + alreadyOnList);
            ps.setInt(4, batch.doNotCall());
            ps.setLong(5, listId);
            ps.executeUpdate();
        }
        return new BatchResult(contacts.size(), alreadyOnList);
    }

    /** The multi-row insert of {@code contacts}, bound but not run. */
    private static MultiRowInsert.Bound bindContacts(Connection c, long listId, List<NewContact> contacts,
                                                     Instant now) throws SQLException {
        String stamp = Sql.text(now);
        // The same text for every batch of the list, so that the driver's statement cache serves it.
        String row = "(" + listId + ", ?, ?, ?, ?, ?, ?, '" + ListStore.CONTACT_STATE_NEW + "', ?, ?)";
        return CONTACTS.bind(c, contacts, row, (ps, i, k) -> {
            ps.setString(i, k.phone());
            ps.setString(i + 1, k.name());
            ps.setString(i + 2, k.fields() == null || k.fields().isEmpty() ? null
                    : ContactFields.toJson(k.fields()));
            ps.setString(i + 3, k.timezone());
            ps.setString(i + 4, k.country());
            ps.setLong(i + 5, k.line());
            ps.setString(i + 6, stamp);
            ps.setString(i + 7, stamp);
        });
    }

    /** Runs the bound insert; false, with nothing inserted, when a number is already on the list. */
    private static boolean insertContacts(Connection c, long listId, MultiRowInsert.Bound bound)
            throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            bound.execute();
            c.releaseSavepoint(before);
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            // The list exists and is held by this transaction, so this is the (list_id, phone) key.
            c.rollback(before);
            return false;
        }
    }

    /** Phone -> line of those {@code contacts} whose number the list has. */
    private static Map<String, Long> existingLines(Connection c, long listId, List<NewContact> contacts)
            throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (int from = 0; from < contacts.size(); from += IN_CHUNK) {
            List<NewContact> chunk = contacts.subList(from, Math.min(contacts.size(), from + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT phone, line_no FROM contacts WHERE list_id = ? "
                    + "AND phone IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
                ps.setLong(1, listId);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i).phone());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Sql.getLongOrNull(rs, "line_no"));
                    }
                }
            }
        }
        return out;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
