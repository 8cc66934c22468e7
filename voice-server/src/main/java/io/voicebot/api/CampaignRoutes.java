package io.voicebot.api;

import io.voicebot.campaign.CampaignService;
import io.voicebot.log.PhoneMask;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * /api/campaigns: operators create campaigns and start, pause, resume and stop them; agents may watch. A campaign
 * answers with its progress (contacts per state, attempts per outcome, the gate's blocks per rule).
 */
public final class CampaignRoutes {
    private final CampaignService campaigns;
    private final CampaignReports queue;

    public CampaignRoutes(CampaignService campaigns, CampaignReports queue) {
        this.campaigns = campaigns;
        this.queue = queue;
    }

    public void register(HttpApi api) {
        api.route("POST", "/api/campaigns", Role.OPERATOR, this::create);
        api.route("GET", "/api/campaigns", Role.AGENT, r -> ApiResponse.ok(Map.of("campaigns",
                campaigns.list().stream().map(c -> CampaignJson.view(c, null)).toList())));
        api.route("GET", "/api/campaigns/{id}", Role.AGENT, r -> ApiResponse.ok(CampaignJson.view(
                campaigns.view(id(r)).orElseThrow(() -> ApiException.notFound("no campaign " + id(r))))));
        api.route("POST", "/api/campaigns/{id}/start", Role.OPERATOR, r -> change(r, campaigns::start));
        api.route("POST", "/api/campaigns/{id}/pause", Role.OPERATOR, r -> change(r, campaigns::pause));
        api.route("POST", "/api/campaigns/{id}/resume", Role.OPERATOR, r -> change(r, campaigns::resume));
        api.route("POST", "/api/campaigns/{id}/stop", Role.OPERATOR, r -> change(r, campaigns::stop));
        api.route("GET", "/api/campaigns/{id}/attempts", Role.AGENT, this::attempts);
        api.route("GET", "/api/campaigns/{id}/contacts/{contact}/decisions", Role.OPERATOR, this::decisions);
    }

    private ApiResponse create(ApiRequest r) {
        CampaignStore.CampaignSpec spec = CampaignJson.spec(r.jsonBody());
        try {
            CampaignStore.Campaign c = campaigns.create(spec);
            return ApiResponse.created(CampaignJson.view(campaigns.view(c.id()).orElseThrow()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("campaign rejected", List.of(e.getMessage().split("; ")));
        }
    }

    private ApiResponse change(ApiRequest r, LongFunction<CampaignService.View> op) {
        long id = id(r);
        try {
            return ApiResponse.ok(CampaignJson.view(op.apply(id)));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    private ApiResponse attempts(ApiRequest r) {
        long id = id(r);
        campaigns.view(id).orElseThrow(() -> ApiException.notFound("no campaign " + id));
        long before = longParam(r, "before", 0);
        int limit = (int) Math.min(500, Math.max(1, longParam(r, "limit", 100)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (AttemptStore.Attempt a : queue.attempts(id, before, limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id());
            m.put("contact_id", a.contactId());
            m.put("attempt_no", a.attemptNo());
            m.put("state", a.state().name().toLowerCase(java.util.Locale.ROOT));
            m.put("started_at", a.startedAt() == null ? null : a.startedAt().toString());
            m.put("ended_at", a.endedAt() == null ? null : a.endedAt().toString());
            m.put("outcome", a.outcome());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("attempts", out);
        body.put("next_before", out.size() == limit ? out.get(out.size() - 1).get("id") : null);
        return ApiResponse.ok(body);
    }

    private ApiResponse decisions(ApiRequest r) {
        long id = id(r);
        long contact = parseId(r.pathParam("contact"), "contact");
        List<Map<String, Object>> out = new ArrayList<>();
        for (CampaignReports.Decision d : queue.decisions(id, contact)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decided_at", d.decidedAt().toString());
            m.put("allowed", d.allowed());
            m.put("rule", d.rule());
            m.put("reason", d.reason());
            m.put("attempt_id", d.attemptId());
            m.put("phone", PhoneMask.mask(d.phone()));
            m.put("node", d.nodeId());
            out.add(m);
        }
        return ApiResponse.ok(Map.of("decisions", out));
    }

    private static long id(ApiRequest r) {
        return parseId(r.pathParam("id"), "campaign");
    }

    private static long parseId(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(what + " id must be a number, got '" + s + "'");
        }
    }

    private static long longParam(ApiRequest r, String name, long dflt) {
        String v = r.queryParam(name).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number, got '" + v + "'");
        }
    }
}
