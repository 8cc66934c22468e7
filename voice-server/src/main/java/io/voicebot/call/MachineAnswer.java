package io.voicebot.call;

import io.voicebot.speech.amd.AnsweringMachineDetector;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.speech.tts.TemplateException;
import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.Playback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A call's side of answering-machine detection: the answer held until the verdict, and after a machine the
 * campaign's voicemail, synthesized while the greeting plays and left after the beep. Without detection (inbound,
 * or a campaign without it) nothing is pending and nothing is held. {@link #accept} runs on the audio thread,
 * the rest on the call's serial executor.
 */
final class MachineAnswer {
    private static final Logger log = LoggerFactory.getLogger(MachineAnswer.class);

    /** An answer heard before the verdict, and when its result came. */
    record Held(Utterance utterance, long resultNanos) {}

    private final MachineDetection amd; // null: no answering-machine detection on this call
    private final CallContext ctx;
    private Held held;
    private String voicemailText;
    private CompletableFuture<short[]> voicemail;
    private boolean voicemailStarted;

    MachineAnswer(MachineDetection amd, CallContext ctx) {
        this.amd = amd;
        this.ctx = ctx;
    }

    /** The detection, or null when the call has none. */
    MachineDetection detection() {
        return amd;
    }

    /** One inbound frame (audio thread); what the detector decided, or null. */
    AnsweringMachineDetector.Event accept(short[] samples, int sampleRate) {
        return amd == null ? null : amd.accept(samples, sampleRate);
    }

    /** No verdict yet: whatever the callee says may be a machine's greeting. */
    boolean pending() {
        return amd != null && amd.pending();
    }

    /** Speech that began before a person's greeting ended was that greeting, not an answer. */
    boolean isGreeting(Utterance u) {
        return amd != null && amd.isGreeting(u);
    }

    void hold(Utterance u, long resultNanos) {
        held = new Held(u, resultNanos);
    }

    /** The answer held before a person's verdict, now released; null when none. */
    Held release() {
        Held h = held;
        held = null;
        return h;
    }

    boolean voicemailStarted() {
        return voicemailStarted;
    }

    /**
     * A machine answered: drops the held answer and starts synthesizing the voicemail; {@code ready} runs (on any
     * thread) once it is synthesized. False when the call is to hang up instead.
     */
    boolean machineAnswered(Map<String, String> vars, int sampleRate, Runnable ready) {
        held = null;
        if (amd.voicemailProblem() != null) {
            log.warn("the campaign leaves voicemails, but {}: hanging up", amd.voicemailProblem());
        }
        if (!amd.leavesVoicemail()) {
            return false;
        }
        try {
            voicemailText = amd.voicemailText(vars);
        } catch (TemplateException ex) {
            log.warn("voicemail not left: {}", ex.getMessage());
            return false;
        }
        // Synthesized while the machine's greeting plays, so it is ready at the beep. A copy times out, not the
        // prompt cache's shared future.
        voicemail = ctx.prompts().render(voicemailText, sampleRate).copy()
                .orTimeout(ctx.synthesisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        voicemail.whenComplete((pcm, ex) -> ready.run());
        return true;
    }

    /** Synthesized, the greeting over, and not left yet. */
    boolean voicemailReady() {
        return !voicemailStarted && voicemail != null && voicemail.isDone() && amd.greetingEnd() != null;
    }

    /**
     * Plays the voicemail, cut to the campaign's limit, and notes it in the call's turns; {@code played} runs (on any
     * thread) when it has played. False when it could not be synthesized: the call hangs up instead.
     */
    boolean leaveVoicemail(AudioChannel channel, PromptPlayer player, TurnLog turns, Runnable played) {
        short[] pcm;
        try {
            voicemailStarted = true;
            pcm = amd.fit(voicemail.join(), channel.sampleRate());
        } catch (CompletionException ex) {
            log.warn("voicemail not left: cannot synthesize it: {}", ex.getCause());
            return false;
        }
        Playback p = player.playOther(pcm, channel);
        long ms = pcm.length * 1000L / channel.sampleRate();
        log.info("leaves the voicemail ({} ms)", ms);
        turns.voicemail(voicemailText, ms);
        p.done().whenComplete((completed, e) -> played.run());
        return true;
    }
}
