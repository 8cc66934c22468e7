package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The optional expiry of a new token: "expires_at" (ISO-8601 instant) or "expires_in" (30d, 12h, PT1H). */
final class TokenExpiry {
    /** Longer than anyone should keep a token; also keeps the date inside DATETIME's range. */
    static final Duration MAX = Duration.ofDays(3660);

    private TokenExpiry() {}

    /** The expiry the body asks for, null for none; a 400 naming the field when it is wrong. */
    static Instant fromJson(JsonNode body, Instant now) {
        JsonNode at = body.get("expires_at");
        JsonNode in = body.get("expires_in");
        if (at != null && in != null && !at.isNull() && !in.isNull()) {
            throw ApiException.badRequest("give either 'expires_at' or 'expires_in', not both");
        }
        if (at != null && !at.isNull()) {
            Instant t;
            try {
                t = Instant.parse(at.asText());
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("field 'expires_at' must be an ISO-8601 time like "
                        + "2027-01-31T00:00:00Z, got '" + at.asText() + "'");
            }
            return check("expires_at", t, now);
        }
        if (in != null && !in.isNull()) {
            Duration d = in.isTextual() ? Durations.parse(in.asText()) : null;
            if (d == null || d.isNegative() || d.isZero()) {
                throw ApiException.badRequest("field 'expires_in' must be a positive duration like 90d, 12h or "
                        + "PT30M, got " + in);
            }
            if (d.compareTo(MAX) > 0) {
                throw ApiException.badRequest("field 'expires_in' is longer than " + MAX.toDays() + " days");
            }
            return now.plus(d);
        }
        return null;
    }

    private static Instant check(String field, Instant t, Instant now) {
        if (!t.isAfter(now)) {
            throw ApiException.badRequest("field '" + field + "' (" + t + ") is not in the future");
        }
        if (t.isAfter(now.plus(MAX))) {
            throw ApiException.badRequest("field '" + field + "' is more than " + MAX.toDays() + " days ahead");
        }
        return t;
    }
}
