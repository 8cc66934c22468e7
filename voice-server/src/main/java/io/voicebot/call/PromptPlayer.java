package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.Playback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * What a call plays: each robot turn's prompts rendered together ({@link PromptBatch}, with the {@link LatePrompt}
 * line meanwhile when they are late), played one after another, and the count of playbacks not yet finished (a
 * listen without barge-in waits for it). Owned by the call's serial executor, like {@link CallSession}.
 */
final class PromptPlayer {
    private static final Logger log = LoggerFactory.getLogger(PromptPlayer.class);

    private final CallContext ctx;
    private final TurnLog turns;
    private final String dialogName;

    private int playing; // playbacks queued and not finished
    private Action.Say lastSay;
    private Action.Listen deferredListen;

    PromptPlayer(CallContext ctx, TurnLog turns, String dialogName) {
        this.ctx = ctx;
        this.turns = turns;
        this.dialogName = dialogName;
    }

    /** Renders the Say actions among {@code actions}; a late turn says the filler first unless the call ended. */
    Map<Action.Say, PromptBatch.Rendered> render(List<Action> actions, AudioChannel channel, BooleanSupplier ended) {
        return PromptBatch.render(actions, dialogName, ctx.prompts(), channel.sampleRate(), ctx.synthesisTimeout(),
                ctx.latePrompt(), pcm -> sayFiller(pcm, channel, ended));
    }

    /** The turn's prompt is late: a neutral line meanwhile (LatePrompt), logged as such. */
    private void sayFiller(short[] pcm, AudioChannel channel, BooleanSupplier ended) {
        if (ended.getAsBoolean()) {
            return;
        }
        log.info("prompt not ready after {} ms: saying \"{}\" meanwhile", ctx.latePrompt().toMillis(), LatePrompt.TEXT);
        channel.play(pcm);
        turns.filler(LatePrompt.LOGGED);
    }

    /** Plays {@code s}; {@code done} gets it and whether it played in full, on the thread that ends the playback. */
    void say(Action.Say s, PromptBatch.Rendered prompt, AudioChannel channel, SpeechListener listener,
             BiConsumer<Action.Say, Boolean> done) {
        String text = prompt.text();
        short[] pcm = prompt.audio().join(); // completed by PromptBatch.render
        Playback p = channel.play(pcm);
        playing++;
        lastSay = s;
        turns.said(s, text, pcm.length * 1000L / channel.sampleRate());
        listener.promptPlaying(true);
        turns.answering(p);
        log.debug("says [{}] ({} ms)", s.stepId(), turns.lastPromptMs());
        p.done().whenComplete((completed, e) -> done.accept(s, Boolean.TRUE.equals(completed)));
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
