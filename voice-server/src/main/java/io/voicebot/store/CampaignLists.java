package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign dials only lists whose import completed (state ready). A list still importing holds half a file: its
 * contacts join the running campaigns that use it when {@link ListStore#finishImport} marks it ready, and until
 * then such a campaign waits (it does not complete). A list whose import failed is never dialed; a campaign cannot
 * start on one. The dial queue's pick ({@link DialQueueStore}) checks the state again, for queues filled otherwise.
 * An instance answers the dialer's question whether a campaign has work left ({@link #remaining},
 * {@link #waitsForImport}); the static parts fill queues from lists inside the callers' transactions.
 */
public final class CampaignLists {

    static final String READY_LISTS = "SELECT l.id FROM contact_lists l WHERE l.state = '"
            + ListStore.STATE_READY + "'";

    /** One list of a campaign: its import state and, when it failed, why. */
    public record ListState(long id, String name, String state, String error) {}

    private final Database db;

    public CampaignLists(Database db) {
        this.db = db;
    }

    /**
     * Entries still to dial (pending) or in flight (dialing): zero means the campaign has nothing left. Pending
     * entries of a failed list (in a queue filled before lists were checked) are never dialed: they do not count.
     */
    public int remaining(long campaignId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM campaign_contacts q "
                    + "WHERE q.campaign_id = ? AND (q.state = 'dialing' OR (q.state = 'pending' AND NOT EXISTS "
                    + "(SELECT 1 FROM contacts k JOIN contact_lists l ON l.id = k.list_id WHERE k.id = q.contact_id "
                    + "AND l.state = '" + ListStore.STATE_FAILED + "')))")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** True while a list of the campaign is still importing: it waits for those contacts, it is not done. */
    public boolean waitsForImport(long campaignId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM campaign_lists cl "
                    + "JOIN contact_lists l ON l.id = cl.list_id WHERE cl.campaign_id = ? AND l.state = ?")) {
                ps.setLong(1, campaignId);
                ps.setString(2, ListStore.STATE_IMPORTING);
                return Rows.list(ps, rs -> rs.getInt(1)).get(0) > 0;
            }
        });
    }

    /** The campaign's lists in id order; {@code lock}: locked until the transaction ends (start vs finishImport). */
    static List<ListState> of(Connection c, long campaignId, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, state, import_error FROM contact_lists "
                + "WHERE id IN (SELECT list_id FROM campaign_lists WHERE campaign_id = ?) ORDER BY id"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setLong(1, campaignId);
            return Rows.list(ps, rs -> new ListState(rs.getLong(1), rs.getString(2), rs.getString(3),
                    rs.getString(4)));
        }
    }

    /** Why the campaign may not start (a list failed to import), or null when it may. */
    static String cannotStart(long campaignId, List<ListState> lists) {
        List<String> failed = new ArrayList<>();
        for (ListState l : lists) {
            if (ListStore.STATE_FAILED.equals(l.state())) {
                failed.add("list " + l.id() + " '" + l.name() + "' is failed"
                        + (l.error() == null ? "" : " (" + l.error() + ")"));
            }
        }
        if (failed.isEmpty()) {
            return null;
        }
        return "campaign " + campaignId + " cannot start: " + String.join("; ", failed) + "; its contacts would "
                + "never be called: import the file again as a new list and create a campaign with it";
    }

    /**
     * Adds every contact of the campaign's ready lists, one per number (the first imported wins), due at {@code at}.
     * Lists still importing add theirs when they are ready ({@link #addContacts}); failed lists never.
     */
    static int populate(Connection c, long campaignId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_contacts (campaign_id, contact_id, "
                + "phone, state, next_at, attempts, next_kind, updated_at) SELECT ?, MIN(k.id), k.phone, ?, ?, 0, "
                + "'first', ? FROM contacts k JOIN campaign_lists l ON l.list_id = k.list_id "
                + "WHERE l.campaign_id = ? AND k.list_id IN (" + READY_LISTS + ") GROUP BY k.phone")) {
            ps.setLong(1, campaignId);
            ps.setString(2, DialQueueStore.EntryState.PENDING.id());
            Sql.setInstant(ps, 3, at);
            Sql.setInstant(ps, 4, at);
            ps.setLong(5, campaignId);
            return ps.executeUpdate();
        }
    }

    /**
     * The running or paused campaigns that use list {@code listId}, locked (in the order starting one locks: the
     * campaign, then its lists) before the list is marked ready, so that a campaign starting meanwhile either sees
     * the list ready or is given its contacts by {@link #addContacts}. Drafts take them when they start.
     */
    static List<Long> lockUsers(Connection c, long listId) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state FROM campaigns WHERE id IN "
                + "(SELECT campaign_id FROM campaign_lists WHERE list_id = ?) ORDER BY id FOR UPDATE")) {
            ps.setLong(1, listId);
            for (String[] row : Rows.list(ps, rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                if (row[1].equals(CampaignStore.State.RUNNING.id()) || row[1].equals(CampaignStore.State.PAUSED.id())) {
                    out.add(Long.parseLong(row[0]));
                }
            }
        }
        return out;
    }

    /**
     * The list {@code listId} has just become ready: its contacts join the queues of {@code campaigns} (from
     * {@link #lockUsers}), due {@code now}, except numbers a campaign already has (from another list).
     */
    static void addContacts(Connection c, long listId, List<Long> campaigns, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_contacts (campaign_id, contact_id, "
                + "phone, state, next_at, attempts, next_kind, updated_at) SELECT ?, k.id, k.phone, ?, ?, 0, "
                + "'first', ? FROM contacts k WHERE k.list_id = ? AND NOT EXISTS (SELECT 1 FROM campaign_contacts q "
                + "WHERE q.campaign_id = ? AND q.phone = k.phone)")) {
            for (long id : campaigns) {
                ps.setLong(1, id);
                ps.setString(2, DialQueueStore.EntryState.PENDING.id());
                Sql.setInstant(ps, 3, now);
                Sql.setInstant(ps, 4, now);
                ps.setLong(5, listId);
                ps.setLong(6, id);
                ps.executeUpdate();
            }
        }
    }
}
