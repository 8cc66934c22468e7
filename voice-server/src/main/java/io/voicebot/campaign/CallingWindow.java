package io.voicebot.campaign;

import io.voicebot.campaign.ComplianceRules.TimeRange;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When a number may be called: on the campaign's days, inside the campaign's daily window and the country's legal
 * window, not on a holiday, in every time zone the number may be in (a number that maps to several zones is called
 * only when it is a legal hour in all of them). Works on instants, so daylight-saving changes need no special case.
 */
final class CallingWindow {
    /** How far ahead an opening is searched for; a window closed for longer than this counts as closed for good. */
    static final int HORIZON_DAYS = 15;

    private record Interval(Instant start, Instant end) {}

    private final ComplianceRules rules;
    private final TimeRange campaign;
    private final Set<DayOfWeek> days;

    CallingWindow(ComplianceRules rules, LocalTime start, LocalTime end, Set<DayOfWeek> days) {
        this.rules = rules;
        this.campaign = new TimeRange(start, end, false);
        this.days = Set.copyOf(days);
    }

    /** The window on a local date in {@code country}: campaign ∩ law, or none on other days and holidays. */
    TimeRange on(String country, LocalDate date) {
        if (!days.contains(date.getDayOfWeek())) {
            return TimeRange.NONE;
        }
        return campaign.intersect(rules.window(country, date));
    }

    TimeRange legal(String country, LocalDate date) {
        return rules.window(country, date);
    }

    TimeRange campaign() {
        return campaign;
    }

    /** The earliest instant at or after {@code from} inside the window in every zone; empty within the horizon. */
    Optional<Instant> nextOpen(Instant from, String country, List<ZoneId> zones) {
        if (zones.isEmpty()) {
            return Optional.empty();
        }
        List<Interval> common = null;
        for (ZoneId z : zones) {
            List<Interval> mine = intervals(from, country, z);
            common = common == null ? mine : intersect(common, mine);
        }
        for (Interval i : common) {
            if (i.end().isAfter(from)) {
                return Optional.of(i.start().isAfter(from) ? i.start() : from);
            }
        }
        return Optional.empty();
    }

    private List<Interval> intervals(Instant from, String country, ZoneId zone) {
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        List<Interval> out = new ArrayList<>();
        for (int d = 0; d <= HORIZON_DAYS + 1; d++) {
            LocalDate date = first.plusDays(d);
            TimeRange r = on(country, date);
            if (r.isEmpty()) {
                continue;
            }
            Instant s = ZonedDateTime.of(date, r.start(), zone).toInstant();
            Instant e = r.toMidnight() ? ZonedDateTime.of(date.plusDays(1), LocalTime.MIDNIGHT, zone).toInstant()
                    : ZonedDateTime.of(date, r.end(), zone).toInstant();
            if (e.isAfter(s)) {
                out.add(new Interval(s, e));
            }
        }
        return out;
    }

    private static List<Interval> intersect(List<Interval> a, List<Interval> b) {
        List<Interval> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            Interval x = a.get(i);
            Interval y = b.get(j);
            Instant s = x.start().isAfter(y.start()) ? x.start() : y.start();
            Instant e = x.end().isBefore(y.end()) ? x.end() : y.end();
            if (e.isAfter(s)) {
                out.add(new Interval(s, e));
            }
            if (x.end().isBefore(y.end())) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }
}
