package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.store.FollowupStore;
import io.voicebot.store.Role;
import io.voicebot.store.TaskStore;
import io.voicebot.tasks.TaskJson;
import io.voicebot.tasks.TaskService;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follow-up tasks for people (agents and up): GET /api/tasks with filters and paging, GET /api/tasks/{id},
 * POST /api/tasks/{id}/claim (409 when someone else has it), POST /api/tasks/{id}/close {"note": ...}. Numbers in
 * full for operators and admins, masked for agents, as in the list routes. Who claims is the token's name.
 */
public final class TaskRoutes {
    private static final Set<String> REASONS = Set.of(TaskStore.ATTEMPTS_EXHAUSTED, TaskStore.DIALOG,
            TaskStore.CALLBACK, TaskStore.TRANSFER_NO_AGENT);

    private final TaskService tasks;

    public TaskRoutes(TaskService tasks) {
        this.tasks = tasks;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/tasks", Role.AGENT, this::list);
        api.route("GET", "/api/tasks/{id}", Role.AGENT, r -> ApiResponse.ok(view(r, tasks.find(id(r))
                .orElseThrow(() -> ApiException.notFound("no task " + r.pathParam("id"))))));
        api.route("POST", "/api/tasks/{id}/claim", Role.AGENT, r -> answer(r, tasks.claim(id(r),
                r.principal().name())));
        api.route("POST", "/api/tasks/{id}/close", Role.AGENT, this::close);
    }

    private ApiResponse list(ApiRequest r) {
        FollowupStore.State state = r.queryParam("state").map(s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "open" -> FollowupStore.State.OPEN;
            case "closed" -> FollowupStore.State.CLOSED;
            default -> throw EventRoutes.bad("state", "must be open or closed, got '" + s + "'");
        }).orElse(null);
        String reason = r.queryParam("reason").orElse(null);
        if (reason != null && !REASONS.contains(reason)) {
            throw EventRoutes.bad("reason", "must be one of " + new java.util.TreeSet<>(REASONS) + ", got '"
                    + reason + "'");
        }
        Long campaign = r.queryParam("campaign").map(v -> number("campaign", v)).orElse(null);
        Instant since = r.queryParam("since").map(v -> instant("since", v)).orElse(null);
        Instant until = r.queryParam("until").map(v -> instant("until", v)).orElse(null);
        Long cursor = r.queryParam("cursor").map(v -> number("cursor", v)).orElse(null);
        int limit = ListRoutes.limit(r);
        List<TaskStore.Task> page = tasks.page(new TaskStore.Filter(state, reason, campaign, since, until), cursor,
                limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", page.stream().map(t -> view(r, t)).toList());
        body.put("next_cursor", page.size() < limit ? null : String.valueOf(page.get(page.size() - 1).id()));
        return ApiResponse.ok(body);
    }

    private ApiResponse close(ApiRequest r) {
        long id = id(r);
        String note = null;
        if (r.body().length > 0) {
            JsonNode b = r.jsonBody();
            JsonNode n = b.path("note");
            if (!b.isObject()) {
                throw ApiException.badRequest("body must be a JSON object {\"note\": \"...\"}");
            }
            for (java.util.Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("note")) {
                    throw EventRoutes.bad(f, "unknown field (known: note)");
                }
            }
            if (!n.isMissingNode() && !n.isNull() && !n.isTextual()) {
                throw EventRoutes.bad("note", "must be text");
            }
            note = n.isTextual() ? n.asText() : null;
        }
        try {
            return answer(r, tasks.close(id, r.principal().name(), note));
        } catch (IllegalArgumentException e) {
            throw EventRoutes.bad("note", e.getMessage().replaceFirst("^note: ", ""));
        }
    }

    private static ApiResponse answer(ApiRequest r, TaskStore.Result res) {
        return switch (res.change()) {
            case DONE -> ApiResponse.ok(view(r, res.task()));
            case NOT_FOUND -> throw ApiException.notFound("no task " + r.pathParam("id"));
            case CLOSED -> throw ApiException.conflict("task " + res.task().id() + " is closed (by "
                    + res.task().closedBy() + ")");
            case TAKEN -> throw new ApiException(409, "task " + res.task().id() + " is claimed by "
                    + res.task().claimedBy(), Map.of("claimed_by", res.task().claimedBy()));
        };
    }

    private static Map<String, Object> view(ApiRequest r, TaskStore.Task t) {
        return TaskJson.view(t, r.principal().role().includes(Role.OPERATOR));
    }

    private static long id(ApiRequest r) {
        return number("id", r.pathParam("id"));
    }

    private static long number(String field, String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw EventRoutes.bad(field, "must be a whole number, got '" + v + "'");
    }

    private static Instant instant(String field, String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw EventRoutes.bad(field, "must be an ISO-8601 time like 2026-12-01T09:00:00Z, got '" + v + "'");
        }
    }
}
