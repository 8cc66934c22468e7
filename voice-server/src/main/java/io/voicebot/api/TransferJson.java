package io.voicebot.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.store.TransferStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a call's warm transfers (docs/transfer.md), in the call detail and the agent's view. */
final class TransferJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferJson() {}

    static List<Map<String, Object>> list(List<TransferStore.Transfer> ts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TransferStore.Transfer t : ts) {
            out.add(one(t));
        }
        return out;
    }

    static Map<String, Object> one(TransferStore.Transfer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("queue", t.queue());
        m.put("reason", t.reason());
        m.put("summary", t.summary());
        m.put("priority", t.priority());
        m.put("decision", t.decision());
        m.put("decisionReason", t.decisionReason());
        m.put("agentsAvailable", t.agentsAvailable());
        m.put("callersWaiting", t.callersWaiting());
        m.put("expectedWaitS", t.expectedWaitS());
        m.put("variables", variables(t.variablesJson()));
        m.put("whisper", t.whisperFile() != null);
        m.put("state", t.state());
        m.put("agent", t.agent());
        m.put("waitS", t.waitS());
        m.put("talkS", t.talkS());
        m.put("declines", t.declines());
        m.put("declinedBy", t.declinedBy() == null ? List.of() : List.of(t.declinedBy().split(",")));
        m.put("abandoned", t.abandoned());
        m.put("createdAt", text(t.createdAt()));
        m.put("handedOverAt", text(t.handedOverAt()));
        m.put("connectedAt", text(t.connectedAt()));
        m.put("endedAt", text(t.endedAt()));
        return m;
    }

    private static Object variables(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
