package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.Outcome;
import io.voicebot.log.CallLog;
import io.voicebot.speech.amd.AnsweringMachineDetector;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.speech.asr.TurnCallback;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.speech.asr.Vocabulary;
import io.voicebot.store.CallStore;
import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.AudioListener;
import io.voicebot.telephony.audiosocket.Playback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

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
    private final MachineAnswer machine;
    private final TurnLog turns;
    private final StoredActions stored;
    private final SerialExecutor serial;
    private final CallEnd end;

    private volatile SpeechListener listener;
    private volatile AudioChannel channel;
    private volatile boolean dtmfAllowed;
    private volatile io.voicebot.transfer.TransferDesk transfers; // null: blind transfers as before
    private TransferHandoff handoff; // the warm transfer under way, once the dialog asked for one

    // Owned by the serial executor.
    private State state = State.AWAITING_AUDIO;
    private final PromptPlayer player;
    private Action.Listen currentListen;
    private PromptLookahead lookahead;
    private final DigitCollector digits = new DigitCollector();
    private final KeyBuffer pendingKeys = new KeyBuffer();
    private boolean disclosurePlayed;

    /** {@code zone}: the caller's time zone, for times the caller says ("call me tomorrow at ten"). */
    CallSession(UUID id, CallStore.CallRecord record, Dialog dialog, Map<String, String> contactVars, CallContext ctx,
                MachineDetection amd, java.time.ZoneId zone) {
        this.id = id;
        this.record = record;
        this.dialog = dialog;
        this.run = dialog.newRun(ctx.clock(), zone);
        this.contactVars = Map.copyOf(contactVars);
        this.ctx = ctx;
        this.machine = new MachineAnswer(amd, ctx);
        this.turns = new TurnLog(ctx.store(), record.id(), ctx.clock());
        this.stored = new StoredActions(ctx, record);
        this.player = new PromptPlayer(ctx, turns, dialog.name());
        this.end = new CallEnd(id, dialog.name());
        this.serial = new SerialExecutor(ctx.executor(), id.toString(), this::fail);
    }

    public UUID id() {
        return id;
    }

    public CompletableFuture<Result> result() {
        return end.result();
    }

    /** Answers given so far, by question key. */
    public Map<String, String> answers() {
        return run.answers();
    }

    public List<Latency> latencies() {
        return turns.latencies();
    }

    boolean disclosurePlayed() {
        return disclosurePlayed;
    }

    /** The call's answering-machine detection, when it has one. */
    Optional<MachineDetection> machineDetection() {
        return Optional.ofNullable(machine.detection());
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
        AnsweringMachineDetector.Event e = machine.accept(samples, sampleRate);
        if (e != null) {
            serial.execute(() -> machineEvent(e));
        }
    }

    @Override
    public void onDtmf(char digit) {
        SpeechListener l = listener;
        if (l == null || !dtmfAllowed) {
            return;
        }
        if (pendingKeys.offer(digit, l)) {
            serial.execute(this::takePendingKey);
        }
    }

    /** On the call's executor: the oldest key still waiting goes to the turn now listening, if any. */
    private void takePendingKey() {
        pendingKeys.deliverNext(listener, state != State.ENDED && dtmfAllowed);
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
                state = State.ENDED;
                end.mediaTimeout(silentMs, listener, this::storeNewTurns);
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
            turns.takePrompt();
            turns.storeNew(run.turns());
            perform(first);
        }
    }

    private void perform(List<Action> actions) {
        Map<Action.Say, PromptBatch.Rendered> prompts = player.render(actions, channel, () -> state == State.ENDED,
                serial);
        for (Action a : actions) {
            if (state == State.ENDED) {
                return;
            }
            if (a instanceof Action.Say s) {
                player.say(s, prompts.get(s), channel, listener,
                        (said, completed) -> serial.execute(() -> playbackDone(said, completed)));
            } else if (a instanceof Action.Listen l) {
                if (!player.deferListen(l)) { // no barge-in: listen once the prompt has played
                    listen(l);
                }
            } else if (stored.apply(a)) {
                continue; // answers, decisions, opt-outs, callbacks, tasks: written down
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

    private void playbackDone(Action.Say s, boolean completed) {
        player.played(s, listener);
        if (state == State.ENDED || state == State.MACHINE) {
            return;
        }
        if (state == State.ENDING) {
            if (!player.playing()) {
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
        Action.Listen l = player.takeDeferredListen();
        if (l != null) {
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
        Vocabulary vocabulary = new Vocabulary(l.phrases(), l.repeat(), l.secondary(), l.meanings(), l.minLength(),
                l.maxLength());
        TurnOptions options = ctx.turnOptions().withEarlyMinConfidence(l.readBackBelow());
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
        takePendingKey();
    }

    private void bargeIn() {
        if (machine.pending()) {
            log.debug("speech over the prompt before the answering-machine verdict: the prompt goes on");
            return;
        }
        Action.Say cut = player.interruptible();
        if (state == State.TALKING && cut != null) {
            log.debug("barge-in: prompt of step '{}' stopped", cut.stepId());
            turns.cut("barge_in");
            channel.stopPlayback();
        }
    }

    private void heard(Utterance u, long resultNanos) {
        if (state != State.TALKING || currentListen == null) {
            return;
        }
        if (machine.pending()) {
            machine.hold(u, resultNanos);
            log.debug("heard {} before the answering-machine verdict: held", u.kind());
            return;
        }
        if (machine.isGreeting(u)) {
            log.info("the callee's greeting is not an answer: listening again");
            listen(currentListen);
            return;
        }
        Action.Listen l = currentListen;
        if (u.kind() == Utterance.Kind.DTMF && l.maxDigits() > 1 && digits.add(u.dtmf(), l.maxDigits())) {
            // more keys to come, each its own short turn
            startTurn(new Vocabulary(List.of(), false), ctx.turnOptions().withNoInput(INTER_DIGIT_TIMEOUT));
            return;
        }
        u = digits.complete(u); // every key of a number, not only the '#' or the last digit that ended it
        digits.reset();
        currentListen = null;
        dtmfAllowed = false;
        pendingKeys.clear();
        turns.heard(u);
        Input input = switch (u.kind()) {
            case SPEECH -> new Input.Speech(u.text(), Math.max(0, Math.min(1, u.confidence())));
            case DTMF -> new Input.Dtmf(u.text());
            case NO_INPUT -> new Input.NoInput();
        };
        if (u.kind() != Utterance.Kind.NO_INPUT) {
            // The caller stopped speaking this long before the result arrived (trailing silence + decoding).
            long speechEndAgo = u.kind() == Utterance.Kind.SPEECH
                    ? TimeUnit.MILLISECONDS.toNanos(Math.max(0, listener.nowMs() - u.endMs())) : 0;
            turns.speechEnded(resultNanos - speechEndAgo);
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
            } else {
                MachineAnswer.Held h = machine.release();
                if (h != null) {
                    if (!machine.isGreeting(h.utterance())) {
                        bargeIn(); // held back with the answer; applies now that it counts
                    }
                    heard(h.utterance(), h.resultNanos());
                }
            }
        } else if (state == State.MACHINE) {
            leaveVoicemail();
        }
    }

    /** The dialog stops where it is; the campaign says whether to hang up or to leave a voicemail. */
    private void machineAnswered() {
        state = State.MACHINE;
        currentListen = null;
        player.dropDeferredListen();
        dtmfAllowed = false;
        pendingKeys.clear();
        listener.cancel();
        channel.stopPlayback();
        if (!machine.machineAnswered(run.vars(), channel.sampleRate(), () -> serial.execute(this::leaveVoicemail))) {
            finish(new Result(Outcome.MACHINE, "hangup", null, null));
        }
    }

    /** Plays the voicemail, cut to the campaign's limit, once the machine's greeting has ended and it is ready. */
    private void leaveVoicemail() {
        if (state != State.MACHINE || !machine.voicemailReady()) {
            return;
        }
        short[] pcm;
        try {
            pcm = machine.takeVoicemail(channel.sampleRate());
        } catch (CompletionException ex) {
            log.warn("voicemail not left: cannot synthesize it: {}", ex.getCause());
            finish(new Result(Outcome.MACHINE, "hangup", null, null));
            return;
        }
        Playback p = player.playOther(pcm, channel);
        long ms = pcm.length * 1000L / channel.sampleRate();
        log.info("leaves the voicemail ({} ms)", ms);
        turns.voicemail(machine.voicemailText(), ms);
        p.done().whenComplete((completed, e) -> serial.execute(() -> {
            player.otherPlayed();
            finish(new Result(Outcome.VOICEMAIL, "hangup", null, null));
        }));
    }

    /** Feeds the run; its new turns are stored with the prompt they answer, then its actions are performed. */
    private void advance(Input input) {
        turns.takePrompt();
        if (handoff != null) {
            perform(handoff.onInput(input));
            return;
        }
        List<Action> actions = run.onInput(input);
        turns.storeNew(run.turns());
        perform(actions);
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
        turns.storeNew(run.turns());
    }

    private void finish(Result r) {
        if (state == State.ENDED || state == State.ENDING) {
            return;
        }
        end.ending(r);
        state = State.ENDING;
        player.dropDeferredListen();
        if (listener != null) {
            listener.cancel();
        }
        storeNewTurns();
        if (!player.playing()) {
            closeAudio();
        }
    }

    private void closeAudio() {
        state = State.ENDED;
        end.close(listener, channel);
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
        CallEnd.closeListener(listener);
        Result r = end.pending();
        if (r == null && was == State.AWAITING_AUDIO) {
            r = end.beforeStart(channel != null, why);
        } else if (r == null && was == State.MACHINE) {
            r = end.machineHungUp(machine.voicemailStarted());
        } else if (r == null && handoff != null) {
            // hung up during a warm transfer's announcement or callback offer: never reached the queue
            turns.takePrompt();
            turns.cut("hangup");
            handoff.callerHungUp().ifPresent(stored::apply);
            r = new Result(Outcome.HUNG_UP, "hangup", null, null);
            log.info("caller hung up during the transfer in dialog {}", dialog.name());
        } else if (r == null) {
            turns.takePrompt();
            turns.cut("hangup");
            run.onInput(new Input.Hangup());
            storeNewTurns();
            Outcome o = run.outcome() == null ? Outcome.HUNG_UP : run.outcome();
            r = new Result(o, "hangup", null, null);
            log.info("caller hung up during dialog {}: {}", dialog.name(), o.scriptName());
        }
        end.result().complete(r);
    }

    /** Audio never came or the call is being torn down by the AGI side. */
    void abandon(String why) {
        serial.execute(() -> {
            if (state != State.ENDED) {
                log.warn("call abandoned: {}", why);
                audioClosed(why);
                if (channel != null) {
                    channel.hangup(); // the AGI side is gone: end the media too, or the line stays open and silent
                }
            }
        });
    }

    /** An error ends this call (never the server): logged once, reported to the dialplan as an outcome. */
    private void fail(Throwable error) {
        if (state == State.ENDED) {
            end.failedWhileEnding(error);
            return;
        }
        state = State.ENDED;
        end.failed(error, run.currentStep(), listener, channel);
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
        handoff = TransferHandoff.forCall(transfers, id, record, dialog.name(), run.vars(), run.answers(), t, queue,
                dialog.yesNoGrammar(), turns::handoff, ctx.clock());
        transfers.check(queue).whenComplete((check, e) -> serial.execute(() -> {
            if (state == State.TALKING) {
                perform(handoff.onChecked(check));
            }
        }));
    }
}
