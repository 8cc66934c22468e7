package io.voicebot.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.api.ApiException;
import io.voicebot.api.ApiRequest;
import io.voicebot.api.ApiResponse;
import io.voicebot.api.HttpApi;
import io.voicebot.store.DashboardQueries;
import io.voicebot.store.Role;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * What the web console needs beyond the other routes: the dashboard's figures in one answer, and test calls of a
 * dialog. The pages themselves are files under /console (HttpApi#serveFiles).
 * <pre>
 * GET  /api/console/summary                (agent)    calls in progress, per minute, outcomes today, turn latency
 * POST /api/dialogs/{name}/test-calls      (operator) {"replies": ["yes", "#1", ""], "variables": {...}} → 202
 * GET  /api/test-calls/{id}                (operator) its state; callId once the call ended
 * </pre>
 */
public final class ConsoleRoutes {
    /** Minutes of the calls-per-minute series on the dashboard. */
    static final int MINUTES = 30;
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,99}");
    private static final java.util.regex.Pattern KEYS = java.util.regex.Pattern.compile("#[0-9*#]{1,20}");
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("\\+?[0-9]{3,20}");

    private final DashboardQueries queries;
    private final IntSupplier callsInProgress;
    private final TestCalls testCalls;
    private final Predicate<String> dialogExists;
    private final Clock clock;

    public ConsoleRoutes(DashboardQueries queries, IntSupplier callsInProgress, TestCalls testCalls,
                         Predicate<String> dialogExists, Clock clock) {
        this.queries = queries;
        this.callsInProgress = callsInProgress;
        this.testCalls = testCalls;
        this.dialogExists = dialogExists;
        this.clock = clock;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/console/summary", Role.AGENT, r -> ApiResponse.ok(summary()));
        api.route("POST", "/api/dialogs/{name}/test-calls", Role.OPERATOR, this::startTestCall);
        api.route("GET", "/api/test-calls/{id}", Role.OPERATOR, r -> ApiResponse.ok(testCalls.find(r.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("no such test call (they are kept for the last 50)"))));
    }

    private Map<String, Object> summary() {
        DashboardQueries.Summary s = queries.summary(clock.instant(), MINUTES);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls_in_progress", callsInProgress.getAsInt());
        List<Integer> per = s.perMinute();
        // The last entry is the minute still running: "per minute" is the last whole one.
        m.put("calls_last_minute", per.size() < 2 ? 0 : per.get(per.size() - 2));
        m.put("calls_per_minute", per);
        m.put("calls_today", s.callsToday());
        m.put("outcomes_today", s.outcomesToday());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("turns", s.latency().turns());
        lat.put("average_ms", s.latency().averageMs());
        lat.put("p95_ms", s.latency().p95Ms());
        lat.put("max_ms", s.latency().maxMs());
        m.put("turn_latency", lat);
        m.put("at", clock.instant().toString());
        return m;
    }

    private ApiResponse startTestCall(ApiRequest r) {
        String dialog = r.pathParam("name");
        if (!NAME.matcher(dialog).matches() || !dialogExists.test(dialog)) {
            throw ApiException.notFound("no dialog named '" + dialog + "'");
        }
        JsonNode b = r.body().length == 0 ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                : r.jsonBody();
        List<String> problems = new ArrayList<>();
        if (!b.isNull() && !b.isObject()) {
            throw ApiException.badRequest("test call must be a JSON object");
        }
        b.fieldNames().forEachRemaining(f -> {
            if (!List.of("replies", "variables", "caller", "inbound").contains(f)) {
                problems.add(f + ": unknown field (one of caller, inbound, replies, variables)");
            }
        });
        List<String> replies = new ArrayList<>();
        JsonNode rs = b.path("replies");
        if (!rs.isMissingNode() && !rs.isArray()) {
            problems.add("replies: must be a list of texts");
        } else if (rs.size() > TestCalls.MAX_REPLIES) {
            problems.add("replies: at most " + TestCalls.MAX_REPLIES + ", got " + rs.size());
        } else {
            for (int i = 0; i < rs.size(); i++) {
                JsonNode x = rs.get(i);
                String t = x.isTextual() ? x.asText().strip() : null;
                if (t == null || t.length() > TestCalls.MAX_REPLY_CHARS) {
                    problems.add("replies[" + i + "]: must be a text of at most " + TestCalls.MAX_REPLY_CHARS
                            + " characters");
                } else if (t.startsWith("#") && !KEYS.matcher(t).matches()) {
                    problems.add("replies[" + i + "]: '" + t + "' presses keys, which must be 0-9, * or #");
                } else {
                    replies.add(t);
                }
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode vs = b.path("variables");
        if (!vs.isMissingNode() && !vs.isObject()) {
            problems.add("variables: must be an object of name: value");
        } else {
            vs.fields().forEachRemaining(e -> {
                if (!NAME.matcher(e.getKey()).matches() || !e.getValue().isValueNode()) {
                    problems.add("variables." + e.getKey() + ": must be a lower_snake_case name with a text value");
                } else {
                    vars.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        String caller = b.path("caller").asText("+15550100000").replaceAll("[\\s().-]", "");
        if (!NUMBER.matcher(caller).matches()) {
            problems.add("caller: '" + b.path("caller").asText() + "' is not a phone number");
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("test call rejected: " + problems.size() + " problem(s)", problems);
        }
        try {
            return new ApiResponse(202, testCalls.start(dialog, replies, vars, caller,
                    b.path("inbound").asBoolean(false)));
        } catch (IllegalStateException e) {
            throw new ApiException(429, e.getMessage());
        }
    }
}
