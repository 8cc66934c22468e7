package io.voicebot.recording;

import io.voicebot.log.CallLog;
import io.voicebot.store.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes call recordings to disk on its own thread, never on the audio threads: stereo 16-bit PCM WAV files
 * under the recordings directory (yyyy/MM/dd/uuid.wav), each written as its call goes on, with the header's sizes
 * filled in when the call ends. Audio waits in a bounded queue ({@code maxQueuedChunks} chunks of 500 ms across
 * all calls); when it is full the chunk is dropped at once (see {@link CallRecorder}) and that recording is marked
 * incomplete, so a slow disk never delays a call. The call row gets the path when the file is opened (state
 * writing) and complete or incomplete when it is closed.
 */
public final class RecordingWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);
    static final int HEADER_BYTES = 44;

    private sealed interface Job {
        CallRecorder rec();
    }

    private record Open(CallRecorder rec) implements Job {}

    private record Data(CallRecorder rec, byte[] bytes, long gapFrames) implements Job {}

    private record Close(CallRecorder rec, long gapFrames) implements Job {}

    private final Path dir;
    private final RecordingStore store;
    private final Clock clock;
    private final int maxQueuedChunks;
    // Opens and closes always get in (two per call); audio only while fewer than maxQueuedChunks wait.
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedChunks = new AtomicInteger();
    private final Map<CallRecorder, FileChannel> open = new HashMap<>(); // writer thread only
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts the writer thread. {@code dir}: the recordings directory (data.dir/recordings). */
    public RecordingWriter(Path dir, RecordingStore store, Clock clock, int maxQueuedChunks) {
        this(dir, store, clock, maxQueuedChunks, r -> new Thread(r));
    }

    /** {@code threads}: makes the writer thread (a test's can hold it back like a stalled disk). */
    RecordingWriter(Path dir, RecordingStore store, Clock clock, int maxQueuedChunks,
                    java.util.concurrent.ThreadFactory threads) {
        this.dir = dir;
        this.store = store;
        this.clock = clock;
        this.maxQueuedChunks = maxQueuedChunks;
        this.thread = threads.newThread(this::run);
        thread.setName("voicebot-recording-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public Path dir() {
        return dir;
    }

    /** A recorder for one call; give it to the call's AudioChannel as its tap. */
    public CallRecorder start(UUID callId) {
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString().replace('-', '/');
        return new CallRecorder(callId, day + "/" + callId + ".wav", this);
    }

    void open(CallRecorder rec) {
        queue.add(new Open(rec));
    }

    /** False (at once) when the queue is full. */
    boolean data(CallRecorder rec, byte[] bytes, long gapFrames) {
        if (queuedChunks.incrementAndGet() > maxQueuedChunks) {
            queuedChunks.decrementAndGet();
            return false;
        }
        queue.add(new Data(rec, bytes, gapFrames));
        return true;
    }

    void close(CallRecorder rec, long gapFrames) {
        queue.add(new Close(rec, gapFrames));
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            Job job;
            try {
                job = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                continue;
            }
            if (job == null) {
                continue;
            }
            try (CallLog ignored = CallLog.call(job.rec().callId.toString())) {
                handle(job);
            } catch (RuntimeException e) {
                log.error("recording writer failed on {}", job.getClass().getSimpleName(), e);
            }
        }
    }

    private void handle(Job job) {
        CallRecorder rec = job.rec();
        if (job instanceof Open) {
            try {
                Path file = dir.resolve(rec.path);
                Files.createDirectories(file.getParent());
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                ch.write(ByteBuffer.wrap(header(rec.rate(), 0)));
                open.put(rec, ch);
                store.set(rec.callId.toString(), rec.path, RecordingStore.WRITING);
            } catch (IOException e) {
                rec.markLost();
                log.warn("recording not written: cannot create {}: {}", rec.path, e.toString());
            }
        } else if (job instanceof Data d) {
            queuedChunks.decrementAndGet();
            write(rec, d.gapFrames(), d.bytes());
        } else if (job instanceof Close c) {
            write(rec, c.gapFrames(), null);
            FileChannel ch = open.remove(rec);
            if (ch == null) {
                return;
            }
            try (ch) {
                long data = ch.size() - HEADER_BYTES;
                ch.write(ByteBuffer.wrap(header(rec.rate(), data)), 0);
                ch.force(false);
            } catch (IOException e) {
                rec.markLost();
                log.warn("recording {} not finished: {}", rec.path, e.toString());
            }
            String state = rec.lost() ? RecordingStore.INCOMPLETE : RecordingStore.COMPLETE;
            store.set(rec.callId.toString(), rec.path, state);
            log.info("recording {} {} ({} frames)", rec.path, state, rec.frames());
        }
    }

    private void write(CallRecorder rec, long gapFrames, byte[] bytes) {
        FileChannel ch = open.get(rec);
        if (ch == null) {
            return;
        }
        try {
            if (gapFrames > 0) {
                // audio dropped while the disk was behind: silence keeps the rest on its timeline
                long bytesLeft = gapFrames * rec.rate() / 50 * 4;
                ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(bytesLeft, 64 * 1024));
                while (bytesLeft > 0) {
                    zeros.clear().limit((int) Math.min(bytesLeft, zeros.capacity()));
                    bytesLeft -= ch.write(zeros);
                }
            }
            if (bytes != null) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        } catch (IOException e) {
            if (!rec.lost()) {
                log.warn("recording {} incomplete: cannot write: {}", rec.path, e.toString());
            }
            rec.markLost();
        }
    }

    /** The 44-byte header of a stereo 16-bit PCM WAV holding {@code dataBytes} of audio. */
    static byte[] header(int rate, long dataBytes) {
        long data = Math.min(dataBytes, 0xFFFFFFFFL - 36);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + data));
        b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 2).putInt(rate).putInt(rate * 4).putShort((short) 4)
                .putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) data);
        return b.array();
    }

    /** Finishes what is queued (for at most {@code timeout}), then stops. */
    public void close(java.time.Duration timeout) throws InterruptedException {
        running = false;
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            log.warn("recording writer still busy after {} s; {} jobs left", timeout.toSeconds(), queue.size());
            thread.interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(java.time.Duration.ofSeconds(5));
    }
}
