package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.Playback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * What a call plays: each robot turn's prompts rendered together ({@link PromptBatch}, with the {@link LatePrompt}
 * line meanwhile when they are late), played one after another sentence by sentence ({@link PromptStream}), and the
 * count of playbacks not yet finished (a listen without barge-in waits for it). Owned by the call's serial executor,
 * like {@link CallSession}.
 */
final class PromptPlayer {
    private static final Logger log = LoggerFactory.getLogger(PromptPlayer.class);

    private final CallContext ctx;
    private final TurnLog turns;
    private final String dialogName;

    private PromptStream stream; // the current turn's audio
    private Executor serial; // the call's executor, as the last render was given it
    private int playing; // playbacks queued and not finished
    private Action.Say lastSay;
    private Action.Listen deferredListen;

    PromptPlayer(CallContext ctx, TurnLog turns, String dialogName) {
        this.ctx = ctx;
        this.turns = turns;
        this.dialogName = dialogName;
    }

    /**
     * Renders the Say actions among {@code actions} and waits for their first sentence; a late turn says the filler
     * first unless the call ended. The turn's later sentences play as they become ready ({@link PromptStream});
     * {@code serial} (the call's executor) hears of a late line or a failed prompt among them.
     */
    Map<Action.Say, PromptBatch.Rendered> render(List<Action> actions, AudioChannel channel, BooleanSupplier ended,
                                                 Executor serial) {
        this.serial = serial;
        long deadline = System.nanoTime() + ctx.synthesisTimeout().toNanos();
        boolean[] fillerSaid = {false};
        Map<Action.Say, PromptBatch.Rendered> out = PromptBatch.render(actions, dialogName, ctx.prompts(),
                channel.sampleRate(), deadline, ctx.latePrompt(),
                pcm -> fillerSaid[0] = sayFiller(pcm, channel, ended));
        if (out.isEmpty()) {
            return out; // no prompt: the turn before may still be queuing its sentences
        }
        CompletableFuture<short[]> filler = ctx.latePrompt().toMillis() <= 0 ? null
                : ctx.prompts().render(LatePrompt.TEXT, channel.sampleRate());
        stream = new PromptStream(channel, ctx.scheduler(), ctx.latePrompt(), deadline, filler, fillerSaid[0],
                new PromptStream.Events() {
                    @Override
                    public void fillerSaid() {
                        serial.execute(() -> {
                            if (!ended.getAsBoolean()) {
                                log.info("prompt's next sentence not ready {} ms after the audio before it: saying "
                                        + "\"{}\" meanwhile", ctx.latePrompt().toMillis(), LatePrompt.TEXT);
                                turns.filler(LatePrompt.LOGGED);
                            }
                        });
                    }

                    @Override
                    public void failed(CallException error) {
                        serial.execute(() -> {
                            throw error; // the call's executor ends the call with it
                        });
                    }
                }, stream);
        return out;
    }

    /** The turn's prompt is late: a neutral line meanwhile (LatePrompt), logged as such; false if the call ended. */
    private boolean sayFiller(short[] pcm, AudioChannel channel, BooleanSupplier ended) {
        if (ended.getAsBoolean()) {
            return false;
        }
        log.info("prompt not ready after {} ms: saying \"{}\" meanwhile", ctx.latePrompt().toMillis(), LatePrompt.TEXT);
        channel.play(pcm);
        turns.filler(LatePrompt.LOGGED);
        return true;
    }

    /**
     * Plays {@code s} (rendered by the last {@link #render}) after the turn's prompts before it, each sentence as soon
     * as it is ready; {@code done} gets it and whether it played in full, once its last sentence ended or it stopped.
     */
    void say(Action.Say s, PromptBatch.Rendered prompt, AudioChannel channel, SpeechListener listener,
             BiConsumer<Action.Say, Boolean> done) {
        String text = prompt.text();
        PromptStream.Prompt p = stream.add(s.stepId(), prompt.parts());
        playing++;
        lastSay = s;
        turns.said(s, text, millis(prompt.parts(), channel.sampleRate()));
        if (!prompt.audio().isDone()) { // its length once the later sentences are there too
            Executor onCall = serial;
            prompt.audio().thenAccept(pcm -> onCall.execute(
                    () -> turns.promptLength(s, pcm.length * 1000L / channel.sampleRate())));
        }
        listener.promptPlaying(true);
        turns.answering(p.done(), p::startedNanos);
        log.debug("says [{}] ({} ms{})", s.stepId(), turns.lastPromptMs(), prompt.audio().isDone() ? ""
                : " ready so far");
        p.done().whenComplete((completed, e) -> done.accept(s, Boolean.TRUE.equals(completed)));
    }

    /** The length of the parts ready so far. */
    private static long millis(List<CompletableFuture<short[]>> parts, int sampleRate) {
        long samples = 0;
        for (CompletableFuture<short[]> part : parts) {
            short[] pcm = part.isCompletedExceptionally() ? null : part.getNow(null);
            samples += pcm == null ? 0 : pcm.length;
        }
        return samples * 1000L / sampleRate;
    }

    /** A prompt {@link #say} played has ended; the listener hears no prompt once none plays. */
    void played(Action.Say s, SpeechListener listener) {
        playing--;
        turns.played(s);
        if (playing == 0 && listener != null) {
            listener.promptPlaying(false);
        }
    }

    /** Plays audio that is not a dialog prompt (the voicemail); {@link #otherPlayed} when it ends. */
    Playback playOther(short[] pcm, AudioChannel channel) {
        Playback p = channel.play(pcm);
        playing++;
        return p;
    }

    void otherPlayed() {
        playing--;
    }

    boolean playing() {
        return playing > 0;
    }

    /** The prompt speech may stop now: playing, and said with barge-in; else null. */
    Action.Say interruptible() {
        return playing > 0 && lastSay != null && lastSay.bargeIn() ? lastSay : null;
    }

    /** Keeps {@code l} for when the prompt ends if that prompt takes no barge-in; false: listen now. */
    boolean deferListen(Action.Listen l) {
        if (playing > 0 && lastSay != null && !lastSay.bargeIn()) {
            deferredListen = l;
            return true;
        }
        return false;
    }

    /** The listen kept by {@link #deferListen}, once nothing plays; null if none or still playing. */
    Action.Listen takeDeferredListen() {
        if (playing == 0 && deferredListen != null) {
            Action.Listen l = deferredListen;
            deferredListen = null;
            return l;
        }
        return null;
    }

    void dropDeferredListen() {
        deferredListen = null;
    }
}
