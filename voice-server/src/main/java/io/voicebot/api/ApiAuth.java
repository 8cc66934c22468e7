package io.voicebot.api;

import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/** The bearer-token check of every API route: who is asking, or the 401/403 answer. Does JDBC: not on an event loop. */
final class ApiAuth {

    /** Either {@code principal}, or {@code status} (401/403) with {@code message} and the 401's challenge. */
    record Verdict(Principal principal, int status, String message, String challenge) {
        boolean allowed() {
            return principal != null;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ApiAuth.class);
    private final ApiTokenStore tokens;
    private final Clock clock;

    ApiAuth(ApiTokenStore tokens) {
        this(tokens, Clock.systemUTC());
    }

    ApiAuth(ApiTokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The last-used time is bookkeeping: failing to write it never refuses a valid token. */
    private void markUsed(ApiTokenStore.ApiToken t) {
        try {
            tokens.markUsed(t);
        } catch (RuntimeException e) {
            log.warn("cannot note the use of token {}: {}", t.id(), e.getMessage());
        }
    }

    Verdict check(String authorization, String method, String path, Role needed) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("missing bearer token (send Authorization: Bearer <token>)", null);
        }
        Optional<ApiTokenStore.ApiToken> token = tokens.find(authorization.substring(7).trim());
        if (token.isEmpty() || token.get().revoked()) {
            return unauthorized("invalid or revoked token", "invalid_token");
        }
        if (token.get().expired(clock.instant())) {
            return unauthorized("token '" + token.get().name() + "' (id " + token.get().id() + ") expired at "
                    + token.get().expiresAt(), "invalid_token");
        }
        markUsed(token.get());
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
