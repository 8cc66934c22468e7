package io.voicebot.campaign;

import io.voicebot.call.DialogCatalog;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.Dialog;
import io.voicebot.log.PhoneMask;
import io.voicebot.store.CampaignLists;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.DialQueueStore.Claimed;
import io.voicebot.telephony.ami.AmiClient;
import io.voicebot.telephony.ami.OriginateRequest;
import io.voicebot.telephony.ami.OriginateResult;
import io.voicebot.telephony.ami.QueueState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Places a running campaign's calls, one tick at a time (the Quartz dial job of the campaign calls {@link #tick}).
 * A tick works out how many new calls are allowed (the campaign's concurrency and calls per second, this node's
 * limit, free agents when the campaign paces by agents), claims that many contacts through the compliance gate,
 * and originates them spaced over the tick. Calls that are not answered are settled here; answered ones when their
 * dialog ends ({@link #callEnded}).
 */
public final class Dialer {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    private final CampaignStore campaigns;
    private final DialQueueStore queue;
    private final CampaignLists lists;
    private final Gate gate;
    private final DialogCatalog dialogs;
    private final Supplier<AmiClient> ami;
    private final VoicebotConfig.Campaign config;
    private final String defaultQueue;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Executor worker;
    private final LongConsumer prepare;
    /** Originates this node has sent and not yet seen the outcome of (the node-wide limit counts them). */
    private final AtomicInteger originating = new AtomicInteger();
    /** Calls-per-second budget carried between ticks, per campaign: {tokens, System.nanoTime of the last refill}. */
    private final Map<Long, double[]> budgets = new ConcurrentHashMap<>();
    private final List<SettlementListener> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<DialQueueStore.Verdict>> verdictListeners =
            new CopyOnWriteArrayList<>();
    private volatile LongPredicate keepOpen = id -> false;
    /** One round of a campaign at a time on this node (Quartz keeps it so across nodes), woken or ticked. */
    private final Map<Long, Semaphore> rounds = new ConcurrentHashMap<>();
    /** Campaigns with a wake-up queued on the worker: a burst of events makes one round, not one each. */
    private final Set<Long> woken = ConcurrentHashMap.newKeySet();

    /** Told, on the settling worker thread, each time an attempt is settled (once per attempt). */
    @FunctionalInterface
    public interface SettlementListener {
        void settled(Campaign campaign, DialQueueStore.Ended attempt, String outcome, DialQueueStore.Next next);
    }

    public Dialer(CampaignStore campaigns, DialQueueStore queue, CampaignLists lists, Gate gate,
                  DialogCatalog dialogs, Supplier<AmiClient> ami, VoicebotConfig.Campaign config, String defaultQueue,
                  Clock clock, ScheduledExecutorService timer, Executor worker, LongConsumer prepare) {
        this.campaigns = campaigns;
        this.queue = queue;
        this.lists = lists;
        this.gate = gate;
        this.dialogs = dialogs;
        this.ami = ami;
        this.config = config;
        this.defaultQueue = defaultQueue;
        this.clock = clock;
        this.timer = timer;
        this.worker = worker;
        this.prepare = prepare;
    }

    public void addSettlementListener(SettlementListener l) {
        listeners.add(l);
    }

    /** Told each gate decision (inside the claiming transaction: keep it to a counter increment). */
    public void onGateVerdict(java.util.function.Consumer<DialQueueStore.Verdict> l) {
        verdictListeners.add(l);
    }

    /** Campaigns for which this is true stay running with an empty queue (events add numbers to them later). */
    public void keepRunningWhile(LongPredicate openEnded) {
        keepOpen = openEnded;
    }

    /** What a tick did, for the job and the tests. */
    public enum TickResult { DIALED, IDLE, NOT_RUNNING, FINISHED }

    /**
     * Runs a round of the campaign now on the dialer's worker, between its ticks (an event queued a number): the
     * call goes out without waiting for the next tick. Wake-ups that arrive before the round starts make one round.
     */
    public void wake(long campaignId) {
        if (!woken.add(campaignId)) {
            return;
        }
        try {
            worker.execute(() -> {
                woken.remove(campaignId);
                try {
                    tick(campaignId);
                } catch (RuntimeException e) {
                    // the next tick tries again
                    log.warn("campaign {}: woken dial round failed: {}", campaignId, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            woken.remove(campaignId); // shutting down: the next tick (on some node) dials it
        }
    }

    /** One round for one campaign; runs on a Quartz worker thread (blocking JDBC is fine there). */
    public TickResult tick(long campaignId) {
        Semaphore one = rounds.computeIfAbsent(campaignId, k -> new Semaphore(1));
        one.acquireUninterruptibly();
        try {
            return round(campaignId);
        } finally {
            one.release();
        }
    }

    private TickResult round(long campaignId) {
        Optional<Campaign> found = campaigns.findCampaign(campaignId);
        if (found.isEmpty() || found.get().state() != CampaignStore.State.RUNNING) {
            budgets.remove(campaignId);
            return TickResult.NOT_RUNNING;
        }
        Campaign c = found.get();
        Instant now = clock.instant();
        if (c.startsAt() != null && now.isBefore(c.startsAt())) {
            return TickResult.IDLE;
        }
        if (c.endsAt() != null && !now.isBefore(c.endsAt())) {
            finish(c, "end date " + c.endsAt() + " reached");
            return TickResult.FINISHED;
        }
        AmiClient client = ami.get();
        if (client == null || !client.isConnected()) {
            log.debug("campaign {}: AMI not connected; not dialing", c.id());
            return TickResult.IDLE;
        }
        int allowed = allowedNow(c, client);
        if (allowed <= 0) {
            return TickResult.IDLE;
        }
        List<Claimed> claimed = queue.claim(c.id(), allowed, c.concurrency(), config.nodeId(),
                gate.rules().caps().basis() == ComplianceRules.CapBasis.ANSWERED, k -> told(gate.decide(k, c, now)));
        if (claimed.isEmpty()) {
            // a list still importing will add contacts when it is ready: the campaign waits for it
            if (lists.remaining(c.id()) == 0 && !keepOpen.test(c.id()) && !lists.waitsForImport(c.id())) {
                finish(c, "every contact is done");
                return TickResult.FINISHED;
            }
            return TickResult.IDLE;
        }
        spend(c.id(), claimed.size());
        long spacingMs = (long) Math.floor(1000.0 / c.maxCallsPerSecond());
        for (int i = 0; i < claimed.size(); i++) {
            Claimed k = claimed.get(i);
            originating.incrementAndGet();
            if (i == 0 || spacingMs == 0) {
                originate(client, c, k);
            } else {
                timer.schedule(() -> originate(client, c, k), i * spacingMs, TimeUnit.MILLISECONDS);
            }
        }
        return TickResult.DIALED;
    }

    private DialQueueStore.Verdict told(DialQueueStore.Verdict v) {
        verdictListeners.forEach(l -> l.accept(v));
        return v;
    }

    private int allowedNow(Campaign c, AmiClient client) {
        int byCampaign = c.concurrency() - queue.inFlight(c.id());
        int byNode = config.maxConcurrentCalls() - originating.get();
        int byRate = budget(c);
        int n = Math.min(byCampaign, Math.min(byNode, byRate));
        if (n > 0 && c.paceByAgents()) {
            n = Math.min(n, freeAgents(c, client));
        }
        return n;
    }

    /**
     * Tokens for this round: calls per second times the time since the last round (a tick at first), carried over
     * while unspent, at most one tick's worth. By time, not per round: an event that wakes the dialer between ticks
     * does not add calls beyond the campaign's rate.
     */
    private int budget(Campaign c) {
        double perTick = c.maxCallsPerSecond() * config.tick().toMillis() / 1000.0;
        double[] b = budgets.computeIfAbsent(c.id(), k -> new double[] {0, Double.NaN});
        synchronized (b) {
            long nowNs = System.nanoTime();
            double refill = Double.isNaN(b[1]) ? perTick : c.maxCallsPerSecond() * (nowNs - (long) b[1]) / 1e9;
            b[1] = nowNs;
            b[0] = Math.min(Math.max(perTick, 1.0), b[0] + refill);
            return (int) Math.floor(b[0]);
        }
    }

    private void spend(long campaignId, int n) {
        double[] b = budgets.get(campaignId);
        if (b != null) {
            synchronized (b) {
                b[0] -= n;
            }
        }
    }

    /** Agents who could take a transfer now: available minus callers already waiting in the dialog's queue. */
    private int freeAgents(Campaign c, AmiClient client) {
        String q = dialogs.find(c.dialogName()).map(Dialog::agentQueue).filter(s -> !s.isBlank()).orElse(defaultQueue);
        try {
            QueueState s = client.queueSummary(q).get(config.originateTimeout().toMillis(), TimeUnit.MILLISECONDS);
            int free = Math.max(0, s.available() - s.callersWaiting());
            if (free == 0) {
                log.debug("campaign {}: no free agent in queue {}; not dialing", c.id(), q);
            }
            return free;
        } catch (Exception e) {
            log.warn("campaign {}: cannot read queue {} ({}); not dialing this round", c.id(), q, e.getMessage());
            return 0;
        }
    }

    private void originate(AmiClient client, Campaign c, Claimed k) {
        OriginateRequest req;
        try {
            String callerId = c.callerId() == null || c.callerId().isBlank() ? config.callerId() : c.callerId();
            req = OriginateRequest.toNumber(config.trunkTemplate(), k.phone(), config.outboundContext(), callerId,
                    config.originateTimeout(), String.valueOf(k.attemptId()));
        } catch (IllegalArgumentException e) {
            originating.decrementAndGet();
            worker.execute(() -> settle(c, k.attemptId(), "failed", e.getMessage()));
            return;
        }
        log.info("campaign {}: dialing {} (attempt {} #{}, {})", c.id(), PhoneMask.mask(k.phone()), k.attemptId(),
                k.attemptNo(), k.kind());
        // the greeting (with the contact's name) is synthesized while the phone rings: no silence at answer
        prepare.accept(k.attemptId());
        client.originate(req, k.channelId()).whenComplete((r, e) -> {
            originating.decrementAndGet();
            worker.execute(() -> originated(c, k, r, e));
        });
    }

    private void originated(Campaign c, Claimed k, OriginateResult r, Throwable e) {
        if (e != null) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            String why = String.valueOf(cause.getMessage());
            // Settled here only when the call was certainly not placed (Asterisk refused the action, or AMI was
            // down). Otherwise (no answer in time, connection lost) the call may be ringing or talking: its AGI
            // session settles it if answered, reconciliation (which asks Asterisk for its channel) if not.
            boolean notPlaced = why.startsWith("Asterisk refused Originate") || why.contains("AMI not connected");
            log.warn("campaign {}: originate of attempt {} failed{}: {}", c.id(), k.attemptId(),
                    notPlaced ? "" : " (outcome unknown; reconciliation will settle it)", why);
            if (notPlaced) {
                settle(c, k.attemptId(), "failed", why);
            }
            return;
        }
        if (!r.answered()) {
            settle(c, k.attemptId(), r.outcome().name().toLowerCase(Locale.ROOT), r.detail());
        }
        // answered: the call's dialog runs; callEnded settles it
    }

    /** An answered campaign call ended (its outcome is on the attempt): move the contact on. */
    public void callEnded(long attemptId) {
        worker.execute(() -> {
            try {
                queue.ended(attemptId).ifPresent(a -> campaigns.findCampaign(a.campaignId())
                        .ifPresent(c -> settle(c, a, "failed", null)));
            } catch (RuntimeException ex) {
                log.error("cannot settle attempt {} ({}); reconciliation will retry", attemptId, ex.toString());
            }
        });
    }

    /** Settles an attempt with {@code outcome} under the campaign's retry policy. */
    void settle(Campaign c, long attemptId, String outcome, String detail) {
        try {
            queue.ended(attemptId).ifPresent(a -> settle(c, a, outcome, detail));
        } catch (RuntimeException ex) {
            log.error("campaign {}: cannot settle attempt {} ({}); reconciliation will retry", c.id(), attemptId,
                    ex.toString());
        }
    }

    /** {@code outcome} counts only when the attempt has none yet (the call layer stores a dialog's own). */
    private void settle(Campaign c, DialQueueStore.Ended a, String outcome, String detail) {
        try {
            String o = a.outcome() != null ? a.outcome() : outcome;
            DialQueueStore.Next next = Settlement.next(c, o, a.attemptNo(), a.callbackAt(), clock.instant());
            if (queue.settle(a.attemptId(), o, detail, next)) {
                log.info("campaign {}: attempt {} ended {} -> {} ({})", c.id(), a.attemptId(), o,
                        next.state().id(), next.reason());
                for (SettlementListener l : listeners) {
                    try {
                        l.settled(c, a, o, next);
                    } catch (RuntimeException ex) {
                        log.error("campaign {}: settlement listener failed for attempt {}: {}", c.id(),
                                a.attemptId(), ex.toString());
                    }
                }
            }
        } catch (RuntimeException ex) {
            log.error("campaign {}: cannot settle attempt {} ({}); reconciliation will retry", c.id(),
                    a.attemptId(), ex.toString());
        }
    }

    private void finish(Campaign c, String why) {
        try {
            campaigns.complete(c.id(), why);
            budgets.remove(c.id());
            log.info("campaign {} ({}) completed: {}", c.id(), c.name(), why);
        } catch (IllegalStateException e) {
            // paused or stopped meanwhile: nothing to do
        }
    }

    /** Originates sent by this node whose outcome has not arrived. */
    public int originating() {
        return originating.get();
    }
}
