package io.voicebot.speech.tts;

import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.Resampler;
import marytts.LocalMaryInterface;
import marytts.MaryInterface;
import marytts.util.dom.DomUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.w3c.dom.Document;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Text to speech with MaryTTS running in this JVM. MaryTTS starts once (about two seconds) in {@link #start};
 * each {@link #synthesize} call then runs on a bounded pool of {@code tts.threads} threads, never on the
 * caller's thread, and yields 16-bit mono PCM at the requested rate (the voice itself produces 48 kHz).
 * The speaking rate is applied with SSML prosody, which changes phone durations rather than time-stretching.
 * <p>
 * Work a call is waiting for goes first: {@link #synthesizeInBackground} (prompts rendered ahead of need) waits in
 * a bounded lane of its own and is handed to the pool only while no call's synthesis is queued, on at most
 * {@code threads - 1} threads (one when there is a single thread), so a live request finds a thread free or
 * waits for at most one background synthesis. A live request for a text still waiting there takes it over.
 */
public final class MaryTtsSynthesizer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaryTtsSynthesizer.class);
    /** Longest text one request may carry; dialog prompts are far shorter. */
    public static final int MAX_TEXT_CHARS = 4000;
    private static final int QUEUE_CAPACITY = 1000;
    /** Background texts waiting; more are refused (they are only an optimisation). */
    static final int BACKGROUND_CAPACITY = 1000;

    private final MaryInterface mary;
    private final String voice;
    private final double rate;
    private final ThreadPoolExecutor executor;
    private final Duration startupTime;
    private final AtomicLong syntheses = new AtomicLong();
    private final int backgroundSlots;
    /** Guarded by itself. */
    private final java.util.ArrayDeque<Background> background = new java.util.ArrayDeque<>();
    private int backgroundRunning;

    private record Background(String text, int sampleRate, CompletableFuture<Pcm> result) {}

    private MaryTtsSynthesizer(MaryInterface mary, String voice, double rate, int threads, Duration startupTime) {
        this.mary = mary;
        this.voice = voice;
        this.rate = rate;
        this.startupTime = startupTime;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
                    Thread t = new Thread(r, "tts-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.backgroundSlots = Math.max(1, threads - 1);
    }

    public static MaryTtsSynthesizer start(VoicebotConfig.Tts config) {
        return start(config.voice(), config.rate(), config.threads());
    }

    /**
     * Starts MaryTTS (blocking, about two seconds) and checks that {@code voice} is installed.
     * {@code rate} is the speaking speed, 1.0 normal, 1.25 a quarter faster (0.5 .. 2.0).
     */
    public static MaryTtsSynthesizer start(String voice, double rate, int threads) {
        if (!(rate >= 0.5 && rate <= 2.0)) {
            throw new ConfigException("invalid value '" + rate + "' for tts.rate: must be between 0.5 and 2.0");
        }
        if (threads < 1) {
            throw new ConfigException("invalid value '" + threads + "' for tts.threads: must be at least 1");
        }
        MaryLogging.routeToSlf4j();
        long t0 = System.nanoTime();
        LocalMaryInterface mary;
        try {
            mary = new LocalMaryInterface();
        } catch (Exception e) {
            throw new TtsException("MaryTTS failed to start: " + e.getMessage(), e);
        }
        Set<String> voices = mary.getAvailableVoices();
        if (!voices.contains(voice)) {
            throw new ConfigException("invalid value '" + voice + "' for tts.voice: no such MaryTTS voice is installed"
                    + " (installed: " + String.join(", ", new java.util.TreeSet<>(voices)) + ")");
        }
        mary.setVoice(voice);
        mary.setInputType("SSML");
        mary.setOutputType("AUDIO");
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("MaryTTS started in {} ms, voice {}, rate {}", startup.toMillis(), voice, rate);
        return new MaryTtsSynthesizer(mary, voice, rate, threads, startup);
    }

    public String voice() {
        return voice;
    }

    public double rate() {
        return rate;
    }

    /** How long MaryTTS took to start. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Number of texts actually synthesized so far (successful or not). */
    public long synthesisCount() {
        return syntheses.get();
    }

    /**
     * Speaks {@code text} (plain text; XML special characters are escaped here). Completes with 16-bit mono PCM
     * at {@code sampleRate}, or exceptionally with a {@link TtsException} (queue full, closed, MaryTTS error).
     */
    public CompletableFuture<Pcm> synthesize(String text, int sampleRate) {
        String t = text == null ? "" : text.strip();
        TtsException bad = check(t, sampleRate);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        CompletableFuture<Pcm> result = new CompletableFuture<>();
        submit(t, sampleRate, result, false);
        return result;
    }

    /**
     * Like {@link #synthesize}, at low priority: runs only when no live synthesis is waiting, and never on every
     * thread. For prompts rendered before a call needs them.
     */
    public CompletableFuture<Pcm> synthesizeInBackground(String text, int sampleRate) {
        String t = text == null ? "" : text.strip();
        TtsException bad = check(t, sampleRate);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        CompletableFuture<Pcm> result = new CompletableFuture<>();
        synchronized (background) {
            if (background.size() >= BACKGROUND_CAPACITY) {
                return CompletableFuture.failedFuture(new TtsException("background synthesis queue is full ("
                        + BACKGROUND_CAPACITY + " texts waiting)"));
            }
            background.addLast(new Background(t, sampleRate, result));
        }
        dispatchBackground();
        return result;
    }

    /** A call now needs {@code text}: if it still waits in the background lane, it is synthesized at once. */
    public void promote(String text, int sampleRate) {
        String t = text == null ? "" : text.strip();
        Background found = null;
        synchronized (background) {
            for (java.util.Iterator<Background> it = background.iterator(); it.hasNext(); ) {
                Background b = it.next();
                if (b.sampleRate() == sampleRate && b.text().equals(t)) {
                    it.remove();
                    found = b;
                    break;
                }
            }
        }
        if (found != null) {
            submit(found.text(), found.sampleRate(), found.result(), false);
        }
    }

    /** Background texts waiting for a free thread. */
    public int backgroundWaiting() {
        synchronized (background) {
            return background.size();
        }
    }

    private static TtsException check(String t, int sampleRate) {
        if (t.isEmpty()) {
            return new TtsException("nothing to say: the text is empty");
        }
        if (t.length() > MAX_TEXT_CHARS) {
            return new TtsException("text too long for one prompt: " + t.length() + " characters, at most "
                    + MAX_TEXT_CHARS);
        }
        if (sampleRate < 8000 || sampleRate > 48000) {
            return new TtsException("unsupported output sample rate " + sampleRate + " Hz (8000 .. 48000)");
        }
        return null;
    }

    /** Hands background texts to the pool while a slot is free and no live synthesis is queued. */
    private void dispatchBackground() {
        while (true) {
            Background next;
            synchronized (background) {
                if (background.isEmpty() || backgroundRunning >= backgroundSlots || !executor.getQueue().isEmpty()
                        || executor.isShutdown()) {
                    return;
                }
                next = background.pollFirst();
                backgroundRunning++;
            }
            submit(next.text(), next.sampleRate(), next.result(), true);
        }
    }

    private void submit(String t, int sampleRate, CompletableFuture<Pcm> result, boolean isBackground) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        try {
            executor.execute(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    result.complete(synthesizeNow(t, sampleRate));
                } catch (Exception | LinkageError e) {
                    result.completeExceptionally(e instanceof TtsException ? e
                            : new TtsException("MaryTTS could not speak a " + t.length() + "-character text: " + e, e));
                } finally {
                    MDC.clear();
                    if (isBackground) {
                        synchronized (background) {
                            backgroundRunning--;
                        }
                    }
                    dispatchBackground();
                }
            });
        } catch (RejectedExecutionException e) {
            if (isBackground) {
                synchronized (background) {
                    backgroundRunning--;
                }
            }
            result.completeExceptionally(new TtsException(executor.isShutdown() ? "synthesizer is closed"
                    : "synthesis queue is full (" + QUEUE_CAPACITY + " texts waiting)"));
        }
    }

    private Pcm synthesizeNow(String text, int sampleRate) throws Exception {
        syntheses.incrementAndGet();
        Document ssml = DomUtils.parseDocument(ssml(text, rate));
        AudioInputStream audio = mary.generateAudio(ssml);
        Pcm pcm = toPcm(audio);
        return pcm.resampled(sampleRate);
    }

    /** SSML for MaryTTS; it understands relative prosody rates ("+25%"), not "125%". */
    static String ssml(String text, double rate) {
        StringBuilder sb = new StringBuilder(text.length() + 200);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en-US\">");
        long percent = Math.round((rate - 1.0) * 100);
        if (percent != 0) {
            sb.append("<prosody rate=\"").append(percent > 0 ? "+" : "").append(percent).append("%\">");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    // Control characters are not allowed in XML 1.0.
                    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
                        sb.append(c);
                    } else {
                        sb.append(' ');
                    }
                }
            }
        }
        if (percent != 0) {
            sb.append("</prosody>");
        }
        return sb.append("</speak>").toString();
    }

    /** Reads MaryTTS audio fully as 16-bit signed little-endian mono. */
    static Pcm toPcm(AudioInputStream in) throws IOException {
        AudioFormat f = in.getFormat();
        AudioFormat want = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, 1, 2,
                f.getSampleRate(), false);
        AudioInputStream s = f.matches(want) ? in : AudioSystem.getAudioInputStream(want, in);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        byte[] buf = new byte[16384];
        int n;
        // Not readAllBytes(): MaryTTS streams may return 0 before the end, which stops readAllBytes early.
        while ((n = s.read(buf)) != -1) {
            bytes.write(buf, 0, n);
        }
        byte[] b = bytes.toByteArray();
        short[] pcm = new short[b.length / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
        }
        return new Pcm(pcm, Math.round(f.getSampleRate()));
    }

    /** Stops taking work and waits up to {@code timeout} for syntheses in progress. MaryTTS itself stays loaded. */
    public void close(Duration timeout) {
        executor.shutdown();
        synchronized (background) {
            for (Background b : background) {
                b.result().completeExceptionally(new TtsException("synthesizer is closed"));
            }
            background.clear();
        }
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                LOG.warn("synthesizer closed with syntheses still running after {} ms", timeout.toMillis());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MaryTtsSynthesizer[voice=%s, rate=%.2f, threads=%d]", voice, rate,
                executor.getCorePoolSize());
    }
}
