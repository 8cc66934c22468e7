package io.voicebot.api;

import io.voicebot.store.CallQueries;
import io.voicebot.store.CallStore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The JSON of call records: a row of GET /api/calls, and what GET /api/calls/{uuid} adds to the call's view. */
final class CallRecordJson {
    private CallRecordJson() {}

    /** One call of the list: no turns, answers or variables (GET /api/calls/{uuid} has them). */
    static Map<String, Object> row(CallQueries.Listed l) {
        CallStore.CallRecord c = l.call();
        Map<String, Object> m = summary(c);
        m.put("campaignId", l.campaignId());
        m.put("recording", l.recordingState() == null ? null : recordingLink(c.callUuid(), l.recordingState()));
        return m;
    }

    /** The fields a call's list row and its detail view share. */
    static Map<String, Object> summary(CallStore.CallRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.callUuid());
        m.put("direction", c.direction().name().toLowerCase(Locale.ROOT));
        m.put("dialog", c.dialogName());
        m.put("attemptId", c.attemptId());
        m.put("callerNumber", c.callerNumber());
        m.put("calledNumber", c.calledNumber());
        m.put("startedAt", text(c.startedAt()));
        m.put("answeredAt", text(c.answeredAt()));
        m.put("endedAt", text(c.endedAt()));
        m.put("outcome", c.outcome());
        m.put("transferQueue", c.transferQueue());
        return m;
    }

    /** Adds attempt, transfer and recording to the detail view {@code m} of {@code call}. */
    static void addDetail(Map<String, Object> m, CallStore.CallRecord call, CallQueries queries) {
        m.put("attempt", call.attemptId() == null ? null
                : queries.attempt(call.attemptId()).map(CallRecordJson::attempt).orElse(null));
        if (call.transferQueue() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("queue", call.transferQueue());
            // handed to the queue when the robot's part of the call ended
            t.put("at", text(call.endedAt()));
            m.put("transfer", t);
        } else {
            m.put("transfer", null);
        }
        m.put("recording", queries.recording(call.callUuid())
                .map(r -> recordingLink(call.callUuid(), r.state())).orElse(null));
    }

    private static Map<String, Object> attempt(CallQueries.AttemptInfo a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("attemptNo", a.attemptNo());
        m.put("kind", a.kind());
        m.put("state", a.state());
        m.put("outcome", a.outcome());
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("id", a.campaignId());
        campaign.put("name", a.campaignName());
        m.put("campaign", campaign);
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", a.contactId());
        contact.put("name", a.contactName());
        contact.put("phone", a.phone());
        m.put("contact", contact);
        m.put("scheduledAt", text(a.scheduledAt()));
        m.put("startedAt", text(a.startedAt()));
        m.put("answeredAt", text(a.answeredAt()));
        m.put("endedAt", text(a.endedAt()));
        Map<String, Object> amd = new LinkedHashMap<>();
        amd.put("verdict", a.amdVerdict());
        amd.put("detail", a.amdDetail());
        m.put("amd", a.amdVerdict() == null ? null : amd);
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("reason", a.gateReason());
        if (a.gate() != null) {
            gate.put("allowed", a.gate().allowed());
            gate.put("rule", a.gate().rule());
            gate.put("decisionReason", a.gate().reason());
            gate.put("decidedAt", text(a.gate().decidedAt()));
        }
        m.put("gate", a.gateReason() == null && a.gate() == null ? null : gate);
        return m;
    }

    private static Map<String, Object> recordingLink(String callUuid, String state) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", "/api/calls/" + callUuid + "/recording");
        r.put("state", state);
        return r;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
