package io.voicebot.telephony.ami;

import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The originates in flight, by channel id, settled from the AMI events about their channels (NewChannel, DialEnd,
 * Hangup, OriginateResponse) or, after a reconnect, from the channels Asterisk still has.
 */
final class PendingOriginates {
    /** How long a failed originate waits for its Hangup (delivered after OriginateResponse via stasis). */
    private static final Duration HANGUP_GRACE = Duration.ofMillis(500);
    private static final int STATE_UP = 6;

    private final Map<String, PendingOriginate> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    PendingOriginates(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    PendingOriginate add(String id, OriginateRequest request) {
        PendingOriginate p = new PendingOriginate(id, request);
        pending.put(id, p);
        return p;
    }

    void remove(String id) {
        pending.remove(id);
    }

    /** Fails every originate still waiting. */
    void failAll(Throwable t) {
        for (PendingOriginate p : List.copyOf(pending.values())) {
            p.fail(t);
        }
    }

    /** The connection dropped: every originate in flight has an unknown outcome until reconciled. */
    void interruptAll() {
        for (PendingOriginate p : pending.values()) {
            p.interrupted = true;
        }
    }

    /** Those whose connection dropped while they waited. */
    List<PendingOriginate> interrupted() {
        List<PendingOriginate> lost = new ArrayList<>();
        for (PendingOriginate p : pending.values()) {
            if (p.interrupted) {
                lost.add(p);
            }
        }
        return lost;
    }

    /** Runs on Asterisk-Java's event thread. */
    void onEvent(ManagerEvent e) {
        if (e instanceof NewChannelEvent nc) {
            PendingOriginate p = pending.get(Objects.toString(nc.getUniqueId(), ""));
            if (p != null) {
                p.channelSeen(nc.getChannel());
            }
        } else if (e instanceof DialEndEvent de) {
            PendingOriginate p = pending.get(Objects.toString(de.getDestUniqueId(), ""));
            if (p != null) {
                p.dialEnd(de.getDialStatus());
            }
        } else if (e instanceof HangupEvent h) {
            PendingOriginate p = pending.get(Objects.toString(h.getUniqueId(), ""));
            if (p != null) {
                p.hangup(h.getCause());
            }
        } else if (e instanceof OriginateResponseEvent or) {
            PendingOriginate p = pending.get(Objects.toString(or.getUniqueId(), ""));
            if (p == null) {
                p = pending.get(Objects.toString(or.getActionId(), ""));
            }
            if (p != null) {
                p.originateResponse(or.getResponse(), or.getReason(), or.getChannel());
            }
        }
    }

    /** One originate waiting for its outcome; event methods run on Asterisk-Java's event thread. */
    final class PendingOriginate {
        final String id;
        final OriginateRequest request;
        final CompletableFuture<OriginateResult> future = new CompletableFuture<>();
        volatile boolean interrupted;
        private String channel;
        private boolean channelSeen;
        private String dialStatus;
        private Integer hangupCause;
        private Integer reason;
        private boolean graceScheduled;

        PendingOriginate(String id, OriginateRequest request) {
            this.id = id;
            this.request = request;
        }

        synchronized void channelSeen(String name) {
            channel = name;
            channelSeen = true;
        }

        synchronized void dialEnd(String status) {
            dialStatus = status;
        }

        synchronized void hangup(Integer cause) {
            hangupCause = cause == null ? 0 : cause;
            if (reason != null) {
                resolve("");
            }
        }

        synchronized void originateResponse(String response, Integer why, String chan) {
            reason = why == null ? 0 : why;
            if (chan != null) {
                channel = chan;
            }
            if ("Success".equalsIgnoreCase(response) || reason == 4) {
                reason = 4;
                resolve("");
            } else if (hangupCause != null || !channelSeen) {
                // no channel was ever created, so no Hangup will come
                resolve("");
            } else if (!graceScheduled) {
                graceScheduled = true;
                scheduler.schedule(() -> {
                    synchronized (this) {
                        resolve(" (no Hangup event within " + HANGUP_GRACE.toMillis() + " ms)");
                    }
                }, HANGUP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        synchronized void reconciled(CoreShowChannelEvent live) {
            if (future.isDone()) {
                return;
            }
            interrupted = false;
            if (live == null) {
                future.complete(new OriginateResult(CallOutcome.FAILED, channel, id, reason, dialStatus,
                        hangupCause, "AMI connection lost; the channel no longer exists after reconnecting"));
            } else if (live.getChannelState() != null && live.getChannelState() == STATE_UP) {
                future.complete(new OriginateResult(CallOutcome.ANSWERED, live.getChannel(), id, 4, dialStatus,
                        null, "answered while AMI was disconnected (channel found Up after reconnecting)"));
            }
            // else: still ringing; its OriginateResponse will reach this session
        }

        void fail(Throwable t) {
            future.completeExceptionally(t);
        }

        private void resolve(String note) {
            if (future.isDone()) {
                return;
            }
            CallOutcome outcome = CallOutcome.resolve(reason, dialStatus, hangupCause);
            StringBuilder detail = new StringBuilder("reason ").append(reason);
            if (dialStatus != null) {
                detail.append(", dial status ").append(dialStatus);
            }
            if (hangupCause != null) {
                detail.append(", hangup cause ").append(hangupCause);
            }
            future.complete(new OriginateResult(outcome, channel, id, reason, dialStatus, hangupCause,
                    detail.append(note).toString()));
        }
    }
}
