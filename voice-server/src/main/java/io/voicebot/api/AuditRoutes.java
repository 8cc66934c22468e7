package io.voicebot.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.store.AuditStore;
import io.voicebot.store.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/audit (admin): the audit log, newest first, with since/action filters and cursor paging. */
public final class AuditRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_LIMIT = 500;

    private final AuditStore audit;

    public AuditRoutes(AuditStore audit) {
        this.audit = audit;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/audit", Role.ADMIN, this::list);
    }

    private ApiResponse list(ApiRequest r) {
        int limit = Paging.limit(r, 100, MAX_LIMIT);
        Long before = Paging.cursorParts(r, 1).map(p -> Paging.longPart(p.get(0))).orElse(null);
        String action = r.queryParam("action").map(String::strip).orElse(null);
        if (action != null && action.isEmpty()) {
            throw ApiException.badRequest("parameter 'action' must not be empty (e.g. action=POST /api/campaigns)");
        }
        List<AuditStore.Entry> rows = audit.page(new AuditStore.Query(Paging.time(r, "since", false).orElse(null),
                action, before, limit + 1));
        boolean more = rows.size() > limit;
        List<Map<String, Object>> out = new ArrayList<>();
        for (AuditStore.Entry e : rows.subList(0, Math.min(limit, rows.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("at", e.createdAt().toString());
            m.put("tokenId", e.tokenId());
            m.put("actor", e.actor());
            m.put("action", e.action());
            m.put("target", e.target());
            m.put("detail", detail(e.detail()));
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", out);
        body.put("nextCursor", more ? Paging.cursor(String.valueOf(rows.get(limit - 1).id())) : null);
        return ApiResponse.ok(body);
    }

    private static Object detail(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
