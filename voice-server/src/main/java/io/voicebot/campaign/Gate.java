package io.voicebot.campaign;

import io.voicebot.campaign.ComplianceRules.Caps;
import io.voicebot.campaign.ComplianceRules.TimeRange;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.DialQueueStore.Candidate;
import io.voicebot.store.DialQueueStore.Verdict;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The compliance gate, asked right before each dial in the transaction that claims the contact: do-not-call, a
 * call already in flight to the number, the contact's local calling window (campaign window ∩ the country's legal
 * window, holidays, in every zone the number may be in), the caps per number across all campaigns and the
 * campaign's attempts per day. Pure: every fact comes in the {@link Candidate}, so each decision can be explained
 * and tested. The reason is written for an operator (and a regulator) to read.
 */
public final class Gate {
    /** How soon a number with a call in flight is looked at again. */
    static final Duration IN_FLIGHT_RECHECK = Duration.ofMinutes(2);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);

    private final ComplianceRules rules;

    public Gate(ComplianceRules rules) {
        this.rules = rules;
    }

    public ComplianceRules rules() {
        return rules;
    }

    public Verdict decide(Candidate k, Campaign campaign, Instant now) {
        if (k.dnc() != null) {
            String why = "number is on the do-not-call list" + (k.dnc().reason() == null ? ""
                    : " (" + k.dnc().reason() + ")");
            return k.dnc().expiresAt() == null ? Verdict.block("dnc", why, null)
                    : Verdict.block("dnc", why + " until " + k.dnc().expiresAt(), k.dnc().expiresAt());
        }
        if (k.inFlight()) {
            return Verdict.block("in_flight", "another call to this number has not ended",
                    now.plus(IN_FLIGHT_RECHECK));
        }
        List<ZoneId> zones = new ArrayList<>();
        for (String z : k.timezones()) {
            try {
                zones.add(ZoneId.of(z));
            } catch (DateTimeException e) {
                return Verdict.block("no_timezone", "stored time zone '" + z + "' is not known", null);
            }
        }
        if (zones.isEmpty()) {
            return Verdict.block("no_timezone", "no time zone is known for this number, so its local hour cannot be "
                    + "checked; give the contact a timezone column", null);
        }
        CallingWindow window = new CallingWindow(rules, campaign.windowStart(), campaign.windowEnd(),
                campaign.windowDays());
        Optional<Instant> open = window.nextOpen(now, k.country(), zones);
        if (open.isEmpty() || !open.get().equals(now)) {
            return closed(k, campaign, window, zones, now, open, "window");
        }
        // Caps: how many counted calls the number had in each rolling period; blocked until the oldest that
        // keeps it at the cap leaves the period.
        Caps caps = rules.caps();
        Instant capFree = null;
        String capRule = null;
        String capWhy = null;
        int day = count(k.personCalls(), now.minus(Duration.ofDays(1)));
        int week = count(k.personCalls(), now.minus(Duration.ofDays(7)));
        int month = count(k.personCalls(), now.minus(Duration.ofDays(30)));
        String noun = caps.basis() == ComplianceRules.CapBasis.ANSWERED ? "answered call" : "call attempt";
        if (day >= caps.perDay()) {
            capFree = freeAt(k.personCalls(), caps.perDay(), Duration.ofDays(1), now);
            capRule = "cap_day";
            capWhy = day + " " + noun + "(s) to this number in the last 24 hours (cap " + caps.perDay() + ")";
        } else if (week >= caps.perWeek()) {
            capFree = freeAt(k.personCalls(), caps.perWeek(), Duration.ofDays(7), now);
            capRule = "cap_week";
            capWhy = week + " " + noun + "(s) to this number in the last 7 days (cap " + caps.perWeek() + ")";
        } else if (month >= caps.perMonth()) {
            capFree = freeAt(k.personCalls(), caps.perMonth(), Duration.ofDays(30), now);
            capRule = "cap_month";
            capWhy = month + " " + noun + "(s) to this number in the last 30 days (cap " + caps.perMonth() + ")";
        } else if (k.campaignAttempts().size() >= campaign.maxAttemptsPerDay()) {
            capFree = freeAt(k.campaignAttempts(), campaign.maxAttemptsPerDay(), Duration.ofDays(1), now);
            capRule = "campaign_day_limit";
            capWhy = k.campaignAttempts().size() + " attempt(s) of this campaign in the last 24 hours (limit "
                    + campaign.maxAttemptsPerDay() + ")";
        }
        if (capRule != null) {
            Optional<Instant> next = window.nextOpen(capFree, k.country(), zones);
            return Verdict.block(capRule, capWhy + "; next possible " + next.map(Instant::toString)
                    .orElse("not within " + CallingWindow.HORIZON_DAYS + " days"), next.orElse(null));
        }
        ZonedDateTime local = now.atZone(zones.get(0));
        LocalDate date = local.toLocalDate();
        return Verdict.allow(describeLocal(now, zones) + " is inside the campaign window "
                + window.campaign() + " and the legal window " + window.legal(k.country(), date) + " ("
                + (k.country() == null ? "default rules" : k.country()) + "); not on the do-not-call list; "
                + day + "/" + caps.perDay() + " today, " + week + "/" + caps.perWeek() + " this week, " + month + "/"
                + caps.perMonth() + " this month (" + noun + "s); attempt " + (k.attempts() + 1) + " ("
                + k.nextKind() + ")");
    }

    private Verdict closed(Candidate k, Campaign campaign, CallingWindow window, List<ZoneId> zones, Instant now,
                           Optional<Instant> open, String rule) {
        LocalDate date = now.atZone(zones.get(0)).toLocalDate();
        boolean holiday = rules.isHoliday(k.country(), date);
        String why = (holiday ? "holiday in " + k.country() + " at " : "outside calling hours at ")
                + describeLocal(now, zones) + "; campaign window " + window.campaign() + " on "
                + campaign.windowDays().stream().map(d -> d.name().substring(0, 3)).toList()
                + ", legal window that day " + window.legal(k.country(), date);
        if (campaign.endsAt() != null && (open.isEmpty() || !open.get().isBefore(campaign.endsAt()))) {
            return Verdict.block("campaign_end", why + "; the window does not open again before the campaign ends "
                    + campaign.endsAt(), null);
        }
        return Verdict.block(holiday ? "holiday" : rule, why + "; next opening "
                + open.map(Instant::toString).orElse("not within " + CallingWindow.HORIZON_DAYS + " days"),
                open.orElse(null));
    }

    private static String describeLocal(Instant now, List<ZoneId> zones) {
        List<String> parts = new ArrayList<>();
        for (ZoneId z : zones) {
            parts.add(LOCAL.format(now.atZone(z)) + " " + z);
        }
        return String.join(", ", parts);
    }

    private static int count(List<Instant> newestFirst, Instant since) {
        int n = 0;
        for (Instant t : newestFirst) {
            if (t.isAfter(since)) {
                n++;
            }
        }
        return n;
    }

    /** When the count in a rolling {@code period} drops below {@code cap}: the cap-th newest leaves the period. */
    private static Instant freeAt(List<Instant> newestFirst, int cap, Duration period, Instant now) {
        if (cap == 0) {
            return now.plus(period);
        }
        Instant t = newestFirst.get(Math.min(cap, newestFirst.size()) - 1);
        Instant free = t.plus(period).plus(1, ChronoUnit.SECONDS);
        return free.isAfter(now) ? free : now;
    }
}
