package io.voicebot.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Query parameters of list routes: limit, an opaque cursor and times. A bad value is a 400 naming the parameter.
 * A cursor is base64url text of its parts; clients pass back what the previous page's nextCursor said.
 */
final class Paging {
    private Paging() {}

    /** {@code limit}: 1 to {@code max}, {@code dflt} when absent. */
    static int limit(ApiRequest r, int dflt, int max) {
        Optional<String> v = r.queryParam("limit");
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("parameter 'limit' must be a whole number from 1 to " + max + ", got '"
                + v.get() + "'");
    }

    static String cursor(String... parts) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The parts of the {@code cursor} parameter (exactly {@code count}), or empty when absent. */
    static Optional<List<String>> cursorParts(ApiRequest r, int count) {
        Optional<String> v = r.queryParam("cursor");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(v.get().strip()), StandardCharsets.UTF_8);
            List<String> parts = List.of(text.split("\\|", -1));
            if (parts.size() == count) {
                return Optional.of(parts);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.badRequest("parameter 'cursor' is not a cursor this server gave out: pass the "
                + "nextCursor of the previous page unchanged");
    }

    /**
     * A time parameter: an ISO instant (2026-11-20T09:00:00Z) or a date (2026-11-20, midnight UTC; with
     * {@code endOfDay} the midnight after it, so "to=2026-11-20" includes that day).
     */
    static Optional<Instant> time(ApiRequest r, String name, boolean endOfDay) {
        Optional<String> v = r.queryParam(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String s = v.get().strip();
        try {
            return Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            try {
                LocalDate d = LocalDate.parse(s);
                return Optional.of((endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest("parameter '" + name + "' must be a date (2026-11-20) or a UTC time "
                        + "(2026-11-20T09:00:00Z), got '" + s + "'");
            }
        }
    }

    static long longPart(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter 'cursor' is not a cursor this server gave out: pass the "
                    + "nextCursor of the previous page unchanged");
        }
    }
}
