package io.voicebot.speech.tts;

import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptCacheTest {
    @RegisterExtension
    static final TestSynthesizer voice = new TestSynthesizer();

    @TempDir
    Path dir;

    private static short[] get(CompletableFuture<short[]> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void secondRenderIsAMemoryHitWithoutSynthesis() throws Exception {
        try (PromptCache cache = voice.cache(dir)) {
            long before = voice.tts().synthesisCount();
            short[] first = get(cache.render("Please hold the line.", 8000));
            short[] second = get(cache.render("  Please hold   the line. ", 8000));
            assertEquals(before + 1, voice.tts().synthesisCount(), "synthesized more than once");
            assertSame(first, second);
            PromptCache.Stats s = cache.stats();
            assertEquals(1, s.misses());
            assertEquals(1, s.memoryHits());
            assertEquals(0, s.diskHits());
            assertEquals(2L * first.length, s.memoryBytes());
        }
    }

    @Test
    void cacheSurvivesARestart() throws Exception {
        short[] original;
        try (PromptCache cache = voice.cache(dir)) {
            original = get(cache.render("Goodbye.", 8000));
        }
        Path file;
        long before = voice.tts().synthesisCount();
        try (PromptCache restarted = voice.cache(dir)) {
            short[] again = get(restarted.render("Goodbye.", 8000));
            assertArrayEquals(original, again);
            assertEquals(before, voice.tts().synthesisCount(), "synthesized again after restart");
            assertEquals(1, restarted.stats().diskHits());
            assertEquals(0, restarted.stats().misses());
            file = restarted.fileFor("Goodbye.", 8000);
        }
        // Stored as a plain 16-bit WAV at the requested rate; no temporary files left behind.
        Pcm stored = WavFile.read(file);
        assertEquals(8000, stored.sampleRate());
        assertArrayEquals(original, stored.samples());
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(file), all.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    void concurrentRequestsForOnePromptSynthesizeOnce() throws Exception {
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (PromptCache cache = voice.cache(dir)) {
            long before = voice.tts().synthesisCount();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<short[]>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    return get(cache.render("Your call is important to us.", 8000));
                }));
            }
            go.countDown();
            short[] first = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<short[]> r : results) {
                assertArrayEquals(first, r.get(60, TimeUnit.SECONDS));
            }
            assertEquals(before + 1, voice.tts().synthesisCount(), "one synthesis for " + callers + " callers");
            PromptCache.Stats s = cache.stats();
            assertEquals(1, s.misses());
            assertEquals(callers, s.requests(), "every caller counted once: " + s);
            assertTrue(s.joined() >= 1, "no caller joined the running synthesis: " + s);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachSampleRateIsItsOwnPrompt() throws Exception {
        Path wideFile;
        try (PromptCache cache = voice.cache(dir)) {
            short[] narrow = get(cache.render("One moment.", 8000));
            short[] wide = get(cache.render("One moment.", 16000));
            assertEquals(2, cache.stats().misses());
            assertEquals(narrow.length * 2, wide.length, 4);
            assertNotEquals(cache.fileFor("One moment.", 8000), cache.fileFor("One moment.", 16000));
            wideFile = cache.fileFor("One moment.", 16000);
        }
        // Files are written after the audio is handed out; close() waits for those writes.
        assertEquals(16000, WavFile.read(wideFile).sampleRate());
    }

    @Test
    void brokenCacheFileIsReplaced() throws Exception {
        Path file;
        try (PromptCache cache = voice.cache(dir)) {
            file = cache.fileFor("Thank you.", 8000);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "not audio");
            short[] audio = get(cache.render("Thank you.", 8000));
            assertTrue(audio.length > 4000);
            assertEquals(1, cache.stats().diskErrors());
            assertEquals(1, cache.stats().misses());
        }
        // The rewrite happens on the cache's IO thread, which close() waited for.
        assertTrue(WavFile.read(file).samples().length > 4000);
    }

    @Test
    void memoryIsBoundedAndLeastRecentlyUsedGoesFirst() throws Exception {
        long yes;
        long no;
        try (PromptCache big = voice.cache(dir)) {
            yes = 2L * get(big.render("Yes.", 8000)).length;
            no = 2L * get(big.render("No.", 8000)).length;
        }
        // Room for either prompt, not for both.
        long budget = Math.max(yes, no) + Math.min(yes, no) / 2;
        try (PromptCache cache = new PromptCache(voice.tts(), dir, 8000, budget)) {
            get(cache.render("Yes.", 8000));
            get(cache.render("No.", 8000));
            assertEquals(1, cache.stats().memoryEntries());
            assertEquals(no, cache.stats().memoryBytes());
            get(cache.render("No.", 8000));
            assertEquals(1, cache.stats().memoryHits());
            get(cache.render("Yes.", 8000)); // evicted from memory, read again from disk
            assertEquals(3, cache.stats().diskHits());
            assertEquals(0, cache.stats().misses());
            assertTrue(cache.stats().memoryBytes() <= budget);
        }
    }

    @Test
    void prerenderFillsTheCacheAheadOfUse() throws Exception {
        try (PromptCache cache = voice.cache(dir)) {
            long before = voice.tts().synthesisCount();
            cache.prerender(List.of("Welcome.", "Goodbye.", "Welcome. ")).get(60, TimeUnit.SECONDS);
            assertEquals(before + 2, voice.tts().synthesisCount());
            get(cache.render("Welcome.", 8000));
            get(cache.render("Goodbye.", 8000));
            assertEquals(2, cache.stats().memoryHits());
            assertEquals(before + 2, voice.tts().synthesisCount());
        }
    }

    @Test
    void synthesisFailureReachesEveryCallerAndIsNotCached() throws Exception {
        MaryTtsSynthesizer closed = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        closed.close();
        try (PromptCache cache = new PromptCache(closed, dir, 8000, PromptCache.DEFAULT_MEMORY_BYTES)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> cache.render("Hello again.", 8000).get(10, TimeUnit.SECONDS));
                assertEquals("synthesizer is closed", e.getCause().getMessage());
            }
            assertEquals(2, cache.stats().misses(), "a failure must not be remembered as audio");
            assertEquals(0, cache.stats().memoryEntries());
            assertFalse(Files.exists(cache.fileFor("Hello again.", 8000)));
        }
    }

    @Test
    void emptyTextFails() throws Exception {
        try (PromptCache cache = new PromptCache(voice.tts(), dir, 8000, 0)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> cache.render(" \n ", 8000).get(5, TimeUnit.SECONDS));
            assertEquals("nothing to say: the prompt text is empty", e.getCause().getMessage());
        }
    }

    /**
     * A prompt of several sentences is rendered sentence by sentence: a second call with another name synthesizes
     * only its name's sentence, its audio starts with exactly the shared sentence's, and the whole lasts what MaryTTS
     * gives for the text in one piece (each sentence ends with its pause, so nothing is lost at the join).
     */
    @Test
    void sentencesWithoutTheNameAreSynthesizedOnceForEveryCall() throws Exception {
        String greeting = "Hello, this is an automated survey from Example Bank about your recent call.";
        try (PromptCache cache = voice.cache(dir)) {
            short[] alice = get(cache.render(greeting + " Am I speaking with Alice Wong?", 8000));
            long before = voice.tts().synthesisCount();
            short[] bob = get(cache.render(greeting + " Am I speaking with Bob Marsh?", 8000));
            assertEquals(before + 1, voice.tts().synthesisCount(), "only the sentence with the name is new");
            short[] shared = get(cache.render(greeting, 8000));
            assertEquals(before + 1, voice.tts().synthesisCount(), "the greeting sentence was cached on its own");
            for (short[] whole : List.of(alice, bob)) {
                assertArrayEquals(shared, java.util.Arrays.copyOf(whole, shared.length));
            }
            short[] name = get(cache.render("Am I speaking with Bob Marsh?", 8000));
            assertEquals(shared.length + name.length, bob.length);
            // written on the cache's disk thread after the audio is handed out: under load it may take a moment
            Path whole = cache.fileFor(greeting + " Am I speaking with Bob Marsh?", 8000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(whole) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(whole), "the whole prompt is stored too: the next call reads one file");

            short[] inOnePiece = LeadingSilence.trim(voice.tts().synthesize(greeting + " Am I speaking with Bob Marsh?",
                    8000).get(60, TimeUnit.SECONDS).samples(), 8000);
            assertEquals(inOnePiece.length, bob.length, 8000 * 0.1, "within 100 ms of the text synthesized whole");
        }
    }
}
