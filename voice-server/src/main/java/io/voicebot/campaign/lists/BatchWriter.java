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

/**
 * Stores an import's batches on a thread of its own, so that reading and checking the next rows (CPU) overlaps
 * the database storing the last ones (I/O). The hand-off holds at most two batches: memory stays bounded and a
 * slow database slows the reader down. Each batch: drop the numbers on the do-not-call list, then one
 * transaction ({@link ListStore#addBatch}).
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
    }

    private static final Batch END = new Batch();

    private final ListStore lists;
    private final DncStore dnc;
    private final Clock clock;
    private final long listId;
    private final String listName;
    private final String phoneColumn;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private long stored;

    BatchWriter(ListStore lists, DncStore dnc, Clock clock, long listId, String listName, String phoneColumn) {
        this.lists = lists;
        this.dnc = dnc;
        this.clock = clock;
        this.listId = listId;
        this.listName = listName;
        this.phoneColumn = phoneColumn;
        this.thread = new Thread(this::run, "list-import-writer-" + listId);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Hands a batch over, waiting while two are queued; rethrows what made an earlier batch fail. */
    void submit(Batch b) throws InterruptedException {
        while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
            rethrowFailure();
        }
        rethrowFailure();
    }

    /** Waits until every batch is stored; rethrows what made one fail. */
    void finish() throws InterruptedException {
        submit(END);
        thread.join();
        rethrowFailure();
    }

    /**
     * Stops the thread without storing what is still queued (after a failure of the reader); a batch being stored
     * is finished first. Not by interrupting the thread: an interrupt must never reach a database write.
     */
    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            abandoned = true;
            queue.clear();
            queue.offer(END); // room: the reader that fills the queue is the one closing it
            thread.join();
        }
    }

    private void run() {
        try {
            for (Batch b; (b = queue.take()) != END && !abandoned; ) {
                store(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
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
        lists.addBatch(listId, new ListStore.Batch(b.rows, keep, b.rejections, b.duplicates, doNotCall));
        long before = stored;
        stored += b.rows;
        if (stored / PROGRESS_EVERY > before / PROGRESS_EVERY) {
            log.info("list '{}': {} rows stored", listName, stored);
        }
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
