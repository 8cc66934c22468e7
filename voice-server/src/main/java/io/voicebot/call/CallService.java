package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.log.CallLog;
import io.voicebot.log.PhoneMask;
import io.voicebot.speech.tts.PromptTemplate;
import io.voicebot.recording.RecordingWriter;
import io.voicebot.store.CallStore;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.StoreException;
import io.voicebot.telephony.agi.AgiCall;
import io.voicebot.telephony.agi.AgiException;
import io.voicebot.telephony.agi.AgiRequest;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.AudioListener;
import io.voicebot.telephony.audiosocket.AudioSessionAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes calls from Asterisk: the FastAGI scripts /inbound and /outbound answer, create a {@link CallSession},
 * run AudioSocket with the session's id while the dialog talks, then leave VOICEBOT_OUTCOME, VOICEBOT_NEXT and
 * VOICEBOT_QUEUE for the dialplan. The AudioSocket connection carrying the same id joins the session.
 */
public final class CallService implements AudioSessionAcceptor {
    private static final Logger log = LoggerFactory.getLogger(CallService.class);
    /** AGI parameters that are not contact variables. */
    private static final Set<String> RESERVED = Set.of("line", "dialog", "attempt", "audiosocket", "number");

    /** A finished call, for listeners (demo, load tests, metrics, the dialer); {@code attemptId} is a campaign's. */
    public record EndedCall(UUID id, long callRowId, String dialog, CallSession.Result result,
                            List<CallSession.Latency> latencies, Long attemptId) {}

    private final CallContext ctx;
    private final DialogCatalog dialogs;
    private final AttemptStore attempts;
    private final ActiveCalls activeCalls;
    private final String audioSocketAddress;
    private final Duration maxCallDuration;
    private final Map<UUID, CallSession> sessions = new ConcurrentHashMap<>();
    /** Campaign attempts whose call runs here (reconciliation must not take them for lost). */
    private final Set<Long> liveAttempts = ConcurrentHashMap.newKeySet();
    /** Calls whose AudioSocket connection has not come yet: each id is taken by the first connection only. */
    private final Set<UUID> awaitingAudio = ConcurrentHashMap.newKeySet();
    private final List<Consumer<EndedCall>> listeners = new CopyOnWriteArrayList<>();
    private final RecordingWriter recordings; // null: nothing is recorded
    /** Calls of a recorded dialog whose audio has not connected yet. */
    private final Set<UUID> toRecord = ConcurrentHashMap.newKeySet();
    private volatile io.voicebot.transfer.TransferDesk transfers; // null: blind transfers

    /** Warm transfers: the queue is checked before a hand-over and the dialplan gets the call's details. */
    public void useTransfers(io.voicebot.transfer.TransferDesk desk) {
        this.transfers = desk;
    }

    /** {@code audioSocketAddress}: host:port where Asterisk reaches our AudioSocket server, unless the AGI says. */
    public CallService(CallContext ctx, DialogCatalog dialogs, AttemptStore attempts, ActiveCalls activeCalls,
                       String audioSocketAddress, Duration maxCallDuration) {
        this(ctx, dialogs, attempts, activeCalls, audioSocketAddress, maxCallDuration, null);
    }

    /** As above; calls of dialogs with {@code record: true} are recorded by {@code recordings}. */
    public CallService(CallContext ctx, DialogCatalog dialogs, AttemptStore attempts, ActiveCalls activeCalls,
                       String audioSocketAddress, Duration maxCallDuration, RecordingWriter recordings) {
        this.recordings = recordings;
        this.ctx = ctx;
        this.dialogs = dialogs;
        this.attempts = attempts;
        this.activeCalls = activeCalls;
        this.audioSocketAddress = audioSocketAddress;
        this.maxCallDuration = maxCallDuration;
    }

    public AgiRouter register(AgiRouter router) {
        return router.register("/inbound", this::inbound).register("/outbound", this::outbound);
    }

    public void addListener(Consumer<EndedCall> listener) {
        listeners.add(listener);
    }

    public int activeSessions() {
        return sessions.size();
    }

    /** The campaign attempts whose call is in progress on this node. */
    public Set<Long> attemptsRunning() {
        return Set.copyOf(liveAttempts);
    }

    @Override
    public Optional<AudioListener> accept(AudioChannel ch) {
        CallSession s = sessions.get(ch.uuid());
        if (s == null) {
            log.warn("AudioSocket connection for unknown call {} refused", ch.uuid());
            return Optional.empty();
        }
        if (!awaitingAudio.remove(ch.uuid())) {
            // Asterisk connects once per call: a second connection with a live id is someone else
            log.warn("second AudioSocket connection for call {} refused: its audio is already connected", ch.uuid());
            return Optional.empty();
        }
        if (toRecord.remove(ch.uuid())) {
            ch.tap(recordings.start(ch.uuid())); // both directions, from the first frame to the end
        }
        s.attach(ch);
        return Optional.of(s);
    }

    /** The contact's own time zone (the first of the zones its number may be in), else the server's. */
    private java.time.ZoneId zoneOf(AttemptStore.AttemptContext attempt) {
        if (attempt != null && attempt.timezone() != null) {
            for (String z : attempt.timezone().split(",")) {
                try {
                    return java.time.ZoneId.of(z.strip());
                } catch (java.time.DateTimeException e) {
                    // the gate refuses to dial such a contact; a call placed some other way uses the server's zone
                }
            }
        }
        return ctx.zone();
    }

    /**
     * Starts rendering the first prompts of an attempt's dialog (up to its first question), with its contact's
     * variables, into the prompt cache, so the callee hears the greeting the moment they answer instead of
     * waiting for it to be synthesized (a greeting naming the contact cannot be rendered ahead at start-up). The
     * dialer calls this when it originates the attempt, while the phone rings. Completes when the prompts are
     * ready; never fails: a prompt that cannot be rendered now is rendered (and reported) by the call.
     */
    public CompletableFuture<Void> prepareAttempt(long attemptId) {
        try {
            Optional<AttemptStore.AttemptContext> a = attempts.findAttempt(attemptId);
            Optional<Dialog> dialog = a.flatMap(x -> dialogs.find(x.dialogName()));
            if (dialog.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            List<String> texts = new ArrayList<>();
            DialogRun run = dialog.get().newRun(ctx.clock(), zoneOf(a.get()));
            List<Action> actions = run.start(a.get().fields());
            // Up to the first question: a disclosure (a non-interruptible prompt) is followed by more robot speech,
            // which would otherwise be synthesized in a silence after it.
            for (int turn = 0; turn < 3 && !actions.isEmpty(); turn++) {
                Action.Say disclosure = null;
                for (Action action : actions) {
                    if (action instanceof Action.Say s) {
                        texts.add(PromptTemplate.parse(dialog.get().name() + ":" + s.stepId(), s.template())
                                .render(s.vars()));
                        disclosure = s.nonInterruptible() ? s : disclosure;
                    }
                }
                if (disclosure == null || actions.stream().anyMatch(x -> x instanceof Action.Listen)) {
                    break;
                }
                actions = run.onInput(new Input.PlaybackFinished(disclosure.stepId(), true));
            }
            CompletableFuture<Void> first = ctx.prompts().prerender(texts).exceptionally(e -> null);
            // The contact's other prompts (amounts, dates, the goodbye with the name) at low priority.
            ctx.prompts().prefetch(PromptLookahead.renderable(dialog.get(), run.vars()));
            return first;
        } catch (RuntimeException e) {
            log.debug("first prompts of attempt {} not prepared: {}", attemptId, e.toString());
            return CompletableFuture.completedFuture(null);
        }
    }

    private void inbound(AgiCall call) throws AgiException {
        AgiRequest req = call.request();
        String line = req.parameter("line").orElse("hotline");
        String dialogName = req.parameter("dialog").orElse(line);
        run(call, CallStore.Direction.INBOUND, dialogName, contactVars(req), null);
    }

    private void outbound(AgiCall call) throws AgiException {
        AgiRequest req = call.request();
        Optional<String> attempt = req.parameter("attempt").filter(a -> !a.isBlank());
        if (attempt.isPresent()) {
            long attemptId;
            try {
                attemptId = Long.parseLong(attempt.get());
            } catch (NumberFormatException e) {
                refuse(call, "attempt parameter '" + attempt.get() + "' is not a number");
                return;
            }
            Optional<AttemptStore.AttemptContext> a = attempts.findAttempt(attemptId);
            if (a.isEmpty()) {
                refuse(call, "no call attempt " + attemptId);
                return;
            }
            Map<String, String> vars = new LinkedHashMap<>(a.get().fields());
            vars.putAll(contactVars(req));
            run(call, CallStore.Direction.OUTBOUND, a.get().dialogName(), vars, a.get());
        } else {
            Optional<String> dialog = req.parameter("dialog");
            if (dialog.isEmpty()) {
                refuse(call, "outbound call with neither attempt= nor dialog=");
                return;
            }
            run(call, CallStore.Direction.OUTBOUND, dialog.get(), contactVars(req), null);
        }
    }

    private static Map<String, String> contactVars(AgiRequest req) {
        Map<String, String> vars = new LinkedHashMap<>();
        req.parameters().forEach((k, v) -> {
            if (!RESERVED.contains(k)) {
                vars.put(k, v);
            }
        });
        return vars;
    }

    private void refuse(AgiCall call, String why) throws AgiException {
        log.warn("call {} refused: {}", call.request().uniqueId(), why);
        call.setVariable("VOICEBOT_ERROR", why);
        call.setVariable("VOICEBOT_OUTCOME", "failed");
        call.setVariable("VOICEBOT_NEXT", "error");
    }

    private void run(AgiCall call, CallStore.Direction direction, String dialogName, Map<String, String> vars,
                     AttemptStore.AttemptContext attempt) throws AgiException {
        Optional<Dialog> dialog = dialogs.find(dialogName);
        if (dialog.isEmpty()) {
            refuse(call, "no dialog named '" + dialogName + "'");
            return;
        }
        UUID id = UUID.randomUUID();
        Optional<ActiveCalls.Handle> handle = activeCalls.tryRegister(id.toString());
        if (handle.isEmpty()) {
            refuse(call, "voicebot is shutting down");
            return;
        }
        try (ActiveCalls.Handle ignored = handle.get(); CallLog ignored2 = CallLog.call(id.toString())) {
            AgiRequest req = call.request();
            CallParties parties = CallParties.of(req, direction, attempt);
            String caller = parties.caller();
            String called = parties.called();
            log.info("{} call on {} from {} runs dialog {}", direction.name().toLowerCase(),
                    PhoneMask.channel(req.channel()),
                    PhoneMask.mask(caller != null ? caller : called), dialogName);
            call.answer();
            if (attempt != null) {
                attempts.markAnswered(attempt.attemptId());
            }
            CallStore.CallRecord record = ctx.store().insertCall(CallStore.CallRecord.started(id.toString(),
                    direction, dialogName, caller, called, ctx.clock().instant())
                    .withAttempt(attempt == null ? null : attempt.attemptId())
                    .answered(ctx.clock().instant()));
            MachineDetection amd = attempt == null ? null : machineDetection(attempt.attemptId());
            CallSession session = new CallSession(id, record, dialog.get(), vars, ctx, amd, zoneOf(attempt));
            if (transfers != null) {
                session.useTransfers(transfers);
            }
            if (recordings != null && dialog.get().recorded()) {
                toRecord.add(id);
            }
            awaitingAudio.add(id);
            sessions.put(id, session);
            if (attempt != null) {
                liveAttempts.add(attempt.attemptId());
            }
            CallSession.Result result;
            try {
                String address = req.parameter("audiosocket").filter(a -> !a.isBlank()).orElse(audioSocketAddress);
                int res = call.execAudioSocket(id, address, maxCallDuration);
                if (res != 0) {
                    // -1 at once: Asterisk could not connect to address; later: the caller hung up
                    session.abandon("AudioSocket(" + address + ") returned " + res);
                }
                result = session.result().get(5, TimeUnit.SECONDS);
            } catch (AgiException e) {
                session.abandon("AGI: " + e.getMessage());
                result = awaitQuietly(session);
            } catch (Exception e) {
                session.abandon(e.toString());
                result = awaitQuietly(session);
            } finally {
                sessions.remove(id);
                toRecord.remove(id);
                awaitingAudio.remove(id);
            }
            CallSession.Result r = result;
            try {
                ctx.store().updateCall(record.ended(ctx.clock().instant(), r.outcome().scriptName())
                        .withDisclosurePlayed(session.disclosurePlayed())
                        .withTransferQueue(r.queue())
                        .withVariables(Json.write(session.answers())));
            } finally {
                // only now, with its end stored: reconciliation takes the attempt as running until then
                if (attempt != null) {
                    liveAttempts.remove(attempt.attemptId());
                }
            }
            if (attempt != null) {
                try {
                    if (amd != null) {
                        attempts.recordAmd(attempt.attemptId(), amd.end().verdict().id(), amd.summary());
                    }
                    attempts.finishAttempt(attempt.attemptId(), r.outcome().scriptName());
                } catch (StoreException e) {
                    // the call's outcome is stored (or journaled): reconciliation settles the attempt from it
                    log.warn("attempt {} not settled now ({}); reconciliation settles it from the call's outcome",
                            attempt.attemptId(), e.getMessage());
                }
            }
            Long attemptId = attempt == null ? null : attempt.attemptId();
            listeners.forEach(l -> l.accept(new EndedCall(id, record.id(), dialogName, r, session.latencies(),
                    attemptId)));
            DialplanReport.report(call, session.transferTicket(), transfers, r);
        }
    }

    /**
     * Detection for a campaign attempt whose campaign's amd_action is not off; null otherwise. A policy that cannot
     * be read leaves the call without detection: the callee still hears the dialog at once.
     */
    private MachineDetection machineDetection(long attemptId) {
        try {
            return attempts.machinePolicy(attemptId)
                    .filter(p -> p.action() != AttemptStore.MachinePolicy.Action.OFF)
                    .map(p -> new MachineDetection(ctx.amd(), p)).orElse(null);
        } catch (StoreException e) {
            log.warn("no answering-machine detection on this call: {}", e.getMessage());
            return null;
        }
    }

    private static CallSession.Result awaitQuietly(CallSession session) {
        try {
            return session.result().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new CallSession.Result(io.voicebot.dialog.Outcome.FAILED, "error", null, e.toString());
        }
    }
}
