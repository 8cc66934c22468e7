package io.voicebot.transfer;

import io.voicebot.store.TransferStore;
import io.voicebot.telephony.agi.AgiCall;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.ami.AmiClient;
import io.voicebot.telephony.ami.AmiEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * What happens to a transfer once the dialplan has the caller, from two sources:
 * <ul>
 * <li>AMI queue events for the caller's channel (matched by its Uniqueid, stored at hand-over): AgentConnect
 * (agent and wait), AgentComplete (talk time), QueueCallerAbandon (the caller hung up while waiting).</li>
 * <li>FastAGI from the shipped dialplan: /agent-decision after the whisper (key 1 accept, anything else or
 * nothing declines: the caller stays in the queue for the next agent), /transfer-unanswered when Queue() returned
 * without an agent (a follow-up task is created so that someone calls back).</li>
 * </ul>
 * AMI events arrive on AmiClient's single event thread; their JDBC runs on the desk's worker.
 */
public final class QueueEventTracker {
    private static final Logger log = LoggerFactory.getLogger(QueueEventTracker.class);

    private final TransferDesk desk;

    public QueueEventTracker(TransferDesk desk) {
        this.desk = desk;
    }

    public void listen(AmiClient ami) {
        ami.addEventListener("AgentConnect", e -> later(() -> connected(e)));
        ami.addEventListener("AgentComplete", e -> later(() -> completed(e)));
        ami.addEventListener("QueueCallerAbandon", e -> later(() -> abandoned(e)));
    }

    public AgiRouter register(AgiRouter router) {
        return router.register("/agent-decision", this::agentDecision)
                .register("/transfer-unanswered", this::unanswered);
    }

    private void later(Runnable r) {
        try {
            desk.worker().execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException ex) {
                    log.warn("transfer event not recorded: {}", ex.toString());
                }
            });
        } catch (RejectedExecutionException ex) {
            log.warn("transfer event dropped: worker busy or stopped");
        }
    }

    private Optional<TransferStore.Transfer> transferOf(AmiEvent e) {
        String uid = e.get("Uniqueid");
        return uid == null ? Optional.empty() : desk.store().latestForChannel(uid);
    }

    private void connected(AmiEvent e) {
        transferOf(e).ifPresent(t -> {
            String agent = first(e.get("MemberName"), e.get("Interface"), e.get("DestChannel"));
            dropWhisper(t); // heard by the agent who took the call; nobody else will be rung
            desk.store().connected(t.id(), agent, seconds(e.get("HoldTime")), desk.clock().instant());
            publish("connected", t, Map.of("agent", agent == null ? "" : agent));
        });
    }

    private void completed(AmiEvent e) {
        transferOf(e).ifPresent(t -> {
            desk.store().completed(t.id(), seconds(e.get("TalkTime")), desk.clock().instant());
            publish("completed", t, Map.of("talkS", seconds(e.get("TalkTime"))));
        });
    }

    private void abandoned(AmiEvent e) {
        transferOf(e).ifPresent(t -> {
            desk.store().abandoned(t.id(), seconds(e.get("HoldTime")), desk.clock().instant());
            dropWhisper(t);
            publish("abandoned", t, Map.of("waitS", seconds(e.get("HoldTime"))));
        });
    }

    /** AGI(agi://voicebot/agent-decision?call=${VOICEBOT_CALL_ID}&agent=${EXTEN}&key=${KEY}) on the agent's leg. */
    private void agentDecision(AgiCall call) throws Exception {
        String id = call.request().parameter("call").orElse("");
        String agent = call.request().parameter("agent").orElse("unknown");
        String key = call.request().parameter("key").orElse("");
        Optional<TransferStore.Transfer> t = desk.store().latestForCallUuid(id);
        if (t.isEmpty()) {
            log.warn("agent decision for unknown call '{}'", id);
            call.setVariable("VOICEBOT_AGENT_ACCEPT", "unknown");
            return;
        }
        if (key.equals("1")) {
            call.setVariable("VOICEBOT_AGENT_ACCEPT", "yes");
        } else {
            desk.store().declined(t.get().id(), agent);
            publish("declined", t.get(), Map.of("agent", agent));
            log.info("transfer {}: agent {} declined ({})", t.get().id(), agent, key.isEmpty() ? "no key" : "key " + key);
            call.setVariable("VOICEBOT_AGENT_ACCEPT", "no");
        }
    }

    /** AGI(agi://voicebot/transfer-unanswered?call=${VOICEBOT_CALL_ID}&status=${QUEUESTATUS}) after Queue(). */
    private void unanswered(AgiCall call) throws Exception {
        String id = call.request().parameter("call").orElse("");
        String status = call.request().parameter("status").orElse("unknown");
        Optional<TransferStore.Transfer> t = desk.store().latestForCallUuid(id);
        if (t.isEmpty()) {
            log.warn("unanswered transfer for unknown call '{}' ({})", id, status);
            return;
        }
        desk.store().unanswered(t.get().id(), status, desk.clock().instant());
        dropWhisper(t.get());
        String phone = call.request().callerId();
        desk.followUp(new TransferDesk.CallInfo(t.get().callId(), java.util.UUID.fromString(id), null, null,
                phone == null || phone.equals("unknown") ? null : phone, Map.of(), false), t.get().queue(),
                "queue ended with " + status);
        publish("unanswered", t.get(), Map.of("status", status));
    }

    /** The whisper file is only needed while agents are being offered the call. */
    private static void dropWhisper(TransferStore.Transfer t) {
        if (t.whisperFile() != null) {
            try {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(t.whisperFile()));
            } catch (java.io.IOException | RuntimeException e) {
                log.warn("whisper file {} not deleted: {}", t.whisperFile(), e.toString());
            }
        }
    }

    private void publish(String type, TransferStore.Transfer t, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transferId", t.id());
        body.put("callId", t.callUuid());
        body.put("queue", t.queue());
        body.putAll(extra);
        body.put("at", desk.clock().instant().toString());
        desk.feed().publish(new AgentFeed.Event(type, t.queue(), body));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static int seconds(String v) {
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
