package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.spoken.SpokenNumbers;
import io.voicebot.dialog.spoken.SpokenTime;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An ask step's answer in what the caller said or pressed: the slot's value, whether it is in the step's range,
 * and the words to read back. Pure: today's date comes from the run's clock, in the caller's zone.
 */
final class AnswerValues {
    private final Dialog dialog;
    private final Clock clock;
    private final ZoneId zone;

    AnswerValues(Dialog dialog, Clock clock, ZoneId zone) {
        this.dialog = dialog;
        this.clock = clock;
        this.zone = zone;
    }

    /** The slot's value in what the caller said, with the step's grammar {@code g} when it has one. */
    Optional<String> extract(Step.Ask ask, Grammar g, String text) {
        switch (ask.slot()) {
            case YES_NO, CHOICE, INTENT:
                return g.intentOf(text);
            case NUMBER:
                if (g != null) {
                    return g.intentOf(text);
                }
                return SpokenNumbers.number(text).map(AnswerValues::plain);
            case DIGITS:
                Optional<String> d = g == null ? Optional.empty() : g.intentOf(text);
                if (d.isPresent()) {
                    return d;
                }
                String compact = text.replaceAll("[\\s-]", "");
                return compact.matches("\\d+") ? Optional.of(compact) : Optional.empty();
            case DATE:
                return SpokenTime.date(text, LocalDate.now(clock.withZone(zone))).map(LocalDate::toString);
            case AMOUNT:
                return SpokenNumbers.amount(text).map(a -> a.setScale(2, RoundingMode.HALF_UP).toPlainString());
            case FREE_TEXT:
                return Optional.of(text.trim());
            default:
                return Optional.empty();
        }
    }

    /** The slot's value in the keys pressed ('#' ends them). */
    Optional<String> dtmfValue(Step.Ask ask, String keys) {
        Grammar g = dialog.grammarOf(ask.id());
        String k = keys.endsWith("#") ? keys.substring(0, keys.length() - 1) : keys;
        if (k.isEmpty()) {
            return Optional.empty();
        }
        switch (ask.slot()) {
            case DIGITS:
                return k.matches("\\d+") ? Optional.of(k) : Optional.empty();
            case AMOUNT:
                // '*' is the decimal point: 25*50 = 25.50
                return k.matches("\\d+(\\*\\d{1,2})?")
                        ? Optional.of(new BigDecimal(k.replace('*', '.')).setScale(2, RoundingMode.HALF_UP)
                        .toPlainString()) : Optional.empty();
            case NUMBER:
                if (g != null && k.length() == 1) {
                    return g.intentOfDtmf(k.charAt(0));
                }
                return k.matches("\\d+") ? Optional.of(plain(new BigDecimal(k))) : Optional.empty();
            default:
                return g != null && k.length() == 1 ? g.intentOfDtmf(k.charAt(0)) : Optional.empty();
        }
    }

    /** Within the step's min and max (a number, a count of digits, days from today). */
    boolean valid(Step.Ask ask, String value) {
        switch (ask.slot()) {
            case NUMBER, AMOUNT: {
                BigDecimal v;
                try {
                    v = new BigDecimal(value);
                } catch (NumberFormatException e) {
                    return false;
                }
                return (ask.min() == null || v.compareTo(BigDecimal.valueOf(ask.min())) >= 0)
                        && (ask.max() == null || v.compareTo(BigDecimal.valueOf(ask.max())) <= 0);
            }
            case DIGITS:
                return (ask.min() == null || value.length() >= ask.min())
                        && (ask.max() == null || value.length() <= ask.max());
            case DATE: {
                long days = ChronoUnit.DAYS.between(LocalDate.now(clock.withZone(zone)), LocalDate.parse(value));
                return (ask.min() == null || days >= ask.min()) && (ask.max() == null || days <= ask.max());
            }
            default:
                return true;
        }
    }

    /** What to read back: the spoken words for choices, the value for numbers and dates. */
    static String heard(Step.Ask ask, String value, String transcript) {
        return switch (ask.slot()) {
            case FREE_TEXT, CHOICE, INTENT, YES_NO -> transcript.trim();
            // the weekday and the date together, so a caller catches "sunday" heard as "monday"
            case DATE -> LocalDate.parse(value).format(READ_BACK_DATE);
            default -> value;
        };
    }

    private static final DateTimeFormatter READ_BACK_DATE = DateTimeFormatter.ofPattern("EEEE, MMMM d", Locale.US);

    /** A date said as a weekday is read back even when heard clearly: weekday names sound alike to a recognizer. */
    static boolean readBackWeekday(Step.Ask ask, String transcript) {
        return ask.slot() == SlotType.DATE && SpokenTime.namesWeekday(transcript);
    }

    /** Length in words of the longest of {@code phrases} found in {@code text} (0 if none). */
    static int longest(List<String> phrases, String text) {
        String t = " " + Grammar.normalize(text) + " ";
        int best = 0;
        for (String p : phrases) {
            String n = Grammar.normalize(p);
            if (t.contains(" " + n + " ")) {
                best = Math.max(best, n.split(" ").length);
            }
        }
        return best;
    }

    private static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }
}
