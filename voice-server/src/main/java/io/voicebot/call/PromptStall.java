package io.voicebot.call;

import io.voicebot.speech.tts.PromptCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A robot turn whose prompts are not synthesized within {@link #PATIENCE} (the synthesizer is busy, a long
 * personalized prompt) would leave the caller in silence, and a caller who hears nothing for a few seconds
 * hangs up. Then the robot says a neutral "One moment, please." — rendered at start-up and kept in the prompt
 * cache, so it needs no synthesis — once, and the turn goes on waiting for its prompts as before (up to the
 * synthesis timeout). The filler says nothing about the customer and commits to nothing.
 */
public final class PromptStall {
    private static final Logger log = LoggerFactory.getLogger(PromptStall.class);
    public static final String FILLER = "One moment, please.";
    /** Long enough that a normally busy synthesizer never triggers it; short of the pause after which callers hang up. */
    static final Duration PATIENCE = Duration.ofSeconds(4);

    private PromptStall() {}

    /** Renders the filler into the prompt cache (start-up), so a stalled call finds it ready. */
    public static CompletableFuture<Void> warm(PromptCache prompts, int sampleRate) {
        return prompts.prerender(List.of(FILLER), sampleRate);
    }

    /**
     * Waits for {@code audio} up to {@link #PATIENCE} (never past {@code deadlineNanos}); when some is still
     * missing then, plays the filler through {@code play} if it is at hand. True when the filler was played.
     */
    static boolean bridge(Collection<CompletableFuture<short[]>> audio, long deadlineNanos, PromptCache prompts,
                          int sampleRate, Consumer<short[]> play) throws InterruptedException {
        long until = Math.min(deadlineNanos, System.nanoTime() + PATIENCE.toNanos());
        try {
            CompletableFuture.allOf(audio.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            return false;
        } catch (ExecutionException e) {
            return false; // the caller of bridge reports the failed prompt
        } catch (TimeoutException e) {
            // not ready yet: say something neutral rather than nothing
        }
        CompletableFuture<short[]> filler = prompts.render(FILLER, sampleRate);
        short[] pcm;
        try {
            // a cache hit (memory or disk) takes milliseconds; a filler that needs synthesis itself is no help
            pcm = filler.get(200, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("prompts not synthesized after {} ms and the filler is not at hand: the caller hears silence",
                    PATIENCE.toMillis());
            return false;
        }
        log.info("prompts not synthesized after {} ms: saying \"{}\" while they are", PATIENCE.toMillis(), FILLER);
        play.accept(pcm);
        return true;
    }
}
