package io.voicebot.campaign.lists;

import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.ContactList;
import io.voicebot.store.ListStore.ListSpec;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;

/**
 * Imports a CSV file into a new contact list, streaming: records are read one at a time and stored a thousand at a
 * time, so memory stays flat whatever the file's size (the one thing that grows is the first line of each number,
 * 25 MB for a million numbers). Rows that are good are imported even when others are not; each bad row is stored
 * with its line, column and reason. A file that cannot be read at all (encoding, header, broken quoting) is a
 * {@link ListImportException} and leaves no list behind. Blocking: run it on a worker thread, never a call's.
 */
public final class ListImporter {
    private static final Logger log = LoggerFactory.getLogger(ListImporter.class);
    /** Rows per transaction: one multi-row insert of contacts and one of rejections. */
    static final int BATCH = 1000;

    private final ListStore lists;
    private final DncStore dnc;
    private final PhoneNumbers phones;
    private final Clock clock;
    private final int writers;
    private final String owner;

    /** An importer whose lists name no owner (a single process: tests, the demo). */
    public ListImporter(ListStore lists, DncStore dnc, PhoneNumbers phones, Clock clock) {
        this(lists, dnc, phones, clock, lists.importWriters(), null);
    }

    /** An importer of node {@code nodeId}: its lists name this process, for {@link InterruptedImports}. */
    public ListImporter(ListStore lists, DncStore dnc, PhoneNumbers phones, Clock clock, String nodeId) {
        this(lists, dnc, phones, clock, lists.importWriters(), ImportOwner.current(nodeId).text());
    }

    /** With {@code writers} threads storing the batches (the benchmark compares counts). */
    ListImporter(ListStore lists, DncStore dnc, PhoneNumbers phones, Clock clock, int writers) {
        this(lists, dnc, phones, clock, writers, null);
    }

    private ListImporter(ListStore lists, DncStore dnc, PhoneNumbers phones, Clock clock, int writers,
                         String owner) {
        this.lists = lists;
        this.dnc = dnc;
        this.phones = phones;
        this.clock = clock;
        this.writers = writers;
        this.owner = owner;
    }

    /**
     * Creates the list {@code request.name()} from {@code file}. IllegalArgumentException for a bad region or a
     * name already taken; ListImportException when the file cannot be imported; IOException when it cannot be read.
     */
    public ImportReport importFile(Path file, ImportRequest request) throws IOException, ListImportException {
        String region = request.region() == null ? phones.defaultRegion() : PhoneNumbers.checkRegion(request.region());
        String fileName = request.fileName();
        CsvInput input = CsvInput.open(file, fileName);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(input.delimiter()).setIgnoreEmptyLines(false)
                .get();
        long started = System.nanoTime();
        try (Reader reader = input.reader(); CSVParser parser = CSVParser.parse(reader, format)) {
            Records records = new Records(parser, fileName);
            CSVRecord head = records.next();
            if (head == null) {
                throw new ListImportException(fileName + ": the file is empty; expected a header line with a phone "
                        + "column");
            }
            Columns columns = Columns.of(head.toList(), request.requiredFields(), fileName);
            RowChecker checker = new RowChecker(columns, phones, region, request);
            long listId = lists.startImport(new ListSpec(request.name(), region, request.dialog(),
                    columns.fieldNames(), input.charset().name()), owner);
            try {
                run(listId, records, checker, request.name());
                lists.finishImport(listId);
            } catch (IOException | ListImportException | RuntimeException | Error e) {
                discard(listId, e);
                throw e;
            }
            ContactList l = lists.findList(listId).orElseThrow();
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info("list '{}' (id {}) imported from {}: {} rows, {} imported, {} rejected ({} duplicates, {} "
                    + "do-not-call) in {} s, {} rows/s", l.name(), listId, fileName, l.rows(), l.imported(),
                    l.rejected(), l.duplicates(), l.doNotCall(), String.format("%.1f", seconds),
                    Math.round(l.rows() / Math.max(seconds, 1e-3)));
            return new ImportReport(listId, l.name(), input.charset().name(), input.delimiter(), l.rows(),
                    l.imported(), l.rejected(), l.duplicates(), l.doNotCall());
        } catch (CharacterCodingException e) {
            throw new ListImportException(fileName + ": the file changed while it was read (" + e + ")");
        }
    }

    private void run(long listId, Records records, RowChecker checker, String name)
            throws IOException, ListImportException {
        PhoneLines seen = new PhoneLines();
        try (BatchWriter writer = new BatchWriter(lists, dnc, clock, listId, name, checker.phoneColumn(),
                writers)) {
            BatchWriter.Batch batch = new BatchWriter.Batch();
            for (CSVRecord r; (r = records.next()) != null; ) {
                long line = records.startLine;
                if (isBlank(r)) {
                    continue;
                }
                if (line > Integer.MAX_VALUE) {
                    throw new ListImportException(records.file + ": line " + line + ": more lines than an import "
                            + "takes");
                }
                batch.rows++;
                NewContact c = checker.check(r, line, batch.rejections);
                if (c != null) {
                    int first = seen.putIfAbsent(c.phone(), (int) line);
                    if (first == PhoneLines.ABSENT) {
                        batch.contacts.add(c);
                    } else {
                        batch.rejections.add(new Rejection(line, checker.phoneColumn(), "duplicate of line " + first));
                        batch.duplicates++;
                    }
                }
                if (batch.contacts.size() >= BATCH || batch.rejections.size() >= BATCH) {
                    writer.submit(batch);
                    batch = new BatchWriter.Batch();
                }
            }
            if (batch.rows > 0) {
                writer.submit(batch);
            }
            writer.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("list import interrupted");
        }
    }

    private void discard(long listId, Throwable cause) {
        try {
            lists.deleteList(listId);
        } catch (RuntimeException e) {
            // A campaign was created on the list while it imported (it waits for it), so it cannot be deleted:
            // failed, the list is never dialed and the campaign goes on without it.
            cause.addSuppressed(e);
            String why = "import failed: " + cause.getMessage() + "; the rows imported before it are kept";
            try {
                lists.failImport(listId, why);
                log.warn("list {}: import failed and a campaign uses the partial list: marked failed", listId);
            } catch (RuntimeException f) {
                cause.addSuppressed(f);
                log.warn("list {}: import failed and the partial list could not be deleted: {}", listId,
                        e.getMessage());
            }
        }
    }

    private static boolean isBlank(CSVRecord r) {
        for (String v : r) {
            if (!v.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** The parser's records with the physical line each starts on (header = line 1); quoting errors name it. */
    private static final class Records {
        final String file;
        private final CSVParser parser;
        private final Iterator<CSVRecord> it;
        private long endLine;
        long startLine;

        Records(CSVParser parser, String file) {
            this.parser = parser;
            this.it = parser.iterator();
            this.file = file;
        }

        CSVRecord next() throws IOException, ListImportException {
            startLine = endLine + 1;
            try {
                if (!it.hasNext()) {
                    return null;
                }
                CSVRecord r = it.next();
                endLine = parser.getCurrentLineNumber();
                return r;
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CSVException csv) {
                    throw new ListImportException(file + ": line " + startLine + ": " + quotingProblem(csv));
                }
                throw e.getCause();
            }
        }

        private static String quotingProblem(CSVException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("EOF reached before encapsulated token finished")) {
                return "a quoted value is not closed: a \" opens it and none ends it before the end of the file";
            }
            if (m.contains("Invalid character between encapsulated token and delimiter")) {
                return "text follows a closing \" before the next delimiter; a \" inside a quoted value is "
                        + "written \"\"";
            }
            return m;
        }
    }
}
