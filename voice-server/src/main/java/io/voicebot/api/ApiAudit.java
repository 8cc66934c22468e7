package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicebot.store.AuditStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Writes an audit entry for every successful change made through the API (any method but GET and HEAD answered
 * with 2xx), in the request pipeline, so routes added later are covered without doing anything. The entry says
 * who (token id and name), what (the route, e.g. "POST /api/campaigns/{id}/start"), the target (the path's
 * parameters, or the id or name of what a POST created) and the path and status; never the request body, its
 * query string or the answer's other fields (a created token's secret is in the answer).
 */
final class ApiAudit {
    private static final Logger log = LoggerFactory.getLogger(ApiAudit.class);

    private final AuditStore store;
    private final ObjectMapper json;

    ApiAudit(AuditStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    void changed(Principal who, String method, String path, String route, Map<String, String> params,
                 ApiResponse resp) {
        if (method.equals("GET") || method.equals("HEAD") || resp.status() < 200 || resp.status() > 299) {
            return;
        }
        ObjectNode detail = json.createObjectNode();
        detail.put("path", path);
        detail.put("status", resp.status());
        try {
            store.record(who.tokenId(), who.name(), route, target(params, resp), json.writeValueAsString(detail));
        } catch (Exception e) {
            // The change is made; the answer still goes out. The failure is loud so an operator notices.
            log.error("audit entry for {} by token {} not written: {}", route, who.tokenId(), e.toString());
        }
    }

    private String target(Map<String, String> params, ApiResponse resp) {
        if (!params.isEmpty()) {
            StringBuilder b = new StringBuilder();
            params.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
            return b.toString();
        }
        if (resp.body() == null || resp.contentType() != null || resp.body() instanceof java.nio.file.Path) {
            return null;
        }
        JsonNode n = json.valueToTree(resp.body());
        for (String field : new String[] {"id", "name"}) {
            JsonNode v = n.get(field);
            if (v != null && v.isValueNode() && !v.isNull()) {
                return field + "=" + v.asText();
            }
        }
        return null;
    }
}
