package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Turn;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.store.CallStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * A call's stored turns: each dialog turn with the prompt it answers (what the robot said since the previous input),
 * the caller's timing, and the prompts a barge-in or hang-up cut short. Owned by the call's serial executor.
 */
final class TurnLog {
    private final CallStore store;
    private final long callId;
    private final Clock clock;

    private final List<String> spokenSinceInput = new ArrayList<>();
    private String fillerSinceInput; // the late-prompt line, said since the last input
    private String lastFiller; // ... for the next stored turn's note
    private String lastPromptText;
    private Instant lastPromptAt;
    private long lastPromptMs;
    private Action.Say lastSaid;
    private int storedTurns;
    private int seq;
    private Utterance lastUtterance;
    // Prompts queued and not yet played to their end, and those cut (for the next stored turn; results and QA).
    private final Map<Action.Say, String> unplayed = new IdentityHashMap<>();
    private String cutBy;
    private final List<String> cutTexts = new ArrayList<>();
    private long speechEndNanos; // the caller's last answer ended then (System.nanoTime()); 0: measured
    private final List<CallSession.Latency> latencies = new ArrayList<>(); // guarded by this

    TurnLog(CallStore store, long callId, Clock clock) {
        this.store = store;
        this.callId = callId;
        this.clock = clock;
    }

    /** A prompt of {@code ms} started playing. */
    void said(Action.Say s, String text, long ms) {
        unplayed.put(s, text);
        spokenSinceInput.add(text);
        lastPromptAt = clock.instant();
        lastPromptMs = ms;
        lastSaid = s;
    }

    /**
     * A neutral line played while the turn's prompt was late: noted on the turn that answers it (the turn's note), not
     * mixed into the prompt text, which stays the dialog's words.
     */
    void filler(String logged) {
        fillerSinceInput = logged;
    }

    long lastPromptMs() {
        return lastPromptMs;
    }

    /** The caller's answer ended at {@code nanos} (System.nanoTime()): the next prompt's latency counts from it. */
    void speechEnded(long nanos) {
        speechEndNanos = nanos;
    }

    /**
     * The prompt ending with {@code done}, whose first frame went out at {@code startedNanos} (0 before), is the
     * robot's answer to the caller's last one: its latency is kept once it has ended.
     */
    void answering(CompletableFuture<Boolean> done, LongSupplier startedNanos) {
        if (speechEndNanos != 0) {
            long end = speechEndNanos;
            speechEndNanos = 0;
            done.whenComplete((ok, e) -> recordLatency(end, startedNanos.getAsLong()));
        }
    }

    /** The whole length of {@code s}, said before its later sentences were synthesized, if it is the last said. */
    void promptLength(Action.Say s, long ms) {
        if (lastSaid == s) {
            lastPromptMs = ms;
        }
    }

    synchronized List<CallSession.Latency> latencies() {
        return List.copyOf(latencies);
    }

    private synchronized void recordLatency(long speechEnd, long firstFrame) {
        if (firstFrame != 0) {
            latencies.add(new CallSession.Latency(speechEnd, firstFrame));
        }
    }

    /** A prompt's playback ended (to its end or not). */
    void played(Action.Say s) {
        unplayed.remove(s);
    }

    /** The caller's input the next dialog turns come from. */
    void heard(Utterance u) {
        lastUtterance = u;
    }

    /** What the robot said since the last input: the prompt that the next turns answer. */
    void takePrompt() {
        if (!spokenSinceInput.isEmpty()) {
            lastPromptText = String.join(" ", spokenSinceInput);
            spokenSinceInput.clear();
        }
        if (fillerSinceInput != null) {
            lastFiller = fillerSinceInput;
            fillerSinceInput = null;
        }
    }

    /** Stores the run's turns not stored yet. */
    void storeNew(List<Turn> turns) {
        for (; storedTurns < turns.size(); storedTurns++) {
            Turn t = turns.get(storedTurns);
            CallStore.InputMode mode = switch (t.mode()) {
                case SPEECH -> CallStore.InputMode.SPEECH;
                case DTMF -> CallStore.InputMode.DTMF;
                default -> CallStore.InputMode.NONE;
            };
            Utterance u = t.mode() == Turn.Mode.SPEECH || t.mode() == Turn.Mode.DTMF
                    || t.mode() == Turn.Mode.NO_INPUT ? lastUtterance : null;
            Instant at = lastPromptAt != null ? lastPromptAt : t.at();
            String note = t.note();
            if (lastFiller != null) {
                note = note == null ? lastFiller : lastFiller + "; " + note;
                lastFiller = null;
            }
            store.insertTurn(new CallStore.Turn(callId, ++seq,
                    lastPromptText == null ? t.prompt() : lastPromptText,
                    t.transcript(), t.mode() == Turn.Mode.SPEECH || t.mode() == Turn.Mode.DTMF ? t.confidence() : null,
                    t.intent(), mode, at, (int) lastPromptMs,
                    u == null || u.kind() != Utterance.Kind.SPEECH ? null : (int) u.startMs(),
                    u == null || u.kind() != Utterance.Kind.SPEECH ? null : (int) u.endMs(),
                    u == null || u.kind() != Utterance.Kind.SPEECH ? null : (int) u.latencyMs(),
                    t.stepId(), note, cutBy, cutTexts.isEmpty() ? null : String.join(" ", cutTexts)));
            cutBy = null;
            cutTexts.clear();
        }
    }

    /** The prompts still playing will not play to their end: kept with the next stored turn. */
    void cut(String by) {
        if (!unplayed.isEmpty()) {
            cutBy = by;
            cutTexts.addAll(unplayed.values());
            unplayed.clear();
        }
    }

    /** The voicemail left on an answering machine. */
    void voicemail(String text, long ms) {
        store.insertTurn(new CallStore.Turn(callId, ++seq, text, null, null, null, CallStore.InputMode.NONE,
                clock.instant(), (int) ms, null, null, null));
    }

    /** A turn of a warm transfer's callback offer ({@link TransferHandoff.TurnSink}). */
    void handoff(String transcript, Double confidence, String intent, CallStore.InputMode mode, String note) {
        store.insertTurn(new CallStore.Turn(callId, ++seq, lastPromptText, transcript, confidence, intent, mode,
                clock.instant(), (int) lastPromptMs, null, null, null, TransferHandoff.STEP, note, null, null));
    }
}
