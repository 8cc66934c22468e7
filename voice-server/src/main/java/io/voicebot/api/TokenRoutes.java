package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/whoami and /api/tokens: who am I, and token management for admins. */
final class TokenRoutes {
    private final ApiTokenStore tokens;
    private final Clock clock = Clock.systemUTC();

    TokenRoutes(ApiTokenStore tokens) {
        this.tokens = tokens;
    }

    void register(HttpApi api) {
        api.route("GET", "/api/whoami", Role.AGENT, this::whoami);
        api.route("GET", "/api/tokens", Role.ADMIN, this::list);
        api.route("POST", "/api/tokens", Role.ADMIN, this::create);
        api.route("DELETE", "/api/tokens/{id}", Role.ADMIN, this::revoke);
    }

    private ApiResponse whoami(ApiRequest r) {
        return ApiResponse.ok(Map.of("name", r.principal().name(), "role", r.principal().role().id()));
    }

    private ApiResponse list(ApiRequest r) {
        List<Map<String, Object>> out = tokens.list().stream().map(TokenRoutes::view).toList();
        return ApiResponse.ok(Map.of("tokens", out));
    }

    /**
     * Body {"role": "operator", "name": "crm"}, optionally "expires_at" (an ISO-8601 instant) or "expires_in"
     * (30d, 12h, PT1H); the answer holds the token, which is never shown again.
     */
    private ApiResponse create(ApiRequest r) {
        JsonNode body = r.jsonBody();
        if (!body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object like {\"role\": \"operator\", \"name\": \"crm\"}");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("role") && !f.equals("name") && !f.equals("expires_at") && !f.equals("expires_in")) {
                throw ApiException.badRequest("unknown field '" + f + "' (allowed: role, name, expires_at, "
                        + "expires_in)");
            }
        });
        JsonNode roleNode = body.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw ApiException.badRequest("field 'role' is required: one of admin, operator, agent");
        }
        Role role;
        try {
            role = Role.parse(roleNode.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'role': " + e.getMessage());
        }
        JsonNode nameNode = body.get("name");
        if (nameNode != null && !nameNode.isTextual()) {
            throw ApiException.badRequest("field 'name' must be a string");
        }
        String name = nameNode == null ? role.id() + "-token" : nameNode.asText();
        if (name.isBlank() || name.length() > 100) {
            throw ApiException.badRequest("field 'name' must be 1 to 100 characters");
        }
        if (!ApiTokenStore.printable(name)) {
            throw ApiException.badRequest("field 'name' must not contain control characters (line breaks, tabs)");
        }
        Instant expires = TokenExpiry.fromJson(body, clock.instant());
        ApiTokenStore.Created created = tokens.create(name, role, expires);
        Map<String, Object> out = view(created.token());
        out.put("token", created.secret());
        return ApiResponse.created(out);
    }

    private ApiResponse revoke(ApiRequest r) {
        long id;
        try {
            id = Long.parseLong(r.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("token id must be a number, got '" + r.pathParam("id") + "'");
        }
        if (id == r.principal().tokenId()) {
            throw ApiException.conflict("a token cannot revoke itself");
        }
        if (!tokens.revoke(id)) {
            throw ApiException.notFound("no active token with id " + id);
        }
        return ApiResponse.noContent();
    }

    private static Map<String, Object> view(ApiTokenStore.ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("role", t.role().id());
        m.put("createdAt", t.createdAt().toString());
        m.put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
        m.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        m.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        return m;
    }
}
