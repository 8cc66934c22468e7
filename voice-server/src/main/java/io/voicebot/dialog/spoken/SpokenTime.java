package io.voicebot.dialog.spoken;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Dates and times the way callers say them, relative to "now" in the caller's time zone: "tomorrow at three",
 * "in two hours", "Monday morning", "the fifteenth of March", "next Friday", "half past four".
 * Hours said without am/pm follow office hours: one to six mean the afternoon, seven to eleven the morning.
 */
public final class SpokenTime {
    /** Time used when only a day is said ("call me tomorrow"). */
    public static final LocalTime DEFAULT_TIME = LocalTime.of(10, 0);

    private SpokenTime() {}

    /** A calendar day in the text, or empty. Dates never resolve to the past except "today"/"yesterday". */
    public static Optional<LocalDate> date(String text, LocalDate today) {
        List<String> w = SpokenNumbers.words(text);
        DatePart d = findDate(w, today);
        return d == null ? Optional.empty() : Optional.of(d.date);
    }

    /**
     * A moment in the text, or empty when there is neither a day nor a time in it, or it lies in the past.
     * A time alone that has passed today means tomorrow; a day alone means {@link #DEFAULT_TIME}.
     */
    public static Optional<ZonedDateTime> dateTime(String text, ZonedDateTime now) {
        List<String> w = SpokenNumbers.words(text);
        // "in two hours", "in half an hour", "in twenty minutes"
        Optional<ZonedDateTime> rel = relative(w, now);
        if (rel.isPresent()) {
            return rel;
        }
        DatePart d = findDate(w, now.toLocalDate());
        String partOfDay = partOfDay(w);
        LocalTime t = findTime(w, partOfDay);
        if (t == null && partOfDay != null) {
            t = switch (partOfDay) {
                case "morning" -> LocalTime.of(9, 0);
                case "noon" -> LocalTime.NOON;
                case "afternoon" -> LocalTime.of(14, 0);
                case "evening" -> LocalTime.of(18, 0);
                default -> LocalTime.of(19, 0); // tonight
            };
        }
        if (d == null && t == null) {
            return Optional.empty();
        }
        if (d == null) {
            ZonedDateTime at = now.with(t).truncatedTo(ChronoUnit.MINUTES);
            return Optional.of(at.isAfter(now) ? at : at.plusDays(1));
        }
        ZonedDateTime at = d.date.atTime(t == null ? DEFAULT_TIME : t).atZone(now.getZone());
        return at.isAfter(now) ? Optional.of(at) : Optional.empty();
    }

    private record DatePart(LocalDate date) {}

    private static Optional<ZonedDateTime> relative(List<String> w, ZonedDateTime now) {
        for (int i = 0; i + 1 < w.size(); i++) {
            if (!w.get(i).equals("in")) {
                continue;
            }
            int j = i + 1;
            if (w.get(j).equals("half") && j + 2 < w.size() && w.get(j + 1).matches("an?") && isHour(w.get(j + 2))) {
                return Optional.of(now.plusMinutes(30).truncatedTo(ChronoUnit.MINUTES));
            }
            long n;
            if (w.get(j).matches("an?") && j + 1 < w.size()) {
                n = 1;
                j++;
                if (w.get(j).equals("couple") && j + 2 < w.size() && w.get(j + 1).equals("of")) {
                    n = 2;
                    j += 2;
                }
            } else {
                Optional<int[]> s = SpokenNumbers.smallAt(w, j);
                if (s.isEmpty()) {
                    continue;
                }
                n = s.get()[0];
                j = s.get()[1];
            }
            if (j >= w.size()) {
                continue;
            }
            String unit = w.get(j);
            if (unit.matches("minutes?|mins?")) {
                return Optional.of(now.plusMinutes(n).truncatedTo(ChronoUnit.MINUTES));
            }
            if (isHour(unit)) {
                boolean andHalf = j + 3 < w.size() && w.get(j + 1).equals("and") && w.get(j + 2).equals("a")
                        && w.get(j + 3).equals("half");
                return Optional.of(now.plusMinutes(n * 60 + (andHalf ? 30 : 0)).truncatedTo(ChronoUnit.MINUTES));
            }
            if (unit.matches("days?")) {
                return Optional.of(now.toLocalDate().plusDays(n).atTime(DEFAULT_TIME).atZone(now.getZone()));
            }
            if (unit.matches("weeks?")) {
                return Optional.of(now.toLocalDate().plusWeeks(n).atTime(DEFAULT_TIME).atZone(now.getZone()));
            }
        }
        return Optional.empty();
    }

    private static boolean isHour(String s) {
        return s.matches("hours?|hrs?");
    }

    private static DatePart findDate(List<String> w, LocalDate today) {
        String joined = " " + String.join(" ", w) + " ";
        if (joined.contains(" day after tomorrow ")) {
            return new DatePart(today.plusDays(2));
        }
        if (joined.contains(" tomorrow ")) {
            return new DatePart(today.plusDays(1));
        }
        if (joined.contains(" today ") || joined.contains(" tonight ") || joined.contains(" this morning ")
                || joined.contains(" this afternoon ") || joined.contains(" this evening ")) {
            return new DatePart(today);
        }
        if (joined.contains(" yesterday ")) {
            return new DatePart(today.minusDays(1));
        }
        if (joined.contains(" end of the month ") || joined.contains(" end of this month ")) {
            return new DatePart(today.with(TemporalAdjusters.lastDayOfMonth()));
        }
        if (joined.contains(" end of next month ")) {
            return new DatePart(today.plusMonths(1).with(TemporalAdjusters.lastDayOfMonth()));
        }
        if (joined.contains(" next week ")) {
            return new DatePart(today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)));
        }
        for (int i = 0; i < w.size(); i++) {
            String s = w.get(i);
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                try {
                    return new DatePart(LocalDate.parse(s));
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
            DayOfWeek dow = dayOfWeek(s);
            if (dow != null) {
                // "Monday" and "next Monday" both mean the coming one, never today
                return new DatePart(today.with(TemporalAdjusters.next(dow)));
            }
            Month m = month(s);
            if (m != null) {
                // "March fifteenth" / "March the fifteenth"
                int j = i + 1 < w.size() && w.get(i + 1).equals("the") ? i + 2 : i + 1;
                if (j < w.size()) {
                    Optional<int[]> day = SpokenNumbers.dayAt(w, j);
                    if (day.isPresent()) {
                        return monthDay(m, day.get()[0], today);
                    }
                }
            }
            Optional<int[]> day = (s.equals("the") && i + 1 < w.size()) ? SpokenNumbers.dayAt(w, i + 1)
                    : isOrdinalWord(s) || (s.equals("twenty") || s.equals("thirty")) && i + 1 < w.size()
                    && isOrdinalWord(w.get(i + 1)) ? SpokenNumbers.dayAt(w, i) : Optional.empty();
            if (day.isPresent()) {
                int end = day.get()[1];
                // "the fifteenth of March", "fifteenth March"
                if (end < w.size() && w.get(end).equals("of")) {
                    end++;
                }
                Month after = end < w.size() ? month(w.get(end)) : null;
                if (after != null) {
                    return monthDay(after, day.get()[0], today);
                }
                int dom = day.get()[0];
                if (dom < 1 || dom > 31) {
                    return null;
                }
                LocalDate candidate = today.withDayOfMonth(Math.min(dom, today.lengthOfMonth()));
                if (candidate.isBefore(today)) {
                    LocalDate next = today.plusMonths(1);
                    candidate = next.withDayOfMonth(Math.min(dom, next.lengthOfMonth()));
                }
                return new DatePart(candidate);
            }
        }
        return null;
    }

    private static boolean isOrdinalWord(String s) {
        return s.matches("\\d{1,2}(st|nd|rd|th)") || s.matches("(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
                + "|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
                + "|thirtieth)");
    }

    private static DatePart monthDay(Month m, int day, LocalDate today) {
        if (day < 1 || day > m.maxLength()) {
            return null;
        }
        for (int y = today.getYear(); y <= today.getYear() + 4; y++) {
            if (day <= m.length(java.time.Year.isLeap(y))) {
                LocalDate d = LocalDate.of(y, m, day);
                if (!d.isBefore(today)) {
                    return new DatePart(d);
                }
            }
        }
        return null;
    }

    private static String partOfDay(List<String> w) {
        for (String s : w) {
            switch (s) {
                case "morning":
                    return "morning";
                case "afternoon":
                    return "afternoon";
                case "evening":
                    return "evening";
                case "tonight", "night":
                    return "tonight";
                case "noon", "midday", "lunchtime", "lunch":
                    return "noon";
                default:
                    break;
            }
        }
        return null;
    }

    /** "at three", "at three thirty", "half past four", "quarter to five", "3:30 pm", "three p m", "nine o'clock". */
    private static LocalTime findTime(List<String> w, String partOfDay) {
        for (int i = 0; i < w.size(); i++) {
            String s = w.get(i);
            int hour;
            int minute = 0;
            int end;
            if ((s.equals("half") || s.equals("quarter")) && i + 2 < w.size()
                    && (w.get(i + 1).equals("past") || w.get(i + 1).equals("to"))) {
                Optional<int[]> h = SpokenNumbers.smallAt(w, i + 2);
                if (h.isEmpty() || h.get()[0] < 1 || h.get()[0] > 12) {
                    continue;
                }
                hour = h.get()[0];
                int delta = s.equals("half") ? 30 : 15;
                if (w.get(i + 1).equals("to")) {
                    hour = hour - 1 == 0 ? 12 : hour - 1;
                    minute = 60 - delta;
                } else {
                    minute = delta;
                }
                end = h.get()[1];
            } else if (s.matches("\\d{1,2}:\\d{2}")) {
                hour = Integer.parseInt(s.substring(0, s.indexOf(':')));
                minute = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                end = i + 1;
            } else if (s.equals("at") && i + 1 < w.size() && !w.get(i + 1).matches("\\d{1,2}:\\d{2}")) {
                Optional<int[]> h = hourAt(w, i + 1);
                if (h.isEmpty()) {
                    continue;
                }
                hour = h.get()[0];
                end = h.get()[1];
                Optional<int[]> min = end < w.size() ? SpokenNumbers.smallAt(w, end) : Optional.empty();
                if (min.isPresent() && min.get()[0] < 60) {
                    minute = min.get()[0];
                    end = min.get()[1];
                }
            } else {
                Optional<int[]> h = hourAt(w, i);
                // a bare number is a time only when followed by o'clock / am / pm
                if (h.isEmpty() || h.get()[1] >= w.size() || !isClockSuffix(w, h.get()[1])) {
                    continue;
                }
                hour = h.get()[0];
                end = h.get()[1];
            }
            if (hour > 23 || minute > 59) {
                return null;
            }
            String suffix = end < w.size() ? w.get(end) : "";
            if (suffix.equals("o'clock") || suffix.equals("oclock")) {
                end++;
                suffix = end < w.size() ? w.get(end) : "";
            }
            boolean pm = suffix.equals("pm") || suffix.equals("p") && end + 1 < w.size() && w.get(end + 1).equals("m");
            boolean am = suffix.equals("am") || suffix.equals("a") && end + 1 < w.size() && w.get(end + 1).equals("m");
            if (hour <= 12) {
                if (pm || (!am && partOfDay != null && !partOfDay.equals("morning") && hour < 12)) {
                    hour = hour == 12 ? 12 : hour + 12;
                } else if (am) {
                    hour = hour == 12 ? 0 : hour;
                } else if (partOfDay == null && hour >= 1 && hour <= 6) {
                    hour += 12;
                }
            }
            return LocalTime.of(hour, minute);
        }
        return null;
    }

    private static Optional<int[]> hourAt(List<String> w, int i) {
        Optional<int[]> h = SpokenNumbers.smallAt(w, i);
        if (h.isEmpty()) {
            return h;
        }
        int v = h.get()[0];
        // "three thirty" parses as one run only for digit strings; keep the hour alone
        if (v > 23) {
            String first = w.get(i);
            Optional<int[]> single = SpokenNumbers.smallAt(List.of(first), 0);
            if (single.isPresent() && single.get()[0] <= 12) {
                return Optional.of(new int[] {single.get()[0], i + 1});
            }
            return Optional.empty();
        }
        return h;
    }

    private static boolean isClockSuffix(List<String> w, int at) {
        String s = w.get(at);
        return s.equals("o'clock") || s.equals("oclock") || s.equals("am") || s.equals("pm")
                || (s.equals("p") || s.equals("a")) && at + 1 < w.size() && w.get(at + 1).equals("m");
    }

    /**
     * Whether {@code text} names a day of the week ("next friday", "on mondays"). Weekday names sound alike to a
     * recognizer ("sunday" / "monday"), so a date heard this way is read back before it is kept.
     */
    public static boolean namesWeekday(String text) {
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (!w.isEmpty() && dayOfWeek(w) != null) {
                return true;
            }
        }
        return false;
    }

    private static DayOfWeek dayOfWeek(String s) {
        for (DayOfWeek d : DayOfWeek.values()) {
            String n = d.name().toLowerCase(Locale.ROOT);
            if (s.equals(n) || s.equals(n + "s")) {
                return d;
            }
        }
        return null;
    }

    private static Month month(String s) {
        for (Month m : Month.values()) {
            if (s.equals(m.name().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}
