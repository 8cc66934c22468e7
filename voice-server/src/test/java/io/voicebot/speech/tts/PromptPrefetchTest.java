package io.voicebot.speech.tts;

import io.voicebot.speech.audio.Levels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompts rendered ahead at low priority never hold up a call's prompt; rendered prompts start without silence. */
class PromptPrefetchTest {
    @RegisterExtension
    static final TestSynthesizer voice = new TestSynthesizer();

    @TempDir
    Path dir;

    private static List<String> aheadTexts(String tag) {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            texts.add("Reference " + tag + " number " + i + " is noted for your account.");
        }
        return texts;
    }

    @Test
    void aCallsPromptGoesBeforePromptsRenderedAhead() throws Exception {
        try (PromptCache cache = voice.cache(dir)) {
            CompletableFuture<Void> ahead = cache.prefetch(aheadTexts("alpha"), 8000);
            cache.render("Please hold while I check your account.", 8000).get(60, TimeUnit.SECONDS);
            int waiting = voice.tts().backgroundWaiting();
            assertTrue(waiting >= 6, "the call's prompt did not wait for the 10 rendered ahead (" + waiting
                    + " still waiting when it was ready)");
            ahead.get(120, TimeUnit.SECONDS);
            long misses = cache.stats().misses();
            for (String t : aheadTexts("alpha")) {
                cache.render(t, 8000).get(1, TimeUnit.SECONDS);
            }
            assertEquals(misses, cache.stats().misses(), "all rendered ahead are cached");
        }
    }

    @Test
    void aCallTakesOverAPromptStillWaitingInTheBackground() throws Exception {
        try (PromptCache cache = voice.cache(dir)) {
            long before = voice.tts().synthesisCount();
            List<String> texts = aheadTexts("bravo");
            CompletableFuture<Void> ahead = cache.prefetch(texts, 8000);
            Thread.sleep(200); // the disk lookups are done; the texts wait in the background lane
            cache.render(texts.get(9), 8000).get(60, TimeUnit.SECONDS);
            int waiting = voice.tts().backgroundWaiting();
            assertTrue(waiting >= 5, "the last of 10 was synthesized before the others (" + waiting + " waiting)");
            ahead.get(120, TimeUnit.SECONDS);
            assertEquals(before + 10, voice.tts().synthesisCount(), "each text synthesized once");
        }
    }

    @Test
    void renderedPromptsStartWithoutSilence() throws Exception {
        String text = "Hello, this is your bank calling.";
        short[] raw = voice.tts().synthesize(text, 8000).get(60, TimeUnit.SECONDS).samples();
        try (PromptCache cache = voice.cache(dir)) {
            short[] played = cache.render(text, 8000).get(60, TimeUnit.SECONDS);
            int rawOnset = onsetMs(raw);
            int playedOnset = onsetMs(played);
            assertTrue(playedOnset <= LeadingSilence.LEAD_MS + 10, "starts within 30 ms: " + playedOnset + " ms");
            assertEquals(raw.length - played.length, (rawOnset - playedOnset) * 8, 8 * 10,
                    "only the silence before the first word was cut (raw onset " + rawOnset + " ms)");
        }
    }

    @Test
    void trimmingKeepsALeadInAndIsIdempotent() {
        short[] tone = new short[800];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        short[] pcm = new short[1120 + tone.length];
        System.arraycopy(tone, 0, pcm, 1120, tone.length); // 140 ms of silence first
        short[] once = LeadingSilence.trim(pcm, 8000);
        assertEquals(160 + tone.length, once.length, "20 ms of lead-in kept");
        assertArrayEquals(once, LeadingSilence.trim(once, 8000));
        short[] silent = new short[800];
        assertArrayEquals(silent, LeadingSilence.trim(silent, 8000), "all silence is left alone");
    }

    private static int onsetMs(short[] pcm) {
        for (int off = 0; off + 80 <= pcm.length; off += 80) {
            if (Levels.rmsDbfs(pcm, off, 80) > LeadingSilence.ONSET_DBFS) {
                return off / 8;
            }
        }
        return -1;
    }
}
