package io.voicebot.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.store.CallQueries;
import io.voicebot.store.CallStore;
import io.voicebot.store.Role;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GET /api/calls/{uuid}: a call's record, turns and answers, its campaign attempt (with the answering-machine
 * verdict and the compliance gate's decision), transfer and recording. GET /api/calls (the filtered list) and
 * GET /api/calls/{uuid}/recording are in {@link CallListRoutes}. Phone numbers are shown in full (agents need
 * them); they are never logged.
 */
public final class CallRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallStore calls;
    private final CallQueries queries;
    private io.voicebot.store.TransferStore transfers; // null: no warm-transfer detail

    public CallRoutes(CallStore calls) {
        this(calls, null);
    }

    /** {@code queries} null: the detail has no attempt or recording (as before call records existed). */
    public CallRoutes(CallStore calls, CallQueries queries) {
        this.calls = calls;
        this.queries = queries;
    }

    /** The call detail also lists the call's warm transfers (queue, reason, summary, variables set, agent...). */
    public CallRoutes withTransfers(io.voicebot.store.TransferStore transfers) {
        this.transfers = transfers;
        return this;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/calls/{uuid}", Role.AGENT, this::get);
    }

    /** The path's call id, checked: a 400 when it is not a UUID. */
    static String callId(ApiRequest r) {
        String id = r.pathParam("uuid");
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("call id must be a UUID like 123e4567-e89b-12d3-a456-426614174000, got '"
                    + id + "'");
        }
        return id;
    }

    private ApiResponse get(ApiRequest r) {
        String id = callId(r);
        CallStore.CallRecord call = calls.findCall(id)
                .orElseThrow(() -> ApiException.notFound("no call " + id));
        Map<String, Object> m = view(call, calls.turns(call.id()), calls.answers(call.id()));
        if (queries != null) {
            CallRecordJson.addDetail(m, call, queries);
        }
        if (transfers != null) {
            m.put("transfers", TransferJson.list(transfers.forCall(call.id())));
        }
        m.put("decisions", decisions(calls.decisions().forCall(call.id())));
        return ApiResponse.ok(m);
    }

    /** Why the robot did or did not act on each destructive request of the call (opt-out, wrong person, agent). */
    private static List<Map<String, Object>> decisions(List<io.voicebot.store.DecisionStore.Decision> ds) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (io.voicebot.store.DecisionStore.Decision d : ds) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("step", d.stepId());
            x.put("intent", d.intent());
            x.put("acted", d.acted());
            x.put("reason", d.reason());
            x.put("at", d.at() == null ? null : d.at().toString());
            out.add(x);
        }
        return out;
    }

    /**
     * The JSON shape of a call (the API's answer, also what {@code simulate-call} reads): id, direction, dialog,
     * numbers, times, outcome, transferQueue, variables, turns [{seq, prompt, transcript, confidence, intent,
     * inputMode, startedAt, promptMs, speechStartMs, speechEndMs, latencyMs}], answers [{key, value, confidence,
     * confirmed, at}].
     */
    public static Map<String, Object> view(CallStore.CallRecord c, List<CallStore.Turn> turns,
                                           List<CallStore.Answer> answers) {
        Map<String, Object> m = CallRecordJson.summary(c);
        m.put("disclosurePlayed", c.disclosurePlayed());
        m.put("variables", variables(c.variablesJson()));
        List<Map<String, Object>> ts = new ArrayList<>();
        for (CallStore.Turn t : turns) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("seq", t.seq());
            x.put("prompt", t.promptText());
            x.put("transcript", t.transcript());
            x.put("confidence", t.confidence());
            x.put("intent", t.intent());
            x.put("inputMode", t.inputMode().name().toLowerCase(java.util.Locale.ROOT));
            x.put("startedAt", text(t.startedAt()));
            x.put("promptMs", t.promptMs());
            x.put("speechStartMs", t.speechStartMs());
            x.put("speechEndMs", t.speechEndMs());
            x.put("latencyMs", t.latencyMs());
            ts.add(x);
        }
        m.put("turns", ts);
        List<Map<String, Object>> as = new ArrayList<>();
        for (CallStore.Answer a : answers) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", a.questionKey());
            x.put("value", a.value());
            x.put("confidence", a.confidence());
            x.put("confirmed", a.confirmed());
            x.put("at", text(a.createdAt()));
            as.add(x);
        }
        m.put("answers", as);
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    /** The stored variables column is JSON written by the call layer; shown as an object, or as text if not. */
    private static Object variables(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
