package io.voicebot.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The legal side of dialing (config/compliance.yaml): a calling window per weekday and holidays per country, and
 * how often one number may be called across every campaign. Loaded once at start-up; every problem of the file is
 * reported with its path in the file.
 */
public final class ComplianceRules {

    /** A daily window in local time, start inclusive, end exclusive; {@code end} of 24:00 is midnight. */
    public record TimeRange(LocalTime start, LocalTime end, boolean toMidnight) {
        public static final TimeRange NONE = new TimeRange(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, false);

        public boolean isEmpty() {
            return !toMidnight && !end.isAfter(start);
        }

        /** The part of both windows; empty when they do not overlap. */
        public TimeRange intersect(TimeRange o) {
            if (isEmpty() || o.isEmpty()) {
                return NONE;
            }
            LocalTime s = start.isAfter(o.start) ? start : o.start;
            boolean mid = toMidnight && o.toMidnight;
            LocalTime e = mid ? LocalTime.MIDNIGHT : toMidnight ? o.end : o.toMidnight ? end
                    : end.isBefore(o.end) ? end : o.end;
            TimeRange r = new TimeRange(s, e, mid);
            return r.isEmpty() ? NONE : r;
        }

        @Override
        public String toString() {
            return isEmpty() ? "none" : start + "-" + (toMidnight ? "24:00" : end.toString());
        }
    }

    /** What counts toward the caps: calls that reached someone, or every dial. */
    public enum CapBasis { ANSWERED, ATTEMPTS }

    public record Caps(int perDay, int perWeek, int perMonth, CapBasis basis) {}

    /** One country's rules; a day missing from the file falls back to the default's. */
    private record Country(TimeRange weekdays, TimeRange saturday, TimeRange sunday, Set<LocalDate> holidays) {}

    private static final Pattern RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    private final Country defaults;
    private final Map<String, Country> countries;
    private final Caps caps;

    private ComplianceRules(Country defaults, Map<String, Country> countries, Caps caps) {
        this.defaults = defaults;
        this.countries = Map.copyOf(countries);
        this.caps = caps;
    }

    /** US-style defaults (08:00-21:00 weekdays, 09:00-20:00 weekends, 1/3/8 answered calls) for tests and demos. */
    public static ComplianceRules standard() {
        TimeRange weekdays = new TimeRange(LocalTime.of(8, 0), LocalTime.of(21, 0), false);
        TimeRange weekend = new TimeRange(LocalTime.of(9, 0), LocalTime.of(20, 0), false);
        return new ComplianceRules(new Country(weekdays, weekend, weekend, Set.of()), Map.of(),
                new Caps(1, 3, 8, CapBasis.ANSWERED));
    }

    /** Reads the file; an unreadable file or any bad entry is an {@link IllegalArgumentException} naming them all. */
    public static ComplianceRules load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read compliance rules: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": compliance rules must be a mapping with default, countries "
                    + "and caps");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("default", "countries", "caps").contains(k)) {
                problems.add(k + ": unknown key (default, countries, caps)");
            }
        }
        TimeRange all = new TimeRange(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true);
        Country fallback = new Country(all, all, all, Set.of());
        Country defaults = country("default", root.path("default"), fallback, problems);
        if (root.path("default").isMissingNode()) {
            problems.add("default: missing (the window for every country not listed)");
        }
        Map<String, Country> countries = new HashMap<>();
        JsonNode cs = root.path("countries");
        if (!cs.isMissingNode() && !cs.isObject()) {
            problems.add("countries: must be a mapping of country codes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String code = e.getKey().toUpperCase(Locale.ROOT);
            if (!code.matches("[A-Z]{2}")) {
                problems.add("countries." + e.getKey() + ": not an ISO 3166 two-letter country code");
                continue;
            }
            countries.put(code, country("countries." + e.getKey(), e.getValue(), defaults, problems));
        }
        JsonNode c = root.path("caps");
        Caps caps = new Caps(cap(c, "per_day", 1, problems), cap(c, "per_week", 3, problems),
                cap(c, "per_month", 8, problems), CapBasis.ANSWERED);
        String basis = c.path("count").asText("answered");
        switch (basis) {
            case "answered" -> { }
            case "attempts" -> caps = new Caps(caps.perDay(), caps.perWeek(), caps.perMonth(), CapBasis.ATTEMPTS);
            default -> problems.add("caps.count: must be answered or attempts, got '" + basis + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return new ComplianceRules(defaults, countries, caps);
    }

    private static Country country(String path, JsonNode n, Country fallback, List<String> problems) {
        if (n.isMissingNode()) {
            return fallback;
        }
        if (!n.isObject()) {
            problems.add(path + ": must be a mapping with weekdays, saturday, sunday, holidays");
            return fallback;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("weekdays", "saturday", "sunday", "holidays").contains(k)) {
                problems.add(path + "." + k + ": unknown key (weekdays, saturday, sunday, holidays)");
            }
        }
        Set<LocalDate> holidays = new HashSet<>(fallback.holidays());
        JsonNode h = n.path("holidays");
        if (!h.isMissingNode() && !h.isArray()) {
            problems.add(path + ".holidays: must be a list of dates (YYYY-MM-DD)");
        }
        for (JsonNode d : h) {
            try {
                holidays.add(LocalDate.parse(d.asText()));
            } catch (DateTimeException e) {
                problems.add(path + ".holidays: '" + d.asText() + "' is not a date (YYYY-MM-DD)");
            }
        }
        return new Country(range(path + ".weekdays", n.path("weekdays"), fallback.weekdays(), problems),
                range(path + ".saturday", n.path("saturday"), fallback.saturday(), problems),
                range(path + ".sunday", n.path("sunday"), fallback.sunday(), problems), Set.copyOf(holidays));
    }

    static TimeRange range(String path, JsonNode n, TimeRange fallback, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        Optional<TimeRange> r = parseRange(n.asText());
        if (r.isEmpty()) {
            problems.add(path + ": '" + n.asText() + "' is not HH:MM-HH:MM or none");
            return fallback;
        }
        return r.get();
    }

    /** "08:00-21:00", "09:30-24:00" or "none"; empty when the text is neither. */
    public static Optional<TimeRange> parseRange(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equalsIgnoreCase("none")) {
            return Optional.of(TimeRange.NONE);
        }
        Matcher m = RANGE.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        int h1 = Integer.parseInt(m.group(1));
        int m1 = Integer.parseInt(m.group(2));
        int h2 = Integer.parseInt(m.group(3));
        int m2 = Integer.parseInt(m.group(4));
        if (h1 > 23 || m1 > 59 || m2 > 59 || h2 > 24 || h2 == 24 && m2 != 0) {
            return Optional.empty();
        }
        boolean mid = h2 == 24;
        TimeRange r = new TimeRange(LocalTime.of(h1, m1), mid ? LocalTime.MIDNIGHT : LocalTime.of(h2, m2), mid);
        return r.isEmpty() ? Optional.empty() : Optional.of(r);
    }

    private static int cap(JsonNode caps, String key, int dflt, List<String> problems) {
        JsonNode n = caps.path(key);
        if (n.isMissingNode()) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0 || n.asInt() > 1000) {
            problems.add("caps." + key + ": must be a whole number from 0 to 1000, got '" + n.asText() + "'");
            return dflt;
        }
        return n.asInt();
    }

    /** The legal window on {@code date} in {@code country} (null or unknown: the default); NONE on a holiday. */
    public TimeRange window(String country, LocalDate date) {
        Country c = country == null ? defaults : countries.getOrDefault(country.toUpperCase(Locale.ROOT), defaults);
        if (c.holidays().contains(date)) {
            return TimeRange.NONE;
        }
        DayOfWeek d = date.getDayOfWeek();
        return d == DayOfWeek.SATURDAY ? c.saturday() : d == DayOfWeek.SUNDAY ? c.sunday() : c.weekdays();
    }

    public boolean isHoliday(String country, LocalDate date) {
        Country c = country == null ? defaults : countries.getOrDefault(country.toUpperCase(Locale.ROOT), defaults);
        return c.holidays().contains(date);
    }

    public Caps caps() {
        return caps;
    }
}
