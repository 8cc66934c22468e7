package io.voicebot.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Write-behind for the writes of calls in progress (turns, answers, a call's end, opt-outs): a write the
 * database cannot take because it is unreachable is kept, in order, and applied by one background thread as soon
 * as the database is back, so a database outage neither fails the call nor loses what the caller said. Each kept
 * write is a file under {@code dir} (written and synced before the call goes on), so a crash during the outage
 * loses nothing either: the next start applies what is there. Once anything is waiting, later writes wait behind
 * it, so each call's writes land in the order they were made. Bounded: beyond {@code maxPending} writes the
 * database error goes to the caller as before.
 */
public final class WriteJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteJournal.class);
    private static final long MIN_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 5000;
    /** Longest a call waits for a write the database has not answered; then the write is journaled. */
    static final long DIRECT_WAIT_MS = 500;

    private record Kind<T>(Class<T> type, Consumer<T> apply) {
        void run(JsonNode payload, ObjectMapper json) throws IOException {
            apply.accept(json.treeToValue(payload, type));
        }
    }

    private record Pending(Path file, String kind, JsonNode payload) {}

    private final Path dir;
    private final int maxPending;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Map<String, Kind<?>> kinds = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final Object signal = new Object();
    private final AtomicLong applied = new AtomicLong();
    private Thread replayer;
    /** Direct writes still running; the journal waits for them, so a late one cannot overtake what it holds. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Writes made while nothing waits; bounded: when all are busy (a hung database) writes are journaled. */
    private final java.util.concurrent.ThreadPoolExecutor writers = new java.util.concurrent.ThreadPoolExecutor(0, 8,
            30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "voicebot-db-write");
                t.setDaemon(true);
                return t;
            });
    private volatile boolean closed;

    public WriteJournal(Path dir, int maxPending) {
        this.dir = dir;
        this.maxPending = maxPending;
    }

    /** Names a kind of write and how to apply it; every kind is registered before {@link #start()}. */
    public <T> void register(String kind, Class<T> type, Consumer<T> apply) {
        kinds.put(kind, new Kind<>(type, apply));
    }

    /** Loads what an earlier run left (it is applied first) and starts the background writer. */
    public WriteJournal start() throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                JsonNode n = json.readTree(f.toFile());
                long s = Long.parseLong(f.getFileName().toString().replace(".json", ""));
                pending.put(s, new Pending(f, n.path("kind").asText(), n.path("payload")));
                seq.set(Math.max(seq.get(), s));
            }
        }
        if (!pending.isEmpty()) {
            log.warn("write journal: {} write(s) left from an earlier run will be applied", pending.size());
        }
        replayer = new Thread(this::replayLoop, "voicebot-write-journal");
        replayer.setDaemon(true);
        replayer.start();
        return this;
    }

    /** Writes waiting for the database. */
    public int pending() {
        return pending.size();
    }

    /** Writes applied from the journal so far (not counting those that went straight through). */
    public long applied() {
        return applied.get();
    }

    /**
     * Applies the write now; if writes are already waiting, or the database is unreachable, keeps it for later
     * instead. Other failures (a constraint, bad data) are thrown as before.
     */
    public <T> void write(String kind, T payload) {
        write(kind, payload, p -> {
            apply(kind, p);
            return null;
        }, null);
    }

    /**
     * As {@link #write(String, Object)}, for a write whose result the caller uses: {@code direct} runs it now and
     * gives its result; {@code whenKept} is the result when it was kept for later.
     */
    public <T, R> R write(String kind, T payload, java.util.function.Function<T, R> direct, R whenKept) {
        if (!kinds.containsKey(kind)) {
            throw new IllegalArgumentException("no journal kind '" + kind + "'");
        }
        if (pending.isEmpty()) {
            // Run on a writer thread and wait a bounded time: with the database gone the pool would hold the
            // call for db.connection.timeout.ms, a silence the caller hears. A write still running when the wait
            // ends may land later as well: every kind is idempotent (a duplicate counts as already stored).
            java.util.concurrent.Future<R> f;
            try {
                inFlight.incrementAndGet();
                f = writers.submit(() -> {
                    try {
                        return direct.apply(payload);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.decrementAndGet();
                f = null;
            }
            if (f != null) {
                try {
                    return f.get(DIRECT_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof StoreException se) || !unavailable(se)) {
                        throw e.getCause() instanceof RuntimeException re ? re
                                : new StoreException(e.getCause().toString(), e.getCause());
                    }
                    log.warn("database unreachable ({}): {} kept in the write journal until it is back",
                            se.getMessage(), kind);
                } catch (java.util.concurrent.TimeoutException e) {
                    log.warn("database did not answer within {} ms: {} kept in the write journal", DIRECT_WAIT_MS,
                            kind);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        keep(kind, payload);
        return whenKept;
    }

    @SuppressWarnings("unchecked")
    private <T> void apply(String kind, T payload) {
        ((Kind<T>) kinds.get(kind)).apply().accept(payload);
    }

    private void keep(String kind, Object payload) {
        if (pending.size() >= maxPending) {
            throw new StoreException("the database is unreachable and the write journal is full (" + maxPending
                    + " writes waiting)");
        }
        long s = seq.incrementAndGet();
        ObjectNode n = json.createObjectNode();
        n.put("kind", kind);
        n.set("payload", json.valueToTree(payload));
        Path f = dir.resolve(String.format("%019d.json", s));
        Path tmp = dir.resolve(String.format("%019d.tmp", s));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(json.writeValueAsBytes(n)));
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("the database is unreachable and the write journal cannot write " + f + ": "
                    + e.getMessage(), e);
        }
        pending.put(s, new Pending(f, kind, n.get("payload")));
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void replayLoop() {
        long backoff = MIN_BACKOFF_MS;
        while (!closed) {
            Map.Entry<Long, Pending> head = pending.firstEntry();
            if (head == null) {
                await(1000);
                continue;
            }
            if (inFlight.get() > 0) {
                await(50);
                continue;
            }
            Pending p = head.getValue();
            try {
                Kind<?> k = kinds.get(p.kind());
                if (k == null) {
                    throw new IllegalStateException("unknown kind '" + p.kind() + "'");
                }
                k.run(p.payload(), json);
                done(head.getKey(), p);
                applied.incrementAndGet();
                backoff = MIN_BACKOFF_MS;
                if (pending.isEmpty()) {
                    log.info("write journal: database back, every kept write applied ({} in all)", applied.get());
                }
            } catch (StoreException e) {
                if (unavailable(e)) {
                    await(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                } else if (duplicate(e)) {
                    log.info("write journal: {} {} was already stored", p.kind(), head.getKey());
                    done(head.getKey(), p);
                } else {
                    setAside(head.getKey(), p, e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                setAside(head.getKey(), p, e.toString());
            }
        }
    }

    private void done(long key, Pending p) {
        pending.remove(key);
        try {
            Files.deleteIfExists(p.file());
        } catch (IOException e) {
            log.warn("write journal: cannot delete {}: {}", p.file(), e.getMessage());
        }
    }

    /** A write the database refuses for good: kept on disk as .failed for the operator, out of the queue. */
    private void setAside(long key, Pending p, String why) {
        Path failed = p.file().resolveSibling(p.file().getFileName() + ".failed");
        log.error("write journal: {} {} refused by the database ({}); kept in {}", p.kind(), key, why, failed);
        pending.remove(key);
        try {
            Files.move(p.file(), failed, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("write journal: cannot move {}: {}", p.file(), e.getMessage());
        }
    }

    private void await(long ms) {
        synchronized (signal) {
            try {
                signal.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    static boolean unavailable(StoreException e) {
        return e.databaseUnavailable();
    }

    private static boolean duplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        writers.shutdown();
        synchronized (signal) {
            signal.notifyAll();
        }
        if (replayer != null) {
            try {
                replayer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!pending.isEmpty()) {
            log.warn("write journal: {} write(s) still waiting for the database; applied at the next start",
                    pending.size());
        }
    }
}
