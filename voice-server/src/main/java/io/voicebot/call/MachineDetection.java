package io.voicebot.call;

import io.voicebot.speech.amd.AmdSettings;
import io.voicebot.speech.amd.AnsweringMachineDetector;
import io.voicebot.speech.amd.AnsweringMachineDetector.Decision;
import io.voicebot.speech.amd.AnsweringMachineDetector.GreetingEnd;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.speech.tts.PromptTemplate;
import io.voicebot.store.AttemptStore.MachinePolicy;

import java.util.Arrays;
import java.util.Map;

/**
 * Answering-machine detection for one outbound campaign call, and what its campaign wants done with a machine.
 * The detector hears the same inbound frames as the speech listener from the first one on, while the dialog
 * already greets; {@link #accept} runs on the audio thread, everything else on the call's serial executor.
 */
final class MachineDetection {
    /** A voicemail cut to the campaign's limit fades out over this long instead of stopping with a click. */
    private static final int FADE_MS = 50;

    private final AmdSettings settings;
    private final MachinePolicy policy;
    private AnsweringMachineDetector detector; // guarded by this; made with the first frame, whose rate it takes
    private volatile Decision decision;
    private volatile GreetingEnd greetingEnd;

    MachineDetection(AmdSettings settings, MachinePolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    /** One inbound frame; returns what it decided, for the call's executor, or null. */
    synchronized AnsweringMachineDetector.Event accept(short[] pcm, int sampleRate) {
        if (detector == null) {
            detector = new AnsweringMachineDetector(settings, sampleRate);
        }
        AnsweringMachineDetector.Event e = detector.accept(pcm);
        if (e instanceof Decision d) {
            decision = d;
        } else if (e instanceof GreetingEnd g) {
            greetingEnd = g;
        }
        return e;
    }

    /** No verdict yet: whatever the callee says may be a machine's greeting. */
    boolean pending() {
        return decision == null;
    }

    /** After MACHINE: how its greeting ended, or null while it goes on. */
    GreetingEnd greetingEnd() {
        return greetingEnd;
    }

    /** Speech that began before a person's greeting ended was that greeting ("hello?"), not an answer. */
    boolean isGreeting(Utterance u) {
        Decision d = decision;
        return d != null && d.verdict() == AnsweringMachineDetector.Verdict.HUMAN
                && u.kind() == Utterance.Kind.SPEECH && u.startMs() < d.greetingEndMs();
    }

    /** The campaign leaves a voicemail, and has a text and a time for it. */
    boolean leavesVoicemail() {
        return policy.action() == MachinePolicy.Action.VOICEMAIL && policy.voicemailText() != null
                && !policy.voicemailText().isBlank() && policy.voicemailMaxSeconds() > 0;
    }

    /** Why a voicemail campaign cannot leave one, or null when it can (or does not want to). */
    String voicemailProblem() {
        if (policy.action() != MachinePolicy.Action.VOICEMAIL || leavesVoicemail()) {
            return null;
        }
        return policy.voicemailMaxSeconds() <= 0 ? "its voicemail_max_s is 0" : "it has no voicemail_text";
    }

    /** The campaign's voicemail text with the call's variables (contact fields, dialog vars). */
    String voicemailText(Map<String, String> vars) {
        return PromptTemplate.parse("voicemail", policy.voicemailText()).render(vars);
    }

    /** {@code pcm} cut to the campaign's voicemail_max_s (with a short fade-out), or as it is when it fits. */
    short[] fit(short[] pcm, int sampleRate) {
        long max = (long) policy.voicemailMaxSeconds() * sampleRate;
        if (pcm.length <= max) {
            return pcm;
        }
        short[] cut = Arrays.copyOf(pcm, (int) max);
        int fade = Math.min(cut.length, sampleRate * FADE_MS / 1000);
        for (int i = 0; i < fade; i++) {
            int at = cut.length - fade + i;
            cut[at] = (short) (cut[at] * (fade - 1 - i) / fade);
        }
        return cut;
    }

    /** The call is over: its verdict, NOT_SURE when it ended before one. */
    synchronized Decision end() {
        if (detector == null) {
            detector = new AnsweringMachineDetector(settings, 8000); // no audio ever came
        }
        decision = detector.end();
        return decision;
    }

    /** The verdict and, after a machine, how its greeting ended, in words: the attempt's amd_detail. */
    synchronized String summary() {
        return detector == null ? null : detector.summary();
    }
}
