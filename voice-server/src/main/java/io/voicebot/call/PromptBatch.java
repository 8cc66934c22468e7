package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.speech.tts.PromptTemplate;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The prompts of one robot turn, synthesized together: every one starts at once and the turn waits until all are
 * ready. Played one by one as each became ready, a slow second prompt ("Thank you." ... "How would you rate us?")
 * would leave a silence in which the caller takes the robot to be done and answers before it listens.
 */
final class PromptBatch {
    /** A prompt's text, filled in, and its audio (complete once {@link #render} returns). */
    record Rendered(String text, CompletableFuture<short[]> audio) {}

    private PromptBatch() {}

    /** Renders the Say actions among {@code actions}; a prompt not ready within {@code timeout} fails the turn. */
    static Map<Action.Say, Rendered> render(List<Action> actions, String dialogName, PromptCache prompts,
                                            int sampleRate, Duration timeout) {
        return render(actions, dialogName, prompts, sampleRate, timeout, Duration.ZERO, pcm -> { });
    }

    /**
     * As {@link #render(List, String, PromptCache, int, Duration)}; when the prompts are not all ready after
     * {@code late} (0: never), {@code onLate} gets the neutral line {@link LatePrompt#TEXT} to play meanwhile, once,
     * if that line is rendered already (it is asked for first, so it is, but for the very first call).
     */
    static Map<Action.Say, Rendered> render(List<Action> actions, String dialogName, PromptCache prompts,
                                            int sampleRate, Duration timeout, Duration late,
                                            Consumer<short[]> onLate) {
        Map<Action.Say, Rendered> out = new IdentityHashMap<>();
        boolean says = actions.stream().anyMatch(a -> a instanceof Action.Say);
        CompletableFuture<short[]> filler = says && late.toMillis() > 0 ? prompts.render(LatePrompt.TEXT, sampleRate)
                : null;
        for (Action a : actions) {
            if (a instanceof Action.Say s) {
                String text = PromptTemplate.parse(dialogName + ":" + s.stepId(), s.template()).render(s.vars());
                out.put(s, new Rendered(text, prompts.render(text, sampleRate)));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (filler != null && !awaitAll(out, late)) {
            short[] pcm = filler.getNow(null);
            if (pcm != null && !filler.isCompletedExceptionally()) {
                onLate.accept(pcm);
            }
        }
        for (Map.Entry<Action.Say, Rendered> e : out.entrySet()) {
            try {
                e.getValue().audio().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CallException("interrupted while synthesizing prompt of step '" + e.getKey().stepId()
                        + "'", ex);
            } catch (ExecutionException | TimeoutException ex) {
                throw new CallException("cannot synthesize prompt of step '" + e.getKey().stepId() + "': "
                        + (ex instanceof ExecutionException ? ex.getCause() : ex), ex);
            }
        }
        return out;
    }

    /** Waits up to {@code wait} for every prompt; false when one is still not ready (a failure counts as ready). */
    private static boolean awaitAll(Map<Action.Say, Rendered> out, Duration wait) {
        CompletableFuture<?>[] all = out.values().stream().map(Rendered::audio).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // the failure is reported by the wait that follows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
