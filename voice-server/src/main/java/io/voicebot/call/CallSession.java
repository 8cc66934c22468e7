package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.Outcome;
import io.voicebot.dialog.Turn;
import io.voicebot.log.CallLog;
import io.voicebot.speech.amd.AnsweringMachineDetector;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.speech.asr.TurnCallback;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.speech.asr.Vocabulary;
import io.voicebot.speech.tts.PromptTemplate;
import io.voicebot.speech.tts.TemplateException;
import io.voicebot.store.CallStore;
import io.voicebot.store.DecisionStore;
import io.voicebot.store.DncStore;
import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.AudioListener;
import io.voicebot.telephony.audiosocket.Playback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call in progress: the only place where audio, recognition, the dialog, synthesis and the store meet.
 * Everything but {@link #onAudio} runs on the call's own serial executor, so the state below needs no locks;
 * audio frames go straight to the {@link SpeechListener} (and, on a campaign call, the answering-machine
 * detector), which return at once.
 * <p>
 * With answering-machine detection the dialog still starts at once, so a person never waits in silence. Until the
 * verdict, speech over a prompt does not stop it and a recognized answer is held: a machine's greeting must not
 * pass for the callee's answer. A person's verdict releases the answer, unless it was the greeting itself; a
 * machine's stops the dialog, then the call hangs up or leaves the campaign's voicemail after the beep.
 */
public final class CallSession implements AudioListener {
    private static final Logger log = LoggerFactory.getLogger(CallSession.class);
    private static final Duration INTER_DIGIT_TIMEOUT = Duration.ofSeconds(3);

    /** Where the call is. */
    public enum State {
        /** The AGI answered; Asterisk has not connected the audio yet. */
        AWAITING_AUDIO,
        /** The dialog is running: prompts play, the caller is listened to. */
        TALKING,
        /** An answering machine answered: the dialog stopped; the voicemail waits for the beep, then plays. */
        MACHINE,
        /** The dialog ended; the last prompt is still playing. */
        ENDING,
        /** Audio closed; {@link #result()} is complete. */
        ENDED
    }

    /** What the dialplan does next: {@code next} is "hangup", "queue" or "error". */
    public record Result(Outcome outcome, String next, String queue, String error) {}

    /** A turn's latency: from the end of the caller's speech to the first frame of the robot's answer. */
    public record Latency(long speechEndNanos, long firstFrameNanos) {
        public long millis() {
            return TimeUnit.NANOSECONDS.toMillis(firstFrameNanos - speechEndNanos);
        }
    }

    private final UUID id;
    private final CallStore.CallRecord record;
    private final Dialog dialog;
    private final DialogRun run;
    private final Map<String, String> contactVars;
    private final CallContext ctx;
    private final MachineDetection amd; // null: no answering-machine detection on this call
    private final SerialExecutor serial;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final List<Latency> latencies = new ArrayList<>();

    private volatile SpeechListener listener;
    private volatile AudioChannel channel;
    private volatile boolean dtmfAllowed;
    private volatile io.voicebot.transfer.TransferDesk transfers; // null: blind transfers as before
    private TransferHandoff handoff; // the warm transfer under way, once the dialog asked for one

    // Owned by the serial executor.
    private State state = State.AWAITING_AUDIO;
    private int playing; // playbacks queued and not finished
    private Action.Say lastSay;
    private final List<String> spokenSinceInput = new ArrayList<>();
    private String lastPromptText;
    private Instant lastPromptAt;
    private long lastPromptMs;
    private Action.Listen deferredListen;
    private Action.Listen currentListen;
    private PromptLookahead lookahead;
    private StringBuilder digits;
    private boolean disclosurePlayed;
    private long speechEndNanos;
    private int storedTurns;
    private int turnSeq;
    private Utterance lastUtterance;
    private Result pendingResult;
    private Utterance heldUtterance; // heard before the answering-machine verdict
    private long heldNanos;
    private String voicemailText;
    private CompletableFuture<short[]> voicemail;
    private boolean voicemailStarted;
    // Prompts queued and not yet played to their end, and those cut (for the next stored turn; results and QA).
    private final Map<Action.Say, String> unplayed = new IdentityHashMap<>();
    private String cutBy;
    private final List<String> cutTexts = new ArrayList<>();

    /** {@code zone}: the caller's time zone, for times the caller says ("call me tomorrow at ten"). */
    CallSession(UUID id, CallStore.CallRecord record, Dialog dialog, Map<String, String> contactVars, CallContext ctx,
                MachineDetection amd, java.time.ZoneId zone) {
        this.id = id;
        this.record = record;
        this.dialog = dialog;
        this.run = dialog.newRun(ctx.clock(), zone);
        this.contactVars = Map.copyOf(contactVars);
        this.ctx = ctx;
        this.amd = amd;
        this.serial = new SerialExecutor(ctx.executor(), id.toString(), this::fail);
    }

    public UUID id() {
        return id;
    }

    public CompletableFuture<Result> result() {
        return result;
    }

    /** Answers given so far, by question key. */
    public Map<String, String> answers() {
        return run.answers();
    }

    public synchronized List<Latency> latencies() {
        return List.copyOf(latencies);
    }

    boolean disclosurePlayed() {
        return disclosurePlayed;
    }

    /** The call's answering-machine detection, when it has one. */
    Optional<MachineDetection> machineDetection() {
        return Optional.ofNullable(amd);
    }

    /** Asterisk connected the audio for this call. */
    void attach(AudioChannel ch) {
        channel = ch;
        // The dialog starts with the first audio frame, when the channel's sample rate is known; a channel that
        // sends no audio at all still gets its greeting after a short wait.
        ctx.scheduler().schedule(() -> serial.execute(this::startIfIdle), 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onAudio(short[] samples, int sampleRate) {
        SpeechListener l = listener;
        if (l == null) {
            synchronized (this) {
                if (listener == null) {
                    listener = new SpeechListener(ctx.recognizer(), sampleRate, ctx.turnOptions());
                    serial.execute(this::startIfIdle);
                }
                l = listener;
            }
        }
        l.accept(samples, 0, samples.length);
        if (amd != null) {
            AnsweringMachineDetector.Event e = amd.accept(samples, sampleRate);
            if (e != null) {
                serial.execute(() -> machineEvent(e));
            }
        }
    }

    @Override
    public void onDtmf(char digit) {
        SpeechListener l = listener;
        if (l != null && dtmfAllowed) {
            l.onDtmf(digit);
        }
    }

    @Override
    public void onHangup() {
        serial.execute(() -> audioClosed(null));
    }

    /** Asterisk's side of the audio went silent (no frames, connection open): the call ends as media_timeout. */
    @Override
    public void onMediaTimeout(long silentMs) {
        serial.execute(() -> {
            if (state != State.ENDED) {
                log.warn("no audio from Asterisk for {} ms in dialog {}: the call ends as media_timeout", silentMs,
                        dialog.name());
                state = State.ENDED;
                if (listener != null) {
                    listener.close();
                }
                storeNewTurns();
                result.complete(new Result(Outcome.MEDIA_TIMEOUT, "error", null, "media_timeout"));
            }
        });
    }

    private void startIfIdle() {
        if (state != State.AWAITING_AUDIO) {
            return;
        }
        synchronized (this) {
            if (listener == null) {
                listener = new SpeechListener(ctx.recognizer(), channel.sampleRate(), ctx.turnOptions());
            }
        }
        state = State.TALKING;
        try (CallLog ignored = CallLog.call(id.toString())) {
            log.info("dialog {} starts", dialog.name());
            List<Action> first = run.start(contactVars);
            takePrompt();
            storeNewTurns();
            perform(first);
        }
    }

    private void perform(List<Action> actions) {
        Map<Action.Say, PendingPrompt> prompts = renderAll(actions);
        for (Action a : actions) {
            if (state == State.ENDED) {
                return;
            }
            if (a instanceof Action.Say s) {
                say(s, prompts.get(s));
            } else if (a instanceof Action.Listen l) {
                if (playing > 0 && lastSay != null && !lastSay.bargeIn()) {
                    deferredListen = l; // no barge-in: listen once the prompt has played
                } else {
                    listen(l);
                }
            } else if (a instanceof Action.RecordAnswer r) {
                ctx.store().saveAnswer(new CallStore.Answer(record.id(), r.key(), r.value(), r.confidence(),
                        r.confirmed(), ctx.clock().instant()));
            } else if (a instanceof Action.OptOut o) {
                optOut(o);
            } else if (a instanceof Action.Decision d) {
                ctx.store().decisions().insert(new DecisionStore.Decision(record.id(), d.stepId(), d.intent(),
                        d.acted(), d.reason(), ctx.clock().instant()));
            } else if (a instanceof Action.ScheduleCallback cb) {
                ctx.followups().create(record.id(), "callback", cb.at(), cb.text());
            } else if (a instanceof Action.CreateTask t) {
                ctx.followups().create(record.id(), t.type(), null, Json.write(t.details()));
            } else if (a instanceof Action.Webhook w) {
                webhook(w);
            } else if (a instanceof Action.Transfer t) {
                String queue = t.queue() == null || t.queue().isBlank() ? ctx.defaultQueue() : t.queue();
                if (transfers != null && handoff == null) {
                    startHandoff(t, queue); // warm transfer: queue check first (TransferHandoff)
                } else {
                    finish(new Result(Outcome.TRANSFERRED, "queue", queue, null));
                }
            } else if (a instanceof Action.Hangup h) {
                finish(new Result(h.outcome(), "hangup", null, null));
            }
        }
    }

    private record PendingPrompt(String text, CompletableFuture<short[]> audio) {}

    /**
     * Starts synthesizing every prompt of one robot turn at once and waits until all are ready: played one by
     * one as each became ready, a slow second prompt ("Thank you." ... "How would you rate us?") would leave a
     * silence in which the caller takes the robot to be done and answers before it listens.
     */
    private Map<Action.Say, PendingPrompt> renderAll(List<Action> actions) {
        Map<Action.Say, PendingPrompt> out = new IdentityHashMap<>();
        for (Action a : actions) {
            if (a instanceof Action.Say s) {
                String text = PromptTemplate.parse(dialog.name() + ":" + s.stepId(), s.template()).render(s.vars());
                out.put(s, new PendingPrompt(text, ctx.prompts().render(text, channel.sampleRate())));
            }
        }
        long deadline = System.nanoTime() + ctx.synthesisTimeout().toNanos();
        for (Map.Entry<Action.Say, PendingPrompt> e : out.entrySet()) {
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

    private void say(Action.Say s, PendingPrompt prompt) {
        String text = prompt.text();
        short[] pcm = prompt.audio().join(); // completed by renderAll
        Playback p = channel.play(pcm);
        playing++;
        unplayed.put(s, text);
        lastSay = s;
        spokenSinceInput.add(text);
        lastPromptAt = ctx.clock().instant();
        lastPromptMs = pcm.length * 1000L / channel.sampleRate();
        listener.promptPlaying(true);
        if (speechEndNanos != 0) {
            long end = speechEndNanos;
            speechEndNanos = 0;
            p.done().whenComplete((ok, e) -> recordLatency(end, p.startedNanos()));
        }
        log.debug("says [{}] ({} ms)", s.stepId(), lastPromptMs);
        p.done().whenComplete((completed, e) -> serial.execute(() -> playbackDone(s, Boolean.TRUE.equals(completed))));
    }

    private synchronized void recordLatency(long speechEnd, long firstFrame) {
        if (firstFrame != 0) {
            latencies.add(new Latency(speechEnd, firstFrame));
        }
    }

    private void playbackDone(Action.Say s, boolean completed) {
        playing--;
        unplayed.remove(s);
        if (playing == 0 && listener != null) {
            listener.promptPlaying(false);
        }
        if (state == State.ENDED || state == State.MACHINE) {
            return;
        }
        if (state == State.ENDING) {
            if (playing == 0) {
                closeAudio();
            }
            return;
        }
        if (s.nonInterruptible()) {
            if (completed && handoff == null) { // a transfer's wait announcement is no disclosure
                disclosurePlayed = true;
            }
            advance(new Input.PlaybackFinished(s.stepId(), completed));
        }
        if (playing == 0 && deferredListen != null) {
            Action.Listen l = deferredListen;
            deferredListen = null;
            listen(l);
        }
    }

    private void listen(Action.Listen l) {
        if (lookahead == null) {
            lookahead = new PromptLookahead(ctx.prompts(), dialog, channel.sampleRate());
        }
        lookahead.ahead(run.vars()); // prompts the answers so far complete render while the caller speaks
        currentListen = l;
        dtmfAllowed = l.dtmfAllowed();
        Vocabulary vocabulary = new Vocabulary(l.phrases(), l.repeat(), l.secondary());
        TurnOptions options = ctx.turnOptions();
        if (l.noInputTimeout() != null) {
            options = options.withNoInput(l.noInputTimeout());
        }
        startTurn(vocabulary, options);
    }

    private void startTurn(Vocabulary vocabulary, TurnOptions options) {
        if (listener.isListening()) {
            listener.cancel();
        }
        listener.listen(vocabulary, options, new TurnCallback() {
            @Override
            public void onBargeIn(long speechStartMs, long atMs) {
                serial.execute(() -> bargeIn());
            }

            @Override
            public void onResult(Utterance u) {
                long endNanos = System.nanoTime();
                serial.execute(() -> heard(u, endNanos));
            }

            @Override
            public void onError(Exception error) {
                serial.execute(() -> fail(error));
            }
        });
    }

    private void bargeIn() {
        if (amd != null && amd.pending()) {
            log.debug("speech over the prompt before the answering-machine verdict: the prompt goes on");
            return;
        }
        if (state == State.TALKING && playing > 0 && lastSay != null && lastSay.bargeIn()) {
            log.debug("barge-in: prompt of step '{}' stopped", lastSay.stepId());
            cut("barge_in");
            channel.stopPlayback();
        }
    }

    private void heard(Utterance u, long resultNanos) {
        if (state != State.TALKING || currentListen == null) {
            return;
        }
        if (amd != null && amd.pending()) {
            heldUtterance = u;
            heldNanos = resultNanos;
            log.debug("heard {} before the answering-machine verdict: held", u.kind());
            return;
        }
        if (amd != null && amd.isGreeting(u)) {
            log.info("the callee's greeting is not an answer: listening again");
            listen(currentListen);
            return;
        }
        Action.Listen l = currentListen;
        if (u.kind() == Utterance.Kind.DTMF && l.maxDigits() > 1) {
            if (collectDigit(u, l)) {
                return;
            }
        } else if (digits != null && u.kind() == Utterance.Kind.NO_INPUT) {
            u = new Utterance(Utterance.Kind.DTMF, digits.toString(), 1, u.startMs(), u.endMs(), 0, '\0', false,
                    List.of());
        }
        digits = null;
        currentListen = null;
        dtmfAllowed = false;
        lastUtterance = u;
        Input input = switch (u.kind()) {
            case SPEECH -> new Input.Speech(u.text(), Math.max(0, Math.min(1, u.confidence())));
            case DTMF -> new Input.Dtmf(u.text());
            case NO_INPUT -> new Input.NoInput();
        };
        if (u.kind() != Utterance.Kind.NO_INPUT) {
            // The caller stopped speaking this long before the result arrived (trailing silence + decoding).
            long speechEndAgo = u.kind() == Utterance.Kind.SPEECH
                    ? TimeUnit.MILLISECONDS.toNanos(Math.max(0, listener.nowMs() - u.endMs())) : 0;
            speechEndNanos = resultNanos - speechEndAgo;
        }
        advance(input);
    }

    /** What the answering-machine detector found: a verdict, then (after a machine) the end of its greeting. */
    private void machineEvent(AnsweringMachineDetector.Event e) {
        log.info("answering-machine detection: {}", e);
        if (e instanceof AnsweringMachineDetector.Decision d) {
            if (state != State.TALKING) {
                return; // the dialog ended first; the verdict is still stored with the attempt
            }
            if (d.verdict() == AnsweringMachineDetector.Verdict.MACHINE) {
                machineAnswered();
            } else if (heldUtterance != null) {
                Utterance u = heldUtterance;
                heldUtterance = null;
                if (!amd.isGreeting(u)) {
                    bargeIn(); // held back with the answer; applies now that it counts
                }
                heard(u, heldNanos);
            }
        } else if (state == State.MACHINE) {
            leaveVoicemail();
        }
    }

    /** The dialog stops where it is; the campaign says whether to hang up or to leave a voicemail. */
    private void machineAnswered() {
        state = State.MACHINE;
        heldUtterance = null;
        currentListen = null;
        deferredListen = null;
        dtmfAllowed = false;
        listener.cancel();
        channel.stopPlayback();
        if (amd.voicemailProblem() != null) {
            log.warn("the campaign leaves voicemails, but {}: hanging up", amd.voicemailProblem());
        }
        if (!amd.leavesVoicemail()) {
            finish(new Result(Outcome.MACHINE, "hangup", null, null));
            return;
        }
        try {
            voicemailText = amd.voicemailText(run.vars());
        } catch (TemplateException ex) {
            log.warn("voicemail not left: {}", ex.getMessage());
            finish(new Result(Outcome.MACHINE, "hangup", null, null));
            return;
        }
        // Synthesized while the machine's greeting plays, so it is ready at the beep. A copy times out, not the
        // prompt cache's shared future.
        voicemail = ctx.prompts().render(voicemailText, channel.sampleRate()).copy()
                .orTimeout(ctx.synthesisTimeout().toMillis(), TimeUnit.MILLISECONDS);
        voicemail.whenComplete((pcm, ex) -> serial.execute(this::leaveVoicemail));
    }

    /** Plays the voicemail, cut to the campaign's limit, once the machine's greeting has ended and it is ready. */
    private void leaveVoicemail() {
        if (state != State.MACHINE || voicemailStarted || voicemail == null || !voicemail.isDone()
                || amd.greetingEnd() == null) {
            return;
        }
        voicemailStarted = true;
        short[] pcm;
        try {
            pcm = amd.fit(voicemail.join(), channel.sampleRate());
        } catch (CompletionException ex) {
            log.warn("voicemail not left: cannot synthesize it: {}", ex.getCause());
            finish(new Result(Outcome.MACHINE, "hangup", null, null));
            return;
        }
        Playback p = channel.play(pcm);
        playing++;
        long ms = pcm.length * 1000L / channel.sampleRate();
        log.info("leaves the voicemail ({} ms)", ms);
        ctx.store().insertTurn(new CallStore.Turn(record.id(), ++turnSeq, voicemailText, null, null, null,
                CallStore.InputMode.NONE, ctx.clock().instant(), (int) ms, null, null, null));
        p.done().whenComplete((completed, e) -> serial.execute(() -> {
            playing--;
            finish(new Result(Outcome.VOICEMAIL, "hangup", null, null));
        }));
    }

    /** Feeds the run; its new turns are stored with the prompt they answer, then its actions are performed. */
    private void advance(Input input) {
        if (handoff != null) {
            takePrompt();
            perform(handoff.onInput(input));
            return;
        }
        takePrompt();
        List<Action> actions = run.onInput(input);
        storeNewTurns();
        perform(actions);
    }

    /** What the robot said since the last input: the prompt that the next turns answer. */
    private void takePrompt() {
        if (!spokenSinceInput.isEmpty()) {
            lastPromptText = String.join(" ", spokenSinceInput);
            spokenSinceInput.clear();
        }
    }

    /** Keys of a multi-digit answer: true while more are expected. */
    private boolean collectDigit(Utterance u, Action.Listen l) {
        if (digits == null) {
            digits = new StringBuilder();
        }
        char key = u.dtmf();
        if (key != '#') {
            digits.append(key);
        }
        if (key == '#' || digits.length() >= l.maxDigits()) {
            return false;
        }
        startTurn(new Vocabulary(List.of(), false), ctx.turnOptions().withNoInput(INTER_DIGIT_TIMEOUT));
        return true;
    }

    private void optOut(Action.OptOut o) {
        String phone = record.direction() == CallStore.Direction.OUTBOUND ? record.calledNumber()
                : record.callerNumber();
        if (phone == null || phone.isBlank()) {
            log.warn("opt-out requested but the call has no number to record");
            return;
        }
        // Lenient form: an opt-out is kept even for a number libphonenumber does not consider valid.
        boolean added = ctx.dnc().add(new DncStore.Entry(ctx.phones().canonical(phone), o.reason(), "dialog",
                record.id(), ctx.clock().instant(), null));
        log.info("opt-out recorded{}", added ? "" : " (number was already on the do-not-call list)");
    }

    private void webhook(Action.Webhook w) {
        ctx.webhooks().post(w.url(), w.payload()).whenComplete((values, e) -> serial.execute(() -> {
            if (state != State.TALKING) {
                return;
            }
            if (e != null) {
                log.warn("webhook of step '{}' failed: {}", w.stepId(), e.getMessage());
            }
            advance(new Input.WebhookResult(w.stepId(), e == null, e == null ? values : Map.of()));
        }));
    }

    private void storeNewTurns() {
        List<Turn> turns = run.turns();
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
            ctx.store().insertTurn(new CallStore.Turn(record.id(), ++turnSeq,
                    lastPromptText == null ? t.prompt() : lastPromptText,
                    t.transcript(), t.mode() == Turn.Mode.SPEECH || t.mode() == Turn.Mode.DTMF ? t.confidence() : null,
                    t.intent(), mode, at, (int) lastPromptMs,
                    u == null || u.kind() != Utterance.Kind.SPEECH ? null : (int) u.startMs(),
                    u == null || u.kind() != Utterance.Kind.SPEECH ? null : (int) u.endMs(),
                    u == null || u.kind() != Utterance.Kind.SPEECH ? null : (int) u.latencyMs(),
                    t.stepId(), t.note(), cutBy, cutTexts.isEmpty() ? null : String.join(" ", cutTexts)));
            cutBy = null;
            cutTexts.clear();
        }
    }

    /** The prompts still playing will not play to their end: kept with the next stored turn. */
    private void cut(String by) {
        if (!unplayed.isEmpty()) {
            cutBy = by;
            cutTexts.addAll(unplayed.values());
            unplayed.clear();
        }
    }

    private void finish(Result r) {
        if (state == State.ENDED || state == State.ENDING) {
            return;
        }
        pendingResult = r;
        state = State.ENDING;
        deferredListen = null;
        if (listener != null) {
            listener.cancel();
        }
        storeNewTurns();
        if (playing == 0) {
            closeAudio();
        }
    }

    /** The robot is done: end the AudioSocket session so that Asterisk's AudioSocket() returns to the AGI. */
    private void closeAudio() {
        state = State.ENDED;
        if (listener != null) {
            listener.close();
        }
        if (channel != null) {
            channel.hangup();
        }
        log.info("dialog {} ended: {} -> {}", dialog.name(), pendingResult.outcome().scriptName(),
                pendingResult.next());
        result.complete(pendingResult);
    }

    /**
     * Asterisk closed the audio: the caller hung up, or our own hangup frame went out; or ({@code why} set) the AGI
     * side gave up on the call.
     */
    private void audioClosed(String why) {
        if (state == State.ENDED) {
            return;
        }
        State was = state;
        state = State.ENDED;
        if (listener != null) {
            listener.close();
        }
        Result r = pendingResult;
        if (r == null && was == State.AWAITING_AUDIO) {
            // The dialog never started, so there is nothing to tell it. Without audio ever connected (Asterisk
            // could not reach our AudioSocket port: AudioSocket() returned -1 at once) it is voicebot's failure and
            // the dialplan hands the caller to a person; with audio connected the caller left before the greeting.
            r = channel == null
                    ? new Result(Outcome.FAILED, "error", null, why != null ? why : "audio closed before it connected")
                    : new Result(Outcome.HUNG_UP, "hangup", null, null);
            log.info("call ended before dialog {} started: {}", dialog.name(), r.outcome().scriptName());
        } else if (r == null && was == State.MACHINE) {
            r = new Result(voicemailStarted ? Outcome.VOICEMAIL : Outcome.MACHINE, "hangup", null, null);
            log.info("the answering machine hung up: {}", r.outcome().scriptName());
        } else if (r == null) {
            takePrompt();
            cut("hangup");
            run.onInput(new Input.Hangup());
            storeNewTurns();
            Outcome o = run.outcome() == null ? Outcome.HUNG_UP : run.outcome();
            r = new Result(o, "hangup", null, null);
            log.info("caller hung up during dialog {}: {}", dialog.name(), o.scriptName());
        }
        result.complete(r);
    }

    /** Audio never came or the call is being torn down by the AGI side. */
    void abandon(String why) {
        serial.execute(() -> {
            if (state != State.ENDED) {
                log.warn("call abandoned: {}", why);
                audioClosed(why);
            }
        });
    }

    /** An error ends this call (never the server): logged once, reported to the dialplan as an outcome. */
    private void fail(Throwable error) {
        if (state == State.ENDED) {
            // Thrown while ending (storing the last turns, say): the result may still be open, and the AGI waits on it.
            if (result.complete(new Result(Outcome.FAILED, "error", null, error.getMessage()))) {
                try (CallLog ignored = CallLog.call(id.toString())) {
                    log.error("call failed while ending: {}", error.toString(), error);
                }
            }
            return;
        }
        try (CallLog ignored = CallLog.call(id.toString())) {
            log.error("call failed in step '{}': {}", run.currentStep(), error.toString(), error);
        }
        state = State.ENDED;
        if (listener != null) {
            listener.close();
        }
        if (channel != null) {
            channel.stopPlayback();
            channel.hangup();
        }
        result.complete(new Result(Outcome.FAILED, "error", null, error.getMessage()));
    }

    State state() {
        return state;
    }

    // ---- warm transfer (docs/transfer.md) ----

    void useTransfers(io.voicebot.transfer.TransferDesk desk) {
        this.transfers = desk;
    }

    /** The recorded hand-over to a queue, if the call ended with one. */
    io.voicebot.transfer.TransferDesk.Ticket transferTicket() {
        return handoff == null ? null : handoff.ticket();
    }

    private void startHandoff(Action.Transfer t, String queue) {
        boolean outbound = record.direction() == CallStore.Direction.OUTBOUND;
        Map<String, String> vars = run.vars();
        io.voicebot.transfer.TransferDesk.CallInfo info = new io.voicebot.transfer.TransferDesk.CallInfo(record.id(),
                id, dialog.name(), vars.get("name"), outbound ? record.calledNumber() : record.callerNumber(),
                run.answers(), record.attemptId() != null);
        handoff = new TransferHandoff(transfers, info, t, queue, dialog.yesNoGrammar(), this::handoffTurn,
                ctx.clock());
        transfers.check(queue).whenComplete((check, e) -> serial.execute(() -> {
            if (state == State.TALKING) {
                perform(handoff.onChecked(check));
            }
        }));
    }

    private void handoffTurn(String transcript, Double confidence, String intent, CallStore.InputMode mode,
                             String note) {
        ctx.store().insertTurn(new CallStore.Turn(record.id(), ++turnSeq, lastPromptText, transcript, confidence,
                intent, mode, ctx.clock().instant(), (int) lastPromptMs, null, null, null, TransferHandoff.STEP, note,
                null, null));
    }
}
