package io.voicebot.transfer;

import io.voicebot.log.PhoneMask;
import io.voicebot.store.TransferStore;
import io.voicebot.tasks.TaskService;
import io.voicebot.telephony.agi.AgiCall;
import io.voicebot.telephony.agi.AgiException;
import io.voicebot.telephony.ami.AmiClient;
import io.voicebot.telephony.ami.QueueState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Warm transfers (docs/transfer.md): checks the target queue through AMI before the robot hands a caller over,
 * records every transfer, renders the whisper, sets the channel variables for the dialplan through AGI and tells
 * agents' screens. What Asterisk reports afterwards (agent answered, declined, caller abandoned) is applied by
 * {@link QueueEventTracker}.
 */
public final class TransferDesk {
    private static final Logger log = LoggerFactory.getLogger(TransferDesk.class);

    /** Limits and defaults: see transfer.* in config/voicebot.properties. */
    public record Settings(Duration maxWait, Duration checkTimeout, int priority, Duration callbackDelay,
                           Duration whisperWait) {}

    /** The call being handed over, as the call layer knows it. */
    public record CallInfo(long callRowId, UUID callId, String dialog, String callerName, String phone,
                           Map<String, String> answers, boolean campaignCall) {}

    /** A recorded decision to hand over: the row, the text and the whisper being rendered. */
    public record Ticket(long transferId, CallInfo call, String queue, String reason, String summary, int priority,
                         CompletableFuture<Path> whisper) {}

    private final TransferStore store;
    private final Supplier<AmiClient> ami;
    private final WhisperFiles whispers;
    private final AgentFeed feed;
    private final TaskService tasks;
    private final Settings settings;
    private final Clock clock;
    private final Executor worker;

    /** {@code worker}: a bounded pool off the calls' executors for JDBC after AMI events and AGI decisions. */
    public TransferDesk(TransferStore store, Supplier<AmiClient> ami, WhisperFiles whispers, AgentFeed feed,
                        TaskService tasks, Settings settings, Clock clock, Executor worker) {
        this.store = store;
        this.ami = ami;
        this.whispers = whispers;
        this.feed = feed;
        this.tasks = tasks;
        this.settings = settings;
        this.clock = clock;
        this.worker = worker;
    }

    public Settings settings() {
        return settings;
    }

    public TransferStore store() {
        return store;
    }

    public AgentFeed feed() {
        return feed;
    }

    Clock clock() {
        return clock;
    }

    Executor worker() {
        return worker;
    }

    /**
     * Asks AMI for the queue's state (QueueStatus: members logged in and not paused, callers waiting, hold time).
     * Never fails: without an answer the verdict is UNCHECKED.
     */
    public CompletableFuture<QueueCheck> check(String queue) {
        AmiClient client = ami.get();
        if (client == null) {
            return CompletableFuture.completedFuture(unchecked(queue, "AMI is not enabled"));
        }
        if (!client.isConnected()) {
            return CompletableFuture.completedFuture(unchecked(queue, "AMI not connected: " + client.unavailableReason()));
        }
        try {
            return client.queueStatus(queue)
                    .orTimeout(settings.checkTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((s, e) -> e != null ? unchecked(queue, "queue check failed: " + rootMessage(e))
                            : verdict(queue, s, settings.maxWait()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unchecked(queue, "queue check failed: " + e.getMessage()));
        }
    }

    /**
     * The verdict from a queue's state: nobody when no member is logged in and free, or when the expected wait
     * (the queue's average hold time per caller ahead, per free agent) is over {@code maxWait}.
     */
    static QueueCheck verdict(String queue, QueueState s, Duration maxWait) {
        if (s == null) {
            return unchecked(queue, "Asterisk reported no queue '" + queue + "'");
        }
        int hold = (int) s.holdTime().toSeconds();
        if (s.loggedIn() == 0) {
            return new QueueCheck(queue, QueueCheck.Verdict.NOBODY, 0, 0, s.callersWaiting(), null,
                    "no agent logged in to " + queue);
        }
        if (s.available() == 0) {
            return new QueueCheck(queue, QueueCheck.Verdict.NOBODY, s.loggedIn(), 0, s.callersWaiting(), null,
                    "no free agent in " + queue + " (" + s.loggedIn() + " logged in, all busy or paused)");
        }
        int ahead = s.callersWaiting();
        int expected = ahead < s.available() ? 0 : Math.max(hold, 30) * (ahead / s.available() + 1);
        if (expected > maxWait.toSeconds()) {
            return new QueueCheck(queue, QueueCheck.Verdict.NOBODY, s.loggedIn(), s.available(), ahead, expected,
                    "expected wait " + expected + " s is over the limit of " + maxWait.toSeconds() + " s");
        }
        return new QueueCheck(queue, QueueCheck.Verdict.HAND_OVER, s.loggedIn(), s.available(), ahead, expected,
                s.available() + " free agent(s), " + ahead + " caller(s) waiting, expected wait " + expected + " s");
    }

    private static QueueCheck unchecked(String queue, String why) {
        return new QueueCheck(queue, QueueCheck.Verdict.UNCHECKED, null, null, null, null,
                why + "; handed over without a check");
    }

    /** Records the decision to hand over, starts rendering the whisper and pops the call up on agents' screens. */
    public Ticket handingOver(CallInfo call, QueueCheck check, String reason) {
        String why = reason == null || reason.isBlank() ? "caller asked for an agent" : reason;
        String summary = TransferSummary.of(call.dialog(), call.callerName(), call.phone(), why, call.answers());
        long id = store.insert(new TransferStore.NewTransfer(call.callRowId(), call.callId().toString(), check.queue(),
                call.callerName(), why, summary, settings.priority(),
                check.verdict() == QueueCheck.Verdict.UNCHECKED ? "unchecked" : "handed_over", check.reason(),
                check.available(), check.waiting(), check.expectedWaitS(), clock.instant()));
        CompletableFuture<Path> whisper = whispers.render(call.callId(), summary);
        whisper.whenComplete((p, e) -> {
            if (e != null) {
                log.warn("whisper for call {} not rendered: {}", call.callId(), rootMessage(e));
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transferId", id);
        body.put("callId", call.callId().toString());
        body.put("queue", check.queue());
        body.put("reason", why);
        body.put("summary", summary);
        body.put("callerName", call.callerName());
        body.put("callerNumber", PhoneMask.mask(call.phone()));
        body.put("expectedWaitS", check.expectedWaitS());
        body.put("at", clock.instant().toString());
        feed.publish(new AgentFeed.Event("offered", check.queue(), body));
        return new Ticket(id, call, check.queue(), why, summary, settings.priority(), whisper);
    }

    /** Records a transfer that did not happen: no free agent, and the caller took a callback (or not). */
    public long notHandedOver(CallInfo call, QueueCheck check, String reason, boolean callback, String why) {
        String r = reason == null || reason.isBlank() ? "caller asked for an agent" : reason;
        return store.insert(new TransferStore.NewTransfer(call.callRowId(), call.callId().toString(), check.queue(),
                call.callerName(), r, TransferSummary.of(call.dialog(), call.callerName(), call.phone(), r, call.answers()),
                settings.priority(), callback ? "callback" : "no_callback", check.reason() + "; " + why,
                check.available(), check.waiting(), check.expectedWaitS(), clock.instant()));
    }

    /**
     * Whether anyone could call this number back: Asterisk sends "unknown" (or "anonymous", or nothing) for a
     * withheld caller id, and a task or callback to such a "number" reaches nobody.
     */
    public static boolean callbackPossible(String phone) {
        return phone != null && phone.chars().filter(Character::isDigit).count() >= 3;
    }

    /** A follow-up task for people: call back a caller whom no agent could take (inbound, or no dialer). */
    public long followUp(CallInfo call, String queue, String note) {
        return tasks.transferFoundNobody(call.callRowId(), call.phone(), queue, note);
    }

    /**
     * Sets the channel variables for the dialplan and the agent side through AGI (inheritable, so the queue
     * member's channel and the whisper see them) and marks the transfer queued. Returns the variables set.
     */
    public Map<String, String> handOver(AgiCall agi, Ticket t) throws AgiException {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("VOICEBOT_CALL_ID", t.call().callId().toString());
        vars.put("VOICEBOT_REASON", TransferSummary.words(t.reason()));
        vars.put("VOICEBOT_SUMMARY", t.summary());
        vars.put("VOICEBOT_PRIORITY", Integer.toString(t.priority()));
        Path wav = null;
        try {
            wav = t.whisper().get(settings.whisperWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("no whisper file for call {}: {}", t.call().callId(), rootMessage(e));
        }
        vars.put("VOICEBOT_WHISPER", wav == null ? "" : WhisperFiles.playbackName(wav));
        for (Map.Entry<String, String> v : vars.entrySet()) {
            agi.setVariable("__" + v.getKey(), v.getValue());
        }
        agi.setVariable("QUEUE_PRIO", Integer.toString(t.priority()));
        vars.put("QUEUE_PRIO", Integer.toString(t.priority()));
        Map<String, String> stored = new LinkedHashMap<>(vars);
        stored.put("VOICEBOT_QUEUE", t.queue());
        store.handedOver(t.transferId(), agi.request().uniqueId(), io.voicebot.transfer.Json.write(stored),
                wav == null ? null : wav.toString(), clock.instant());
        log.info("transfer {} to queue {}: variables set, whisper {}", t.transferId(), t.queue(),
                wav == null ? "missing" : "ready");
        return stored;
    }

    /** The caller hung up before the hand-over (during the announcement, say): the transfer is abandoned. */
    public void callerLeft(Ticket t) {
        store.endedBeforeHandOver(t.transferId(), clock.instant());
        // no agent will be offered this call: its whisper is not needed (also once it finishes rendering)
        t.whisper().thenAccept(WhisperFiles::delete);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transferId", t.transferId());
        body.put("callId", t.call().callId().toString());
        body.put("queue", t.queue());
        body.put("waitS", 0);
        body.put("at", clock.instant().toString());
        feed.publish(new AgentFeed.Event("abandoned", t.queue(), body));
    }

    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        return c instanceof java.util.concurrent.TimeoutException ? "no answer in time" : String.valueOf(c.getMessage());
    }
}
