package io.voicebot.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every problem of a campaign spec, by field (the API's snake_case names), before anything is stored. */
final class CampaignChecks {
    static final double MAX_CALLS_PER_SECOND = 100;
    static final int VOICEMAIL_MAX_SECONDS = 120;

    private CampaignChecks() {}

    static List<String> problems(CampaignStore.CampaignSpec spec, String name) {
        List<String> problems = new ArrayList<>();
        if (name.isEmpty() || name.length() > 100) {
            problems.add("name: must be 1 to 100 characters");
        }
        if (spec.dialogName() == null || spec.dialogName().isBlank()) {
            problems.add("dialog: is missing");
        }
        if (spec.listIds().isEmpty()) {
            problems.add("lists: name at least one contact list");
        } else if (new HashSet<>(spec.listIds()).size() != spec.listIds().size()) {
            problems.add("lists: a list is named twice");
        }
        if (spec.windowStart() == null) {
            problems.add("window_start: is missing");
        }
        if (spec.windowEnd() == null) {
            problems.add("window_end: is missing");
        }
        if (spec.windowStart() != null && spec.windowEnd() != null && !spec.windowEnd().isAfter(spec.windowStart())) {
            problems.add("window_end: " + spec.windowEnd() + " must be after window_start " + spec.windowStart());
        }
        if (spec.windowDays() == null || spec.windowDays().isEmpty()) {
            problems.add("window_days: must name at least one day");
        }
        if (spec.maxAttempts() < 1 || spec.maxAttempts() > CampaignStore.MAX_ATTEMPTS_LIMIT) {
            problems.add("max_attempts: must be 1 to " + CampaignStore.MAX_ATTEMPTS_LIMIT + ", got "
                    + spec.maxAttempts());
        }
        if (spec.maxAttemptsPerDay() < 1 || spec.maxAttemptsPerDay() > CampaignStore.MAX_ATTEMPTS_LIMIT) {
            problems.add("max_attempts_per_day: must be 1 to " + CampaignStore.MAX_ATTEMPTS_LIMIT + ", got "
                    + spec.maxAttemptsPerDay());
        }
        checkDelay(problems, "retry_delay", spec.retryDelay());
        for (Map.Entry<String, Duration> e : spec.retryDelays().entrySet()) {
            if (!CampaignStore.RETRYABLE.contains(e.getKey())) {
                problems.add("retry." + e.getKey() + ": not an outcome that is retried (one of "
                        + String.join(", ", CampaignStore.RETRYABLE.stream().sorted().toList()) + ")");
            } else {
                checkDelay(problems, "retry." + e.getKey(), e.getValue());
            }
        }
        if (spec.concurrency() < 1 || spec.concurrency() > CampaignStore.CONCURRENCY_LIMIT) {
            problems.add("concurrency: must be 1 to " + CampaignStore.CONCURRENCY_LIMIT + ", got "
                    + spec.concurrency());
        }
        if (!(spec.maxCallsPerSecond() > 0) || spec.maxCallsPerSecond() > MAX_CALLS_PER_SECOND) {
            problems.add("max_calls_per_second: must be more than 0 and at most " + (int) MAX_CALLS_PER_SECOND
                    + ", got " + spec.maxCallsPerSecond());
        }
        if (spec.priority() < -1000 || spec.priority() > 1000) {
            problems.add("priority: must be -1000 to 1000, got " + spec.priority());
        }
        if (spec.startsAt() != null && spec.endsAt() != null && !spec.endsAt().isAfter(spec.startsAt())) {
            problems.add("ends_at: " + spec.endsAt() + " must be after starts_at " + spec.startsAt());
        }
        if (spec.callerId() != null && (spec.callerId().length() > 100 || spec.callerId().contains("\n")
                || spec.callerId().contains("\r"))) {
            problems.add("caller_id: must be one line of at most 100 characters");
        }
        if (!Set.of("off", "hangup", "voicemail").contains(spec.amdAction())) {
            problems.add("answering_machine: must be off, hangup or voicemail, got '" + spec.amdAction() + "'");
        }
        if ("voicemail".equals(spec.amdAction()) && (spec.voicemailText() == null || spec.voicemailText().isBlank())) {
            problems.add("voicemail_text: is needed when answering_machine is voicemail");
        }
        if (spec.voicemailMaxSeconds() < 1 || spec.voicemailMaxSeconds() > VOICEMAIL_MAX_SECONDS) {
            problems.add("voicemail_max_seconds: must be 1 to " + VOICEMAIL_MAX_SECONDS + ", got "
                    + spec.voicemailMaxSeconds());
        }
        return problems;
    }

    private static void checkDelay(List<String> problems, String field, Duration d) {
        if (d == null || d.compareTo(CampaignStore.MIN_RETRY_DELAY) < 0
                || d.compareTo(CampaignStore.MAX_RETRY_DELAY) > 0) {
            problems.add(field + ": must be 1 minute to 30 days, got " + d);
        }
    }
}
