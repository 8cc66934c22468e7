package io.voicebot.api;

import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;

import java.util.Optional;

/** The bearer-token check of every API route: who is asking, or the 401/403 answer. Does JDBC: not on an event loop. */
final class ApiAuth {

    /** Either {@code principal}, or {@code status} (401/403) with {@code message} and the 401's challenge. */
    record Verdict(Principal principal, int status, String message, String challenge) {
        boolean allowed() {
            return principal != null;
        }
    }

    private final ApiTokenStore tokens;

    ApiAuth(ApiTokenStore tokens) {
        this.tokens = tokens;
    }

    Verdict check(String authorization, String method, String path, Role needed) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("missing bearer token (send Authorization: Bearer <token>)", null);
        }
        Optional<ApiTokenStore.ApiToken> token = tokens.authenticate(authorization.substring(7).trim());
        if (token.isEmpty()) {
            return unauthorized("invalid or revoked token", "invalid_token");
        }
        Principal who = new Principal(token.get().id(), token.get().name(), token.get().role());
        if (!who.role().includes(needed)) {
            return new Verdict(null, 403, "role " + who.role().id() + " may not " + method + " " + path + " (needs "
                    + needed.id() + ")", null);
        }
        return new Verdict(who, 0, null, null);
    }

    private static Verdict unauthorized(String message, String errorCode) {
        return new Verdict(null, 401, message, "Bearer realm=\"voicebot\""
                + (errorCode == null ? "" : ", error=\"" + errorCode + "\""));
    }
}
