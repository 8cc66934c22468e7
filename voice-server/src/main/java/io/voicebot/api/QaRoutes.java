package io.voicebot.api;

import io.voicebot.qa.QaRules;
import io.voicebot.qa.QaService;
import io.voicebot.store.QaStore;
import io.voicebot.store.Role;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transcript QA: the rules (operators replace them), the flagged calls (agents may read) and a campaign's summary.
 */
public final class QaRoutes {
    private final QaService qa;
    private final QaStore store;

    public QaRoutes(QaService qa, QaStore store) {
        this.qa = qa;
        this.store = store;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/qa/rules", Role.OPERATOR, r -> ApiResponse.ok(view(qa.rules())));
        api.route("PUT", "/api/qa/rules", Role.OPERATOR, this::putRules);
        api.route("GET", "/api/qa", Role.AGENT, this::flags);
        api.route("GET", "/api/campaigns/{id}/qa", Role.AGENT, this::summary);
    }

    private ApiResponse putRules(ApiRequest r) {
        try {
            return ApiResponse.ok(view(qa.replaceRules(r.bodyText())));
        } catch (QaRules.Invalid e) {
            throw ApiException.invalid("QA rules rejected: " + e.problems().size() + " problem(s)", e.problems());
        }
    }

    private static Map<String, Object> view(QaRules rules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QaRules.Rule rule : rules.rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", rule.name());
            m.put("kind", rule.kind().id());
            switch (rule.kind()) {
                case REQUIRED_DISCLOSURE -> m.put("text", rule.text());
                case PROHIBITED_PHRASE, CALLER_WORDS -> m.put("phrases", rule.phrases());
                case LONG_SILENCE -> m.put("max_ms", rule.maxMs());
                case REPEATED_NO_MATCH -> m.put("count", rule.count());
            }
            if (!rule.dialogs().isEmpty()) {
                m.put("dialogs", rule.dialogs());
            }
            out.add(m);
        }
        return Map.of("rules", out);
    }

    private ApiResponse flags(ApiRequest r) {
        Long campaign = r.queryParam("campaign").map(v -> number("campaign", v)).orElse(null);
        String rule = r.queryParam("rule").filter(v -> !v.isBlank()).orElse(null);
        Instant since = r.queryParam("since").map(QaRoutes::instant).orElse(null);
        long before = r.queryParam("before").map(v -> number("before", v)).orElse(0L);
        int limit = (int) Math.min(500, Math.max(1, r.queryParam("limit").map(v -> number("limit", v)).orElse(100L)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (QaStore.FlagView f : store.flags(campaign, rule, since, before, limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("call", f.callUuid());
            m.put("campaign_id", f.campaignId());
            m.put("rule", f.ruleName());
            m.put("kind", f.ruleKind());
            m.put("turn", f.turnSeq());
            m.put("detail", f.detail());
            m.put("flagged_at", f.createdAt().toString());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flags", out);
        body.put("next_before", out.size() == limit ? out.get(out.size() - 1).get("id") : null);
        return ApiResponse.ok(body);
    }

    private ApiResponse summary(ApiRequest r) {
        long id = number("campaign id", r.pathParam("id"));
        QaStore.Summary s = store.summary(id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaign_id", id);
        body.put("checked", s.checked());
        body.put("flagged", s.flagged());
        body.put("per_rule", s.perRule());
        return ApiResponse.ok(body);
    }

    private static long number(String what, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(what + ": must be a number, got '" + v + "'");
        }
    }

    private static Instant instant(String v) {
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("since: must be an ISO-8601 instant like 2026-12-01T00:00:00Z, got '"
                    + v + "'");
        }
    }
}
