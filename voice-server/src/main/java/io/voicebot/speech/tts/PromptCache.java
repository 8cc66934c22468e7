package io.voicebot.speech.tts;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.speech.audio.Pcm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synthesized prompts, cached twice: WAV files under {@code tts.cache.dir} that survive restarts, and the most
 * recently used prompts in memory, bounded by bytes. The key is a SHA-256 of voice, rate, sample rate and text,
 * so changing any of them never plays stale audio. Concurrent requests for the same prompt share one synthesis.
 * Disk reads and writes run on the cache's own two threads, synthesis on the synthesizer's pool; callers only
 * ever get a future.
 *
 * <p>A new prompt's file is written just after its audio is handed out (so the caller does not wait for the
 * disk); {@link #close()} waits for writes still queued. The returned sample arrays are shared by every caller
 * of the same prompt: read them, never modify them.
 */
public final class PromptCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PromptCache.class);
    /** Memory budget when none is given: about 35 minutes of 8 kHz audio. */
    public static final long DEFAULT_MEMORY_BYTES = 32L << 20;

    /** Counters for tests and metrics. */
    /**
     * {@code joined}: requests that waited for a load another request had started; {@code misses}: syntheses;
     * {@code diskErrors}: unreadable cache files discarded plus failed writes.
     */
    public record Stats(long memoryHits, long diskHits, long misses, long joined, long diskErrors,
                        int memoryEntries, long memoryBytes) {
        public long requests() {
            return memoryHits + diskHits + misses + joined;
        }
    }

    private final MaryTtsSynthesizer synth;
    private final PromptFiles files;
    private final int defaultSampleRate;
    private final long maxMemoryBytes;
    private final ThreadPoolExecutor io;
    private final ConcurrentHashMap<String, CompletableFuture<short[]>> inflight = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, short[]> memory = new LinkedHashMap<>(64, 0.75f, true);
    private long memoryBytes;
    private final AtomicLong memoryHits = new AtomicLong();
    private final AtomicLong diskHits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private volatile java.util.function.DoubleConsumer renderTimes = s -> { };
    private final AtomicLong joined = new AtomicLong();
    /** Keys being loaded for {@link #prefetch}: a call that needs one of them promotes its synthesis. */
    private final java.util.Set<String> backgroundKeys = ConcurrentHashMap.newKeySet();

    /**
     * @param dir               cache directory, created if missing
     * @param defaultSampleRate rate used by {@link #prerender(Collection)}
     * @param maxMemoryBytes    budget of the in-memory LRU (2 bytes per sample); 0 disables it
     */
    public PromptCache(MaryTtsSynthesizer synth, Path dir, int defaultSampleRate, long maxMemoryBytes)
            throws IOException {
        this.synth = synth;
        this.files = new PromptFiles(dir);
        this.defaultSampleRate = defaultSampleRate;
        this.maxMemoryBytes = Math.max(0, maxMemoryBytes);
        Files.createDirectories(dir);
        AtomicInteger n = new AtomicInteger();
        this.io = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "tts-cache-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The cache as configured: tts.cache.dir, speech.sample.rate as the prerender rate, default memory budget. */
    public static PromptCache fromConfig(VoicebotConfig config, MaryTtsSynthesizer synth) throws IOException {
        return new PromptCache(synth, config.tts().cacheDir(), config.speech().sampleRate(), DEFAULT_MEMORY_BYTES);
    }

    /**
     * Audio of {@code text} at {@code sampleRate}: from memory, from disk, or synthesized (and then stored).
     * Fails with a {@link TtsException} when synthesis fails; a broken cache file is replaced, not an error.
     */
    public CompletableFuture<short[]> render(String text, int sampleRate) {
        String normalized = normalize(text);
        if (normalized.isEmpty()) {
            return CompletableFuture.failedFuture(new TtsException("nothing to say: the prompt text is empty"));
        }
        String key = key(normalized, sampleRate);
        short[] hit = memoryGet(key);
        if (hit != null) {
            memoryHits.incrementAndGet();
            return CompletableFuture.completedFuture(hit);
        }
        CompletableFuture<short[]> mine = new CompletableFuture<>();
        CompletableFuture<short[]> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            joined.incrementAndGet();
            if (backgroundKeys.remove(key)) {
                promote(normalized, sampleRate); // a call waits for it now: no longer background work
            }
            return running.copy(); // someone is already loading it: share the result
        }
        // It may have landed in memory between the lookup and claiming the key.
        hit = memoryGet(key);
        if (hit != null) {
            memoryHits.incrementAndGet();
            inflight.remove(key, mine);
            mine.complete(hit);
            return mine.copy();
        }
        load(key, normalized, sampleRate, false).whenComplete((samples, error) -> {
            if (error == null) {
                memoryPut(key, samples);
            }
            inflight.remove(key, mine);
            if (error == null) {
                mine.complete(samples);
            } else {
                mine.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
        return mine.copy();
    }

    /**
     * The audio of each sentence of {@code text}, in order, as {@link #render} gives it for that sentence (one
     * future, the whole prompt's, when it has a single sentence). Joined end to end they are the audio
     * {@code render(text)} gives ({@link Sentences#join}), so a caller can play the first sentences while a later
     * one (the one with the contact's name) is still being synthesized.
     */
    public List<CompletableFuture<short[]>> sentences(String text, int sampleRate) {
        List<String> sentences = Sentences.split(normalize(text));
        if (sentences.size() == 1) {
            return List.of(render(text, sampleRate));
        }
        List<CompletableFuture<short[]>> parts = new ArrayList<>(sentences.size());
        for (String s : sentences) {
            parts.add(render(s, sampleRate));
        }
        return parts;
    }

    /** Renders static prompts ahead of use (e.g. when a dialog loads) at the default sample rate. */
    public CompletableFuture<Void> prerender(Collection<String> texts) {
        return prerender(texts, defaultSampleRate);
    }

    public CompletableFuture<Void> prerender(Collection<String> texts, int sampleRate) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String t : texts) {
            distinct.add(normalize(t));
        }
        return CompletableFuture.allOf(distinct.stream().map(t -> render(t, sampleRate))
                .toArray(CompletableFuture[]::new));
    }

    /** Told the synthesis time, in seconds, of each prompt rendered because it was not cached. */
    public void timeRenders(java.util.function.DoubleConsumer seconds) {
        renderTimes = seconds;
    }

    /**
     * Renders prompts a call will probably need soon (a contact's personalized prompts while the phone rings, the
     * prompts that become known during a call) at low priority: syntheses a call is waiting for go first (see
     * {@link MaryTtsSynthesizer#synthesizeInBackground}). Prompts already in memory or being loaded are skipped.
     * Completes when all are ready; never fails (a prompt that cannot be rendered now is reported by the call).
     */
    public CompletableFuture<Void> prefetch(Collection<String> texts) {
        return prefetch(texts, defaultSampleRate);
    }

    /** {@link #prefetch(Collection)} at {@code sampleRate}. */
    public CompletableFuture<Void> prefetch(Collection<String> texts, int sampleRate) {
        java.util.List<CompletableFuture<short[]>> loads = new java.util.ArrayList<>();
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String t : texts) {
            String n = normalize(t);
            if (!n.isEmpty()) {
                distinct.add(n);
            }
        }
        for (String text : distinct) {
            CompletableFuture<short[]> load = background(text, sampleRate);
            if (load != null) {
                loads.add(load.exceptionally(e -> null));
            }
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
    }

    /**
     * Starts loading {@code text} on the low-priority lane; null when it is in memory or already being loaded (then
     * whoever loads it delivers it).
     */
    private CompletableFuture<short[]> background(String text, int sampleRate) {
        String key = key(text, sampleRate);
        if (memoryGet(key) != null) {
            return null;
        }
        CompletableFuture<short[]> mine = new CompletableFuture<>();
        if (inflight.putIfAbsent(key, mine) != null) {
            return null;
        }
        backgroundKeys.add(key);
        load(key, text, sampleRate, true).whenComplete((samples, error) -> {
            if (error == null) {
                memoryPut(key, samples);
            }
            inflight.remove(key, mine);
            backgroundKeys.remove(key);
            if (error == null) {
                mine.complete(samples);
            } else {
                mine.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
        return mine;
    }

    public Stats stats() {
        synchronized (memory) {
            return new Stats(memoryHits.get(), diskHits.get(), misses.get(), joined.get(), files.errors(),
                    memory.size(), memoryBytes);
        }
    }

    /** Where the WAV of this prompt is (or would be) stored. */
    public Path fileFor(String text, int sampleRate) {
        return files.of(key(normalize(text), sampleRate));
    }

    /** A call waits for {@code text}: its synthesis, or its sentences' still in the background, go first. */
    private void promote(String text, int sampleRate) {
        List<String> sentences = Sentences.split(text);
        if (sentences.size() == 1) {
            synth.promote(text, sampleRate);
            return;
        }
        for (String s : sentences) {
            if (backgroundKeys.remove(key(s, sampleRate))) {
                synth.promote(s, sampleRate);
            }
        }
    }

    private CompletableFuture<short[]> load(String key, String text, int sampleRate, boolean background) {
        Path file = files.of(key);
        CompletableFuture<short[]> fromDisk;
        try {
            fromDisk = CompletableFuture.supplyAsync(() -> files.read(file, sampleRate), io);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new TtsException("prompt cache is closed or overloaded"));
        }
        return fromDisk.thenCompose(samples -> {
            if (samples != null) {
                diskHits.incrementAndGet();
                return CompletableFuture.completedFuture(samples);
            }
            List<String> sentences = Sentences.split(text);
            if (sentences.size() > 1) {
                return joined(file, sentences, sampleRate, background);
            }
            misses.incrementAndGet();
            long started = System.nanoTime();
            // A call may have asked for it while the disk was read: then it is no longer background work.
            CompletableFuture<Pcm> synthesis = background && backgroundKeys.contains(key)
                    ? synth.synthesizeInBackground(text, sampleRate)
                    : synth.synthesize(text, sampleRate);
            return synthesis.thenApply(raw -> {
                renderTimes.accept((System.nanoTime() - started) / 1e9);
                Pcm pcm = new Pcm(LeadingSilence.trim(raw.samples(), raw.sampleRate()), raw.sampleRate());
                try {
                    io.execute(() -> files.write(file, pcm));
                } catch (RejectedExecutionException e) {
                    LOG.warn("prompt {} not written to the cache: cache is closed or overloaded", key);
                }
                return pcm.samples();
            });
        });
    }

    /** {@code text} from memory or from the load under way, or null when neither has it. */
    private CompletableFuture<short[]> pending(String text, int sampleRate) {
        String key = key(text, sampleRate);
        short[] hit = memoryGet(key);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        CompletableFuture<short[]> running = inflight.get(key);
        return running == null ? null : running.copy();
    }

    /**
     * A prompt of several sentences: each is rendered (or found) on its own, so sentences without the contact's
     * details are shared by every call; the whole is stored too, so the next call reads one file.
     */
    private CompletableFuture<short[]> joined(Path file, List<String> sentences, int sampleRate, boolean background) {
        List<CompletableFuture<short[]>> parts = new ArrayList<>();
        for (String s : sentences) {
            CompletableFuture<short[]> part = background ? background(s, sampleRate) : null;
            if (part == null && background) {
                part = pending(s, sampleRate); // in memory, or loading already: wait for it without promoting it
            }
            parts.add(part != null ? part : render(s, sampleRate));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            short[] samples = Sentences.join(parts.stream().map(CompletableFuture::join).toList());
            try {
                io.execute(() -> files.write(file, new Pcm(samples, sampleRate)));
            } catch (RejectedExecutionException e) {
                LOG.warn("prompt {} not written to the cache: cache is closed or overloaded", file.getFileName());
            }
            return samples;
        });
    }

    private short[] memoryGet(String key) {
        synchronized (memory) {
            return memory.get(key);
        }
    }

    private void memoryPut(String key, short[] samples) {
        long size = 2L * samples.length;
        if (size > maxMemoryBytes) {
            return;
        }
        synchronized (memory) {
            short[] old = memory.put(key, samples);
            if (old != null) {
                memoryBytes -= 2L * old.length;
            }
            memoryBytes += size;
            var it = memory.entrySet().iterator();
            while (memoryBytes > maxMemoryBytes && it.hasNext()) {
                Map.Entry<String, short[]> eldest = it.next();
                memoryBytes -= 2L * eldest.getValue().length;
                it.remove();
            }
        }
    }

    private String key(String normalizedText, int sampleRate) {
        String material = synth.voice() + '\n' + String.format(Locale.ROOT, "%.3f", synth.rate()) + '\n'
                + sampleRate + '\n' + normalizedText;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whitespace differences do not change speech, so they do not make a different prompt. */
    public static String normalize(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    @Override
    public void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
