package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.log.PhoneMask;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.DncStore;
import io.voicebot.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /api/dnc: the do-not-call list. Operators page through it and remove entries; agents and up add numbers (an agent
 * on the phone hears a customer ask not to be called again). Numbers are stored in E.164.
 */
public final class DncRoutes {
    private static final Logger log = LoggerFactory.getLogger(DncRoutes.class);
    private static final Set<String> FIELDS = Set.of("phone", "reason", "expires_at");

    private final DncStore dnc;
    private final PhoneNumbers phones;
    private final Clock clock;

    public DncRoutes(DncStore dnc, PhoneNumbers phones, Clock clock) {
        this.dnc = dnc;
        this.phones = phones;
        this.clock = clock;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/dnc", Role.OPERATOR, this::list);
        api.route("POST", "/api/dnc", Role.AGENT, this::add);
        api.route("DELETE", "/api/dnc/{phone}", Role.OPERATOR, this::remove);
    }

    /** ?after=PHONE&limit=N, by number; {"entries": [...], "next": the last number or null}. */
    private ApiResponse list(ApiRequest r) {
        List<DncStore.Entry> page = dnc.list(r.queryParam("after").orElse(null), ListRoutes.limit(r));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.stream().map(DncRoutes::view).toList());
        body.put("next", page.isEmpty() ? null : page.get(page.size() - 1).phone());
        return ApiResponse.ok(body);
    }

    /** {"phone": "...", "reason": "...", "expires_at": "2025-01-31T00:00:00Z"}: 201 when new, 200 when it was there. */
    private ApiResponse add(ApiRequest r) {
        JsonNode body = r.jsonBody();
        if (!body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object like {\"phone\": \"+12125550100\", "
                    + "\"reason\": \"asked on the phone\"}");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown field '" + f + "' (allowed: phone, reason, expires_at)");
            }
        });
        JsonNode p = body.get("phone");
        if (p == null || !p.isTextual() || p.asText().isBlank()) {
            throw ApiException.badRequest("field 'phone' is required: the number, e.g. \"+12125550100\"");
        }
        PhoneNumbers.Parsed parsed = phones.parse(p.asText());
        if (parsed instanceof PhoneNumbers.Invalid bad) {
            throw ApiException.badRequest("field 'phone': " + bad.reason());
        }
        String phone = ((PhoneNumbers.Valid) parsed).e164();
        JsonNode reasonNode = body.get("reason");
        if (reasonNode != null && !reasonNode.isNull() && !reasonNode.isTextual()) {
            throw ApiException.badRequest("field 'reason' must be a string");
        }
        String reason = reasonNode == null || reasonNode.isNull() ? null : reasonNode.asText().strip();
        if (reason != null && reason.length() > 200) {
            throw ApiException.badRequest("field 'reason' must be at most 200 characters, got " + reason.length());
        }
        Instant now = clock.instant();
        Instant expires = expiry(body.get("expires_at"), now);
        boolean existed = dnc.find(phone).isPresent();
        boolean changed = dnc.add(new DncStore.Entry(phone, reason, "api", null, now, expires));
        log.info("do-not-call {} {} by token '{}'", PhoneMask.mask(phone), changed ? (existed ? "extended" : "added")
                : "already listed", r.principal().name());
        Map<String, Object> out = view(dnc.find(phone).orElseThrow());
        out.put("changed", changed);
        return new ApiResponse(existed ? 200 : 201, out);
    }

    private ApiResponse remove(ApiRequest r) {
        String phone = phones.canonical(r.pathParam("phone"));
        if (!dnc.remove(phone)) {
            throw ApiException.notFound("no do-not-call entry for " + phone);
        }
        log.info("do-not-call {} removed by token '{}'", PhoneMask.mask(phone), r.principal().name());
        return ApiResponse.noContent();
    }

    private static Instant expiry(JsonNode n, Instant now) {
        if (n == null || n.isNull()) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(n.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("field 'expires_at' must be an ISO-8601 time such as 2025-01-31T00:00:00Z, "
                    + "got '" + n.asText() + "'");
        }
        if (!t.isAfter(now)) {
            throw ApiException.badRequest("field 'expires_at' must be in the future, got " + t);
        }
        return t;
    }

    private static Map<String, Object> view(DncStore.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phone", e.phone());
        m.put("reason", e.reason());
        m.put("source", e.source());
        m.put("source_call_id", e.sourceCallId());
        m.put("created_at", ListRoutes.text(e.createdAt()));
        m.put("expires_at", ListRoutes.text(e.expiresAt()));
        return m;
    }
}
