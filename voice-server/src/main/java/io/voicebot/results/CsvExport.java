package io.voicebot.results;

import io.voicebot.log.PhoneMask;
import io.voicebot.store.CampaignExport;
import io.voicebot.store.ResultQueries;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Semaphore;

/**
 * A campaign's results as CSV, one row per contact: its attempts, outcome and the latest answer to each question
 * (a column per question key). Rows are written as the database cursors hand them over, never collected, so a
 * million contacts cost no more memory than one. At most {@link #MAX_RUNNING} exports run at once: each holds two
 * database connections for its length, and calls need the rest of the pool.
 */
public final class CsvExport {
    static final int MAX_RUNNING = 1;
    static final List<String> FIXED = List.of("contact_id", "phone", "name", "state", "attempts", "last_outcome",
            "first_attempt_at", "last_attempt_at", "attempt_outcomes");

    /** How phone numbers appear: in full (for the operator's CRM; the default) or masked as in logs. */
    public enum Phones { FULL, MASKED }

    /** Another export is running; try again later. */
    public static final class Busy extends Exception {
        Busy() {
            super("another export is running; try again when it has finished");
        }
    }

    /** A prepared export: holds its slot until {@link #writeTo} has run (or {@link #cancel}). */
    public interface Job {
        long writeTo(OutputStream out) throws IOException;

        void cancel();
    }

    private final CampaignExport export;
    private final ResultQueries queries;
    private final Semaphore running = new Semaphore(MAX_RUNNING);

    public CsvExport(CampaignExport export, ResultQueries queries) {
        this.export = export;
        this.queries = queries;
    }

    /** Takes an export slot (or fails with Busy) and returns the job that writes the CSV. */
    public Job prepare(long campaignId, Phones phones) throws Busy {
        if (!running.tryAcquire()) {
            throw new Busy();
        }
        return new Job() {
            private boolean released;

            @Override
            public long writeTo(OutputStream out) throws IOException {
                try {
                    return write(campaignId, phones, out);
                } finally {
                    cancel();
                }
            }

            @Override
            public synchronized void cancel() {
                if (!released) {
                    released = true;
                    running.release();
                }
            }
        };
    }

    /** Writes the header and every contact's row; returns the number of rows. */
    long write(long campaignId, Phones phones, OutputStream out) throws IOException {
        List<String> keys = queries.questionKeys(campaignId);
        List<String> header = new ArrayList<>(FIXED);
        keys.forEach(k -> header.add("answer." + k));
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
                .get());
        List<Object> row = new ArrayList<>(header.size());
        long n = export.forEachContact(campaignId, c -> {
            row.clear();
            row.add(c.contactId());
            row.add(phones == Phones.MASKED ? PhoneMask.mask(c.phone()) : c.phone());
            row.add(c.name());
            row.add(c.state());
            row.add(c.attempts());
            row.add(c.lastOutcome());
            List<CampaignExport.AttemptCell> cells = c.attemptList();
            row.add(cells.isEmpty() ? null : text(cells.get(0).startedAt()));
            row.add(cells.isEmpty() ? null : text(cells.get(cells.size() - 1).startedAt()));
            StringJoiner outcomes = new StringJoiner(";");
            cells.forEach(a -> outcomes.add(a.attemptNo() + ":" + (a.outcome() == null ? "in_progress" : a.outcome())));
            row.add(outcomes.toString());
            for (String k : keys) {
                row.add(c.answers().get(k));
            }
            csv.printRecord(row);
        });
        csv.flush();
        return n;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
