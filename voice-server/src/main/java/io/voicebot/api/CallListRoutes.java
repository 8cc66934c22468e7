package io.voicebot.api;

import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.CallQueries;
import io.voicebot.store.CallStore;
import io.voicebot.store.RecordingStore;
import io.voicebot.store.Role;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GET /api/calls: stored calls, newest first, filtered by campaign, direction, from/to, outcome, phone and dialog,
 * paged with an opaque cursor. GET /api/calls/{uuid}/recording: the call's recording as audio/wav.
 */
public final class CallListRoutes {
    static final int MAX_LIMIT = 500;
    private static final java.util.Set<String> PARAMS = java.util.Set.of("campaign", "direction", "from", "to",
            "outcome", "phone", "dialog", "limit", "cursor");

    private final CallQueries queries;
    private final PhoneNumbers phones;
    private final Path recordingsDir;

    /** {@code recordingsDir}: where recording paths stored on calls are resolved. */
    public CallListRoutes(CallQueries queries, PhoneNumbers phones, Path recordingsDir) {
        this.queries = queries;
        this.phones = phones;
        this.recordingsDir = recordingsDir.toAbsolutePath().normalize();
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/calls", Role.AGENT, this::list);
        api.route("GET", "/api/calls/{uuid}/recording", Role.AGENT, this::recording);
    }

    private ApiResponse list(ApiRequest r) {
        for (String p : r.queryParamNames()) {
            if (!PARAMS.contains(p)) {
                throw ApiException.badRequest("unknown parameter '" + p + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(PARAMS)) + ")");
            }
        }
        int limit = Paging.limit(r, 50, MAX_LIMIT);
        Instant afterStarted = null;
        Long afterId = null;
        Optional<List<String>> cursor = Paging.cursorParts(r, 2);
        if (cursor.isPresent()) {
            afterStarted = Instant.ofEpochMilli(Paging.longPart(cursor.get().get(0)));
            afterId = Paging.longPart(cursor.get().get(1));
        }
        Long campaign = r.queryParam("campaign").map(v -> {
            try {
                long id = Long.parseLong(v.strip());
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw ApiException.badRequest("parameter 'campaign' must be a campaign id (a positive number), got '"
                    + v + "'");
        }).orElse(null);
        CallStore.Direction direction = r.queryParam("direction").map(v -> switch (v.strip()) {
            case "inbound" -> CallStore.Direction.INBOUND;
            case "outbound" -> CallStore.Direction.OUTBOUND;
            default -> throw ApiException.badRequest("parameter 'direction' must be inbound or outbound, got '"
                    + v + "'");
        }).orElse(null);
        Instant from = Paging.time(r, "from", false).orElse(null);
        Instant to = Paging.time(r, "to", true).orElse(null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        String outcome = text(r, "outcome", "[a-z_]{1,32}", "an outcome such as completed, transferred, hung_up");
        String dialog = text(r, "dialog", "[a-z][a-z0-9_]{0,99}", "a dialog name such as payment_reminder");
        String phone = r.queryParam("phone").map(this::phone).orElse(null);
        List<CallQueries.Listed> rows = queries.page(new CallQueries.Filter(campaign, direction, from, to, outcome,
                phone, dialog, afterStarted, afterId, limit + 1));
        boolean more = rows.size() > limit;
        List<Map<String, Object>> out = new ArrayList<>();
        for (CallQueries.Listed l : rows.subList(0, Math.min(limit, rows.size()))) {
            out.add(CallRecordJson.row(l));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("calls", out);
        String next = null;
        if (more) {
            CallStore.CallRecord last = rows.get(limit - 1).call();
            next = Paging.cursor(String.valueOf(last.startedAt().toEpochMilli()), String.valueOf(last.id()));
        }
        body.put("nextCursor", next);
        return ApiResponse.ok(body);
    }

    private static String text(ApiRequest r, String name, String pattern, String what) {
        return r.queryParam(name).map(v -> {
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (!s.matches(pattern)) {
                throw ApiException.badRequest("parameter '" + name + "' must be " + what + ", got '" + v + "'");
            }
            return s;
        }).orElse(null);
    }

    /** The stored (E.164) form of the number asked for; a 400 when it cannot be a phone number. */
    private String phone(String raw) {
        String s = raw.strip();
        if (!s.matches("\\+?[0-9 ().\\-/]{3,40}") || s.chars().filter(Character::isDigit).count() < 3) {
            throw ApiException.badRequest("parameter 'phone' must be a phone number such as +15550100001 (use %2B "
                    + "for + in a URL), got '" + raw + "'");
        }
        return phones.canonical(s);
    }

    private ApiResponse recording(ApiRequest r) {
        String id = CallRoutes.callId(r);
        CallQueries.Recording rec = queries.recording(id)
                .orElseThrow(() -> ApiException.notFound("call " + id + " has no recording"));
        if (RecordingStore.WRITING.equals(rec.state())) {
            throw ApiException.conflict("the recording of call " + id + " is still being written; try again when "
                    + "the call has ended");
        }
        Path file = recordingsDir.resolve(rec.path()).normalize();
        if (!file.startsWith(recordingsDir) || !Files.isRegularFile(file)) {
            throw ApiException.notFound("the recording file of call " + id + " is missing");
        }
        return ApiResponse.file("audio/wav", file);
    }
}
