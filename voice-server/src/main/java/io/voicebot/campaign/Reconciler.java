package io.voicebot.campaign;

import io.voicebot.store.CampaignStore;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.DialQueueStore.Open;
import io.voicebot.telephony.ami.AmiClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Settles attempts that nobody will settle: their node died (kill -9, power) after claiming them, or the outcome
 * event was lost. An attempt still "started" after the longest an originate can take is looked up: if its call
 * was answered and has ended, it is settled with the call's outcome; if Asterisk still has its channel, it is left
 * alone; if its call is older than a call can last, or there is neither call nor channel, it ended unseen and is
 * settled as "interrupted" (retried under the campaign's policy). Idempotent: settling races with a live node
 * change nothing, so every node may run it.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final DialQueueStore queue;
    private final CampaignStore campaigns;
    private final Dialer dialer;
    private final Supplier<AmiClient> ami;
    private final Clock clock;
    /** An attempt younger than this may still be ringing through a live node's originate. */
    private final Duration grace;
    private final Duration maxCallDuration;
    /**
     * The attempts whose call is running on this node. Asterisk's channel list can miss a call that is
     * talking here: after a restart of Asterisk's manager the list starts empty while the AGI and media of the call
     * go on. Settling such a call as interrupted would dial its contact again while they are still on the line.
     */
    private final Supplier<Set<Long>> runningHere;

    public Reconciler(DialQueueStore queue, CampaignStore campaigns, Dialer dialer, Supplier<AmiClient> ami,
                      Clock clock, Duration grace, Duration maxCallDuration) {
        this(queue, campaigns, dialer, ami, clock, grace, maxCallDuration, Set::of);
    }

    public Reconciler(DialQueueStore queue, CampaignStore campaigns, Dialer dialer, Supplier<AmiClient> ami,
                      Clock clock, Duration grace, Duration maxCallDuration, Supplier<Set<Long>> runningHere) {
        this.runningHere = runningHere;
        this.queue = queue;
        this.campaigns = campaigns;
        this.dialer = dialer;
        this.ami = ami;
        this.clock = clock;
        this.grace = grace;
        this.maxCallDuration = maxCallDuration;
    }

    /** One pass; returns how many attempts it settled. {@code nodeId} null: every node's attempts. */
    public int run(String nodeId) {
        Instant now = clock.instant();
        // Taken before the query: a call that ends after it still shows here; one that ended before it has its end
        // stored (a call's end is written before its session goes), so the query shows it ended.
        Set<Long> here = runningHere.get();
        List<Open> open = queue.open(nodeId, now.minus(grace));
        if (open.isEmpty()) {
            return 0;
        }
        Set<String> live = null;
        AmiClient client = ami.get();
        if (client != null && client.isConnected()) {
            try {
                live = client.liveChannelIds().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("reconcile: cannot list Asterisk's channels ({}); unanswered attempts wait", e.getMessage());
            }
        }
        int settled = 0;
        for (Open a : open) {
            if (here.contains(a.attemptId())) {
                continue; // its call is still talking on this node: the call's end settles it
            }
            String outcome = null;
            String detail = null;
            if (a.callId() != null) {
                if (a.callEndedAt() != null) {
                    outcome = a.callOutcome() == null ? "failed" : a.callOutcome();
                    detail = "call ended " + a.callEndedAt() + " but the attempt was not settled";
                } else if (live != null && !live.contains(a.channelId())) {
                    outcome = "interrupted";
                    detail = "call answered at " + a.answeredAt() + " is gone from Asterisk but never ended "
                            + "(the node running it stopped)";
                } else if (a.answeredAt() != null && a.answeredAt().plus(maxCallDuration).isBefore(now)) {
                    outcome = "interrupted";
                    detail = "call answered at " + a.answeredAt() + " never ended (its node stopped)";
                }
            } else if (live != null && !live.contains(a.channelId())) {
                outcome = "interrupted";
                detail = "no call and no channel " + a.channelId() + " (dialled by node " + a.nodeId()
                        + ", which stopped before the outcome)";
            }
            if (outcome == null) {
                continue;
            }
            String o = outcome;
            String d = detail;
            campaigns.findCampaign(a.campaignId()).ifPresent(c -> dialer.settle(c, a.attemptId(), o, d));
            log.info("reconcile: attempt {} of campaign {} settled as {}: {}", a.attemptId(), a.campaignId(), o, d);
            settled++;
        }
        return settled;
    }
}
