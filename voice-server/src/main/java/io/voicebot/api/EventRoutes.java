package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.events.EventService;
import io.voicebot.events.EventService.EventInput;
import io.voicebot.events.EventTypes;
import io.voicebot.store.EventStore;
import io.voicebot.store.Role;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Business events in (POST /api/events, operators) and the event types that map them to campaigns
 * (GET/PUT/DELETE /api/event-types/{type}). A bad body is a 400 whose "field" names the first bad field.
 */
public final class EventRoutes {
    private static final Set<String> EVENT_FIELDS = Set.of("type", "customer", "phone", "fields", "timezone",
            "idempotencyKey", "idempotency_key");

    private final EventService events;
    private final EventStore store;
    private final Duration defaultDedupe;

    public EventRoutes(EventService events, EventStore store, Duration defaultDedupe) {
        this.events = events;
        this.store = store;
        this.defaultDedupe = defaultDedupe;
    }

    public void register(HttpApi api) {
        api.route("POST", "/api/events", Role.OPERATOR, this::post);
        api.route("GET", "/api/events/{id}", Role.OPERATOR, this::get);
        api.route("GET", "/api/event-types", Role.OPERATOR, r -> ApiResponse.ok(Map.of("event_types",
                events.types().all().stream().map(EventRoutes::view).toList())));
        api.route("GET", "/api/event-types/{type}", Role.OPERATOR, r -> ApiResponse.ok(view(events.types()
                .find(r.pathParam("type")).orElseThrow(() -> ApiException.notFound("no event type '"
                        + r.pathParam("type") + "'")))));
        api.route("PUT", "/api/event-types/{type}", Role.OPERATOR, this::put);
        api.route("DELETE", "/api/event-types/{type}", Role.OPERATOR, this::delete);
    }

    static ApiException bad(String field, String message) {
        return new ApiException(400, field + ": " + message, Map.of("field", field));
    }

    private ApiResponse post(ApiRequest r) {
        JsonNode b = r.jsonBody();
        if (!b.isObject()) {
            throw ApiException.badRequest("body must be a JSON object {type, customer, phone, fields, timezone}");
        }
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!EVENT_FIELDS.contains(f)) {
                throw bad(f, "unknown field (known: type, customer, phone, fields, timezone, idempotencyKey)");
            }
        }
        String type = text(b, "type", 64, true);
        if (!EventTypes.TYPE.matcher(type).matches()) {
            throw bad("type", "'" + type + "' must be 1 to 64 of a-z, 0-9, '_', '.', '-'");
        }
        String customer = text(b, "customer", 100, true);
        String phone = text(b, "phone", 64, true);
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode f = b.path("fields");
        if (!f.isMissingNode() && !f.isNull()) {
            if (!f.isObject()) {
                throw bad("fields", "must be an object of names to text or numbers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw bad("fields." + e.getKey(), "must be text, a number or true/false");
                }
                if (e.getKey().isBlank() || e.getKey().length() > 100 || e.getValue().asText().length() > 1000) {
                    throw bad("fields." + e.getKey(), "names are 1 to 100 characters, values at most 1000");
                }
                fields.put(e.getKey(), e.getValue().asText());
            }
        }
        String tz = text(b, "timezone", 64, false);
        if (tz != null) {
            try {
                tz = ZoneId.of(tz).getId();
            } catch (DateTimeException e) {
                throw bad("timezone", "'" + tz + "' is not a time zone (e.g. America/New_York)");
            }
        }
        String key = r.header("idempotency-key").orElse(null);
        String bodyKey = b.has("idempotencyKey") ? text(b, "idempotencyKey", 200, false)
                : text(b, "idempotency_key", 200, false);
        if (key == null) {
            key = bodyKey;
        } else if (key.isBlank() || key.length() > 200) {
            throw bad("Idempotency-Key", "header must be 1 to 200 characters");
        }
        try {
            EventService.Reply reply = events.handle(new EventInput(type, customer, phone, fields, tz, key));
            return new ApiResponse(reply.status(), reply.body());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ApiException(400, m, Map.of("field", m.substring(0, Math.max(0, m.indexOf(':')))));
        }
    }

    private static String text(JsonNode b, String field, int max, boolean required) {
        JsonNode n = b.path(field);
        if (n.isMissingNode() || n.isNull()) {
            if (required) {
                throw bad(field, "required");
            }
            return null;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw bad(field, "must be text");
        }
        String v = n.asText().strip();
        if (v.isEmpty() || v.length() > max) {
            throw bad(field, "must be 1 to " + max + " characters");
        }
        return v;
    }

    private ApiResponse get(ApiRequest r) {
        long id;
        try {
            id = Long.parseLong(r.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("event id must be a number, got '" + r.pathParam("id") + "'");
        }
        EventStore.Event e = store.find(id).orElseThrow(() -> ApiException.notFound("no event " + id));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("type", e.type());
        m.put("customer", e.customer());
        m.put("phone", e.phone());
        m.put("received_at", e.receivedAt().toString());
        m.put("result", e.result());
        m.put("reason", e.reason());
        m.put("campaign_id", e.campaignId());
        m.put("contact_id", e.contactId());
        return ApiResponse.ok(m);
    }

    private ApiResponse put(ApiRequest r) {
        String type = r.pathParam("type");
        JsonNode b = r.jsonBody();
        List<String> problems = new ArrayList<>();
        EventTypes.parse(type, b, defaultDedupe, problems);
        JsonNode c = b.path("campaign");
        if (!c.isMissingNode() && !c.canConvertToLong()) {
            problems.add("campaign: must be a campaign id (a number)");
        }
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            throw new ApiException(400, String.join("; ", problems), Map.of("field",
                    first.substring(0, Math.max(0, first.indexOf(':'))), "problems", problems));
        }
        EventTypes.EventType t = EventTypes.parse(type, b, defaultDedupe, new ArrayList<>());
        try {
            store.putType(type, c.asLong(), t.dedupe(), t.resolvedBy());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage(), Map.of("field", "campaign"));
        }
        return ApiResponse.ok(view(events.types().find(type).orElseThrow()));
    }

    private ApiResponse delete(ApiRequest r) {
        String type = r.pathParam("type");
        if (store.deleteType(type)) {
            return ApiResponse.noContent();
        }
        if (events.types().find(type).isPresent()) {
            throw ApiException.conflict("event type '" + type + "' is defined in the events file (events.file); "
                    + "change it there");
        }
        throw ApiException.notFound("no event type '" + type + "'");
    }

    private static Map<String, Object> view(EventTypes.EventType t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", t.type());
        m.put("campaign", t.campaignId() != null ? t.campaignId() : t.campaignName());
        m.put("dedupe", t.dedupe().toString());
        m.put("dedupe_s", t.dedupe().toSeconds());
        m.put("resolved_by", t.resolvedBy());
        m.put("source", t.source());
        return m;
    }
}
