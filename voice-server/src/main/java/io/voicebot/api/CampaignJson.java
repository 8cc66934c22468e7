package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.campaign.CampaignService;
import io.voicebot.config.Durations;
import io.voicebot.store.CampaignLists;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.store.CampaignReports;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of /api/campaigns: a request body read into a {@link CampaignSpec} with every problem named by its
 * field, and a campaign with its progress written back. Durations are "10m", "2h", "1d", "90s" or ISO-8601
 * ("PT10M"); times of day "HH:MM"; dates ISO-8601 instants.
 */
final class CampaignJson {
    private static final Set<String> FIELDS = Set.of("name", "dialog", "lists", "caller_id", "starts_at", "ends_at",
            "window", "max_concurrent_calls", "max_calls_per_second", "priority", "retry", "answering_machine",
            "pace_by_agents");

    private CampaignJson() {}

    static CampaignSpec spec(JsonNode b) {
        List<String> problems = new ArrayList<>();
        if (!b.isObject()) {
            throw ApiException.badRequest("campaign must be a JSON object");
        }
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add(f + ": unknown field (one of " + String.join(", ", FIELDS.stream().sorted().toList())
                        + ")");
            }
        }
        String name = text(b, "name");
        String dialog = text(b, "dialog");
        List<Long> lists = new ArrayList<>();
        JsonNode ln = b.path("lists");
        if (!ln.isArray() || ln.isEmpty()) {
            problems.add("lists: must be a non-empty list of contact list ids");
        } else {
            for (JsonNode l : ln) {
                if (!l.canConvertToLong() || !l.isIntegralNumber()) {
                    problems.add("lists: '" + l.asText() + "' is not a list id");
                } else {
                    lists.add(l.asLong());
                }
            }
        }
        JsonNode w = b.path("window");
        LocalTime ws = time(w.path("start"), "window.start", LocalTime.of(9, 0), problems);
        LocalTime we = time(w.path("end"), "window.end", LocalTime.of(20, 0), problems);
        Set<DayOfWeek> days = days(w.path("days"), problems);
        JsonNode r = b.path("retry");
        int maxAttempts = integer(r.path("max_attempts"), "retry.max_attempts", 3, problems);
        int perDay = integer(r.path("max_attempts_per_day"), "retry.max_attempts_per_day", 2, problems);
        Duration dflt = duration(r.path("default"), "retry.default", Duration.ofHours(2), problems);
        Map<String, Duration> delays = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (Set.of("max_attempts", "max_attempts_per_day", "default").contains(e.getKey())) {
                continue;
            }
            Duration d = duration(e.getValue(), "retry." + e.getKey(), null, problems);
            if (d != null) {
                delays.put(e.getKey(), d);
            }
        }
        JsonNode amd = b.path("answering_machine");
        String amdAction = amd.path("action").asText("hangup");
        String vmText = amd.path("message").isMissingNode() || amd.path("message").isNull() ? null
                : amd.path("message").asText();
        int vmMax = integer(amd.path("max_seconds"), "answering_machine.max_seconds", 30, problems);
        int concurrency = integer(b.path("max_concurrent_calls"), "max_concurrent_calls", 5, problems);
        double cps = b.path("max_calls_per_second").isMissingNode() ? 1.0 : b.path("max_calls_per_second").asDouble(-1);
        int priority = integer(b.path("priority"), "priority", 0, problems);
        Instant starts = instant(b.path("starts_at"), "starts_at", problems);
        Instant ends = instant(b.path("ends_at"), "ends_at", problems);
        boolean pace = b.path("pace_by_agents").asBoolean(false);
        if (!problems.isEmpty()) {
            throw ApiException.invalid("campaign rejected: " + problems.size() + " problem(s)", problems);
        }
        return new CampaignSpec(name, dialog, lists, ws, we, days, maxAttempts, dflt, concurrency, starts, ends,
                text(b, "caller_id"), priority, cps, perDay, delays, amdAction, vmText, vmMax, pace);
    }

    private static String text(JsonNode b, String f) {
        JsonNode n = b.path(f);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static int integer(JsonNode n, String field, int dflt, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            problems.add(field + ": must be a whole number, got '" + n.asText() + "'");
            return dflt;
        }
        return n.asInt();
    }

    private static LocalTime time(JsonNode n, String field, LocalTime dflt, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        try {
            return LocalTime.parse(n.asText());
        } catch (DateTimeParseException e) {
            problems.add(field + ": '" + n.asText() + "' is not a time of day (HH:MM)");
            return dflt;
        }
    }

    private static Set<DayOfWeek> days(JsonNode n, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        if (!n.isArray()) {
            problems.add("window.days: must be a list of days, e.g. [\"MON\", \"TUE\"]");
            return out;
        }
        for (JsonNode d : n) {
            String t = d.asText().strip().toUpperCase(Locale.ROOT);
            DayOfWeek found = null;
            for (DayOfWeek day : DayOfWeek.values()) {
                if (t.length() >= 3 && day.name().startsWith(t)) {
                    found = day;
                }
            }
            if (found == null) {
                problems.add("window.days: '" + d.asText() + "' is not a day (MON..SUN)");
            } else {
                out.add(found);
            }
        }
        return out;
    }

    static Duration duration(JsonNode n, String field, Duration dflt, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        Duration d = Durations.parse(n.asText());
        if (d == null) {
            problems.add(field + ": '" + n.asText() + "' is not a duration (e.g. 10m, 2h, 1d or PT10M)");
            return dflt;
        }
        return d;
    }

    private static Instant instant(JsonNode n, String field, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeException e) {
            problems.add(field + ": '" + n.asText() + "' is not a date and time (e.g. 2026-12-01T09:00:00Z)");
            return null;
        }
    }

    static Map<String, Object> view(Campaign c, CampaignReports.Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("dialog", c.dialogName());
        m.put("lists", c.listIds());
        m.put("state", c.state().id());
        m.put("caller_id", c.callerId());
        m.put("starts_at", str(c.startsAt()));
        m.put("ends_at", str(c.endsAt()));
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("start", c.windowStart().toString());
        w.put("end", c.windowEnd().toString());
        w.put("days", c.windowDays().stream().map(d -> d.name().substring(0, 3)).toList());
        m.put("window", w);
        m.put("max_concurrent_calls", c.concurrency());
        m.put("max_calls_per_second", c.maxCallsPerSecond());
        m.put("priority", c.priority());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("max_attempts", c.maxAttempts());
        r.put("max_attempts_per_day", c.maxAttemptsPerDay());
        r.put("default", c.retryDelay().toString());
        c.retryDelays().forEach((k, v) -> r.put(k, v.toString()));
        m.put("retry", r);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("action", c.amdAction());
        a.put("message", c.voicemailText());
        a.put("max_seconds", c.voicemailMaxSeconds());
        m.put("answering_machine", a);
        m.put("pace_by_agents", c.paceByAgents());
        m.put("started_at", str(c.startedAt()));
        m.put("finished_at", str(c.finishedAt()));
        m.put("created_at", str(c.createdAt()));
        if (p != null) {
            Map<String, Object> pr = new LinkedHashMap<>();
            pr.put("contacts", p.contacts());
            pr.put("attempts", p.attempts());
            pr.put("outcomes", p.outcomes());
            pr.put("blocked_by", p.blocks());
            pr.put("lists", p.lists().stream().map(CampaignJson::listState).toList());
            m.put("progress", pr);
        }
        return m;
    }

    static Map<String, Object> view(CampaignService.View v) {
        return view(v.campaign(), v.progress());
    }

    /** A list of the campaign: importing (waited for), ready, or failed (not dialed; error says why). */
    private static Map<String, Object> listState(CampaignLists.ListState l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("name", l.name());
        m.put("state", l.state());
        m.put("error", l.error());
        return m;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
