package io.voicebot.campaign.lists;

import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores an import's batches on threads of their own, so that reading and checking the next rows (CPU) overlaps
 * the database storing the last ones (I/O). The hand-off holds at most two batches: memory stays bounded and a
 * slow database slows the reader down. Each batch: drop the numbers on the do-not-call list, then one
 * transaction ({@link ListStore#addBatch}). With more than one thread ({@link ListStore#importWriters()} says one;
 * the benchmark compares more), each on its own connection, one thread binds the next batch's insert while the
 * other's is in the database; the transactions still run one at a time in the file's order ({@link Turns}), so ids
 * follow the lines.
 */
final class BatchWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    private static final long PROGRESS_EVERY = 100_000;

    /** Rows of the file since the last batch: contacts to store, rejections, and how many rows they were. */
    static final class Batch {
        final List<NewContact> contacts = new ArrayList<>(ListImporter.BATCH);
        final List<Rejection> rejections = new ArrayList<>();
        int rows;
        int duplicates;
        long seq;
    }

    private static final Batch END = new Batch();

    private final ListStore lists;
    private final DncStore dnc;
    private final Clock clock;
    private final long listId;
    private final String listName;
    private final String phoneColumn;
    private final BlockingQueue<Batch> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final Turns turns = new Turns();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean abandoned;
    private long submitted;

    BatchWriter(ListStore lists, DncStore dnc, Clock clock, long listId, String listName, String phoneColumn) {
        this(lists, dnc, clock, listId, listName, phoneColumn, lists.importWriters());
    }

    /** With {@code writers} threads (tests: several on H2 too). */
    BatchWriter(ListStore lists, DncStore dnc, Clock clock, long listId, String listName, String phoneColumn,
                int writers) {
        this.lists = lists;
        this.dnc = dnc;
        this.clock = clock;
        this.listId = listId;
        this.listName = listName;
        this.phoneColumn = phoneColumn;
        this.queue = new ArrayBlockingQueue<>(Math.max(2, writers));
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::run, "list-import-writer-" + listId + (i == 0 ? "" : "-" + i));
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Hands a batch over, waiting while two are queued; rethrows what made an earlier batch fail. */
    void submit(Batch b) throws InterruptedException {
        b.seq = submitted++;
        offer(b);
    }

    private void offer(Batch b) throws InterruptedException {
        while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
            rethrowFailure();
        }
        rethrowFailure();
    }

    /** Waits until every batch is stored; rethrows what made one fail. */
    void finish() throws InterruptedException {
        for (int i = 0; i < threads.size(); i++) {
            offer(END);
        }
        for (Thread t : threads) {
            t.join();
        }
        rethrowFailure();
    }

    /**
     * Stops the threads without storing what is still queued (after a failure of the reader); a batch being
     * stored is finished first. Not by interrupting the threads: an interrupt must never reach a database write.
     */
    @Override
    public void close() throws InterruptedException {
        if (threads.stream().anyMatch(Thread::isAlive)) {
            abandoned = true;
            turns.abandon();
            queue.clear();
            for (int i = 0; i < threads.size(); i++) {
                queue.offer(END); // room: the reader that fills the queue is the one closing it
            }
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private void run() {
        try {
            // Polling, so that every thread stops soon once one has failed (it may have taken the others' END).
            while (!abandoned) {
                Batch b = queue.poll(100, TimeUnit.MILLISECONDS);
                if (b == END) {
                    return;
                }
                if (b != null) {
                    store(b);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            abandoned = true;
            turns.abandon();
            queue.clear();
        }
    }

    private void store(Batch b) {
        List<NewContact> keep = b.contacts;
        int doNotCall = 0;
        if (!b.contacts.isEmpty()) {
            List<String> numbers = new ArrayList<>(b.contacts.size());
            for (NewContact c : b.contacts) {
                numbers.add(c.phone());
            }
            Set<String> blocked = dnc.blockedAmong(numbers, clock.instant());
            if (!blocked.isEmpty()) {
                keep = new ArrayList<>(b.contacts.size());
                for (NewContact c : b.contacts) {
                    if (blocked.contains(c.phone())) {
                        b.rejections.add(new Rejection(c.line(), phoneColumn, "is on the do-not-call list"));
                        doNotCall++;
                    } else {
                        keep.add(c);
                    }
                }
            }
        }
        lists.addBatch(listId, new ListStore.Batch(b.rows, keep, b.rejections, b.duplicates, doNotCall),
                () -> turns.await(b.seq));
        long total = turns.done(b.seq, b.rows);
        if (total / PROGRESS_EVERY > (total - b.rows) / PROGRESS_EVERY) {
            log.info("list '{}': {} rows stored", listName, total);
        }
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Whose turn it is to write: batches are stored in the order they were submitted. Waiting ends when the turn
     * comes or the import is abandoned (then the waiting batch gives up, and its transaction rolls back).
     */
    private static final class Turns {
        private long next;
        private long rowsStored;
        private boolean abandoned;

        synchronized void await(long seq) {
            while (next != seq && !abandoned) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("list import writer interrupted", e);
                }
            }
            if (abandoned) {
                throw new IllegalStateException("list import abandoned");
            }
        }

        /** Batch {@code seq} is committed: the next may write. Returns the rows stored so far. */
        synchronized long done(long seq, int rows) {
            next = seq + 1;
            rowsStored += rows;
            notifyAll();
            return rowsStored;
        }

        synchronized void abandon() {
            abandoned = true;
            notifyAll();
        }
    }
}
