package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.speech.tts.PromptTemplate;
import io.voicebot.speech.tts.Sentences;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The prompts of one robot turn, synthesized together: every one starts at once, sentence by sentence, and the turn
 * waits until its first sentence is ready; {@link PromptStream} plays the rest in order as each becomes ready. Played
 * one by one only once each prompt was whole, a slow second prompt ("Thank you." ... "How would you rate us?") would
 * leave a silence in which the caller takes the robot to be done; a later sentence is normally ready long before the
 * audio ahead of it ends.
 */
final class PromptBatch {
    /**
     * A prompt's text, filled in; its audio as a whole (complete once every part is); and its sentences' audio in
     * order, whose join is that whole (one part, the whole, when it was ready at once or has one sentence).
     */
    record Rendered(String text, CompletableFuture<short[]> audio, List<CompletableFuture<short[]>> parts) {}

    private PromptBatch() {}

    /**
     * Renders the Say actions among {@code actions} and waits for the turn's first sentence; a first sentence not
     * ready by {@code deadlineNanos} ({@link System#nanoTime()}), or a prompt that already failed, fails the turn.
     * When the first sentence is not ready after {@code late} (0: never), {@code onLate} gets the neutral line
     * {@link LatePrompt#TEXT} to play meanwhile, once, if that line is rendered already (it is asked for first, so it
     * is, but for the very first call).
     */
    static Map<Action.Say, Rendered> render(List<Action> actions, String dialogName, PromptCache prompts,
                                            int sampleRate, long deadlineNanos, Duration late,
                                            Consumer<short[]> onLate) {
        Map<Action.Say, Rendered> out = new IdentityHashMap<>();
        List<Action.Say> order = new ArrayList<>();
        boolean says = actions.stream().anyMatch(a -> a instanceof Action.Say);
        CompletableFuture<short[]> filler = says && late.toMillis() > 0 ? prompts.render(LatePrompt.TEXT, sampleRate)
                : null;
        for (Action a : actions) {
            if (a instanceof Action.Say s) {
                String text = PromptTemplate.parse(dialogName + ":" + s.stepId(), s.template()).render(s.vars());
                CompletableFuture<short[]> whole = prompts.render(text, sampleRate);
                List<CompletableFuture<short[]>> parts = whole.isDone()
                        || Sentences.split(PromptCache.normalize(text)).size() < 2
                        ? List.of(whole) : prompts.sentences(text, sampleRate);
                out.put(s, new Rendered(text, whole, parts));
                order.add(s);
            }
        }
        if (order.isEmpty()) {
            return out;
        }
        for (Action.Say s : order) { // a prompt that cannot be rendered at all fails the turn before anything plays
            for (CompletableFuture<short[]> part : out.get(s).parts()) {
                if (part.isCompletedExceptionally()) {
                    await(s, part, deadlineNanos);
                }
            }
        }
        Action.Say head = order.get(0);
        CompletableFuture<short[]> first = out.get(head).parts().get(0);
        if (filler != null && !ready(first, late)) {
            short[] pcm = filler.getNow(null);
            if (pcm != null && !filler.isCompletedExceptionally()) {
                onLate.accept(pcm);
            }
        }
        await(head, first, deadlineNanos);
        return out;
    }

    /** Waits for {@code audio} of {@code s} until the deadline; a failure or the deadline fails the turn. */
    private static void await(Action.Say s, CompletableFuture<short[]> audio, long deadlineNanos) {
        try {
            audio.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CallException("interrupted while synthesizing prompt of step '" + s.stepId() + "'", ex);
        } catch (ExecutionException | TimeoutException ex) {
            throw failed(s.stepId(), ex instanceof ExecutionException ? ex.getCause() : ex);
        }
    }

    /** What fails the call when the prompt of step {@code stepId} cannot be synthesized. */
    static CallException failed(String stepId, Throwable cause) {
        return new CallException("cannot synthesize prompt of step '" + stepId + "': " + cause, cause);
    }

    /** Waits up to {@code wait} for {@code audio}; false when it is still not ready (a failure counts as ready). */
    private static boolean ready(CompletableFuture<short[]> audio, Duration wait) {
        try {
            audio.get(wait.toNanos(), TimeUnit.NANOSECONDS);
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
