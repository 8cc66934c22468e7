package io.voicebot.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's contacts with their attempts and answers, one {@link ContactResult} at a time, for the CSV export.
 * Two forward-only cursors on two connections, both ordered by contact, merged as they are read: the contacts of
 * the campaign's queue, and its attempts joined to their calls' answers. Only one contact is in memory at a time.
 */
public final class CampaignExport {

    /** One attempt of a contact: its number, when it started, how it ended. */
    public record AttemptCell(int attemptNo, Instant startedAt, String outcome) {}

    /**
     * One contact of the campaign. {@code answers}: the latest answer to each question over all its calls.
     */
    public record ContactResult(long contactId, String phone, String name, String state, int attempts,
                                String lastOutcome, List<AttemptCell> attemptList, Map<String, String> answers) {}

    /** Takes the rows as they are read; may fail with an IOException (the client went away), which ends the read. */
    @FunctionalInterface
    public interface Sink {
        void accept(ContactResult row) throws IOException;
    }

    private final Database db;

    public CampaignExport(Database db) {
        this.db = db;
    }

    /** Feeds every contact of the campaign's queue, by contact id, to {@code sink}; returns how many. */
    public long forEachContact(long campaignId, Sink sink) throws IOException {
        try (Connection contacts = db.dataSource().getConnection();
             Connection attempts = db.dataSource().getConnection();
             PreparedStatement cq = contacts.prepareStatement("SELECT cc.contact_id, cc.phone, ct.name, cc.state, "
                     + "cc.attempts, cc.last_outcome FROM campaign_contacts cc JOIN contacts ct ON ct.id = cc.contact_id "
                     + "WHERE cc.campaign_id = ? ORDER BY cc.contact_id",
                     ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             PreparedStatement aq = attempts.prepareStatement("SELECT a.contact_id, a.attempt_no, a.started_at, "
                     + "a.outcome, a.id, ans.question_key, ans.answer_value FROM call_attempts a "
                     + "LEFT JOIN calls c ON c.attempt_id = a.id LEFT JOIN answers ans ON ans.call_id = c.id "
                     + "WHERE a.campaign_id = ? ORDER BY a.contact_id, a.attempt_no, ans.id",
                     ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            cq.setLong(1, campaignId);
            aq.setLong(1, campaignId);
            Cursors.stream(db, cq);
            Cursors.stream(db, aq);
            try (ResultSet crs = cq.executeQuery(); ResultSet ars = aq.executeQuery()) {
                return merge(crs, ars, sink);
            }
        } catch (SQLException e) {
            throw new StoreException("export of campaign " + campaignId + " failed: " + e.getMessage(), e);
        }
    }

    private static long merge(ResultSet crs, ResultSet ars, Sink sink) throws SQLException, IOException {
        long rows = 0;
        boolean more = ars.next();
        while (crs.next()) {
            long contact = crs.getLong(1);
            List<AttemptCell> cells = new ArrayList<>();
            Map<String, String> answers = new HashMap<>();
            long lastAttempt = -1;
            while (more && ars.getLong(1) <= contact) {
                if (ars.getLong(1) == contact) {
                    long attemptId = ars.getLong(5);
                    if (attemptId != lastAttempt) {
                        cells.add(new AttemptCell(ars.getInt(2), Sql.getInstant(ars, "started_at"),
                                ars.getString(4)));
                        lastAttempt = attemptId;
                    }
                    String key = ars.getString(6);
                    if (key != null) {
                        answers.put(key, ars.getString(7)); // later attempts come later: the latest answer wins
                    }
                }
                more = ars.next();
            }
            sink.accept(new ContactResult(contact, crs.getString(2), crs.getString(3), crs.getString(4),
                    crs.getInt(5), crs.getString(6), cells, answers));
            rows++;
        }
        return rows;
    }
}
