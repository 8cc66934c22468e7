package io.voicebot.speech.tts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns numbers, amounts, dates, times and digit strings into the English words a caller should hear, so the
 * synthesizer never has to guess ("2026-12-03" becomes "December third, twenty twenty six"). Pure functions;
 * bad input is an {@link IllegalArgumentException} saying what was expected.
 */
public final class SpokenForm {
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety"};
    private static final String[] SCALES = {"", "thousand", "million", "billion", "trillion", "quadrillion",
        "quintillion"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    /** Currencies that can be spoken: ISO code, symbol, unit singular/plural, minor unit singular/plural. */
    private enum Currency {
        USD("$", "dollar", "dollars", "cent", "cents"),
        EUR("€", "euro", "euros", "cent", "cents"),
        GBP("£", "pound", "pounds", "penny", "pence");

        final String symbol;
        final String one;
        final String many;
        final String minorOne;
        final String minorMany;

        Currency(String symbol, String one, String many, String minorOne, String minorMany) {
            this.symbol = symbol;
            this.one = one;
            this.many = many;
            this.minorOne = minorOne;
            this.minorMany = minorMany;
        }

        static Currency of(String code) {
            for (Currency c : values()) {
                if (c.name().equalsIgnoreCase(code.strip())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown currency '" + code + "' (known: USD, EUR, GBP)");
        }
    }

    private SpokenForm() {}

    /** 1250 as "one thousand two hundred fifty"; negative numbers start with "minus". */
    public static String cardinal(long n) {
        if (n == 0) {
            return "zero";
        }
        if (n < 0) {
            // -Long.MIN_VALUE overflows, so spell its digits directly.
            return "minus " + (n == Long.MIN_VALUE ? groups("9223372036854775808") : cardinal(-n));
        }
        return groups(Long.toString(n));
    }

    /** Words for a non-negative integer written as decimal digits. */
    private static String groups(String digits) {
        StringBuilder sb = new StringBuilder();
        int len = digits.length();
        int groupCount = (len + 2) / 3;
        for (int g = groupCount - 1; g >= 0; g--) {
            int end = len - 3 * g;
            int start = Math.max(0, end - 3);
            int v = Integer.parseInt(digits.substring(start, end));
            if (v == 0) {
                continue;
            }
            if (g >= SCALES.length) {
                throw new IllegalArgumentException("number too large to speak: " + digits);
            }
            append(sb, belowThousand(v));
            append(sb, SCALES[g]);
        }
        return sb.length() == 0 ? "zero" : sb.toString();
    }

    private static String belowThousand(int v) {
        StringBuilder sb = new StringBuilder();
        if (v >= 100) {
            append(sb, ONES[v / 100]);
            append(sb, "hundred");
            v %= 100;
        }
        if (v >= 20) {
            append(sb, TENS[v / 10]);
            if (v % 10 != 0) {
                append(sb, ONES[v % 10]);
            }
        } else if (v > 0) {
            append(sb, ONES[v]);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String word) {
        if (word.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(word);
    }

    /** 23 as "twenty third". */
    public static String ordinal(long n) {
        String c = cardinal(n);
        int cut = c.lastIndexOf(' ') + 1;
        String last = c.substring(cut);
        String ord = switch (last) {
            case "one" -> "first";
            case "two" -> "second";
            case "three" -> "third";
            case "five" -> "fifth";
            case "eight" -> "eighth";
            case "nine" -> "ninth";
            case "twelve" -> "twelfth";
            default -> last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
        };
        return c.substring(0, cut) + ord;
    }

    /** "3", "3rd" or "1,001" as an ordinal. */
    public static String ordinal(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace(",", "");
        if (t.endsWith("st") || t.endsWith("nd") || t.endsWith("rd") || t.endsWith("th")) {
            t = t.substring(0, t.length() - 2);
        }
        try {
            return ordinal(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }

    /** "1,250" as "one thousand two hundred fifty", "-3.05" as "minus three point zero five". */
    public static String number(String text) {
        BigDecimal d = parseDecimal(text, "a number");
        String sign = d.signum() < 0 ? "minus " : "";
        d = d.abs();
        String plain = d.toPlainString();
        int dot = plain.indexOf('.');
        String whole = groups(dot < 0 ? plain : plain.substring(0, dot));
        if (dot < 0) {
            return sign + whole;
        }
        StringBuilder sb = new StringBuilder(sign).append(whole).append(" point");
        for (int i = dot + 1; i < plain.length(); i++) {
            sb.append(' ').append(ONES[plain.charAt(i) - '0']);
        }
        return sb.toString();
    }

    /**
     * An amount of money: "125.50" as "one hundred twenty five dollars and fifty cents". The currency comes from
     * a symbol ($, €, £) or ISO code (USD, EUR, GBP) written with the amount, else {@code defaultCurrency}.
     */
    public static String money(String text, String defaultCurrency) {
        String t = text.strip();
        Currency currency = null;
        for (Currency c : Currency.values()) {
            String upper = t.toUpperCase(Locale.ROOT);
            if (upper.startsWith(c.name()) || upper.endsWith(c.name())) {
                currency = c;
                t = upper.startsWith(c.name()) ? t.substring(3) : t.substring(0, t.length() - 3);
            } else if (t.startsWith(c.symbol) || t.startsWith("-" + c.symbol)) {
                currency = c;
                t = t.replaceFirst(java.util.regex.Pattern.quote(c.symbol), "");
            }
            if (currency != null) {
                break;
            }
        }
        if (currency == null) {
            currency = Currency.of(defaultCurrency);
        }
        BigDecimal d;
        try {
            d = parseDecimal(t, "an amount of money");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an amount of money");
        }
        if (d.scale() > 2) {
            throw new IllegalArgumentException("'" + text + "' has more than two decimal places");
        }
        String sign = d.signum() < 0 ? "minus " : "";
        d = d.abs();
        BigDecimal units = d.setScale(0, java.math.RoundingMode.DOWN);
        int minor = d.subtract(units).movePointRight(2).intValueExact();
        String unitWords = groups(units.toPlainString());
        String major = unitWords + " " + (units.compareTo(BigDecimal.ONE) == 0 ? currency.one : currency.many);
        if (minor == 0) {
            return sign + major;
        }
        String minorWords = cardinal(minor) + " " + (minor == 1 ? currency.minorOne : currency.minorMany);
        return sign + (units.signum() == 0 ? minorWords : major + " and " + minorWords);
    }

    /** ISO date "2026-12-03" as "December third, twenty twenty six". */
    public static String date(String iso) {
        try {
            return date(LocalDate.parse(iso.strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + iso + "' is not a date in the form YYYY-MM-DD");
        }
    }

    public static String date(LocalDate d) {
        return MONTHS[d.getMonthValue() - 1] + " " + ordinal(d.getDayOfMonth()) + ", " + year(d.getYear());
    }

    /** Years the way people say them: "twenty twenty six", "nineteen oh five", "two thousand eight". */
    public static String year(int y) {
        if (y < 0) {
            throw new IllegalArgumentException("year " + y + " is before year zero");
        }
        if (y < 1000 || y >= 10000) {
            return cardinal(y);
        }
        int hi = y / 100;
        int lo = y % 100;
        if (lo == 0) {
            return y % 1000 == 0 ? cardinal(y) : cardinal(hi) + " hundred";
        }
        if (hi % 10 == 0 && lo < 10) {
            return cardinal(y); // 2008: "two thousand eight", not "twenty oh eight"
        }
        return cardinal(hi) + " " + (lo < 10 ? "oh " + ONES[lo] : cardinal(lo));
    }

    /** "14:30" as "two thirty P M", "09:05" as "nine oh five A M", "12:00" as "twelve noon". */
    public static String time(String text) {
        try {
            return time(LocalTime.parse(text.strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time in the form HH:MM (24-hour clock)");
        }
    }

    public static String time(LocalTime t) {
        int h = t.getHour();
        int m = t.getMinute();
        if (m == 0 && h == 12) {
            return "twelve noon";
        }
        if (m == 0 && h == 0) {
            return "twelve midnight";
        }
        String hour = cardinal(h % 12 == 0 ? 12 : h % 12);
        String minutes = m == 0 ? "" : m < 10 ? " oh " + ONES[m] : " " + cardinal(m);
        // Letters spaced out so the synthesizer spells them instead of reading a word.
        return hour + minutes + (h < 12 ? " A M" : " P M");
    }

    /**
     * Reads digit by digit, for account and phone numbers: "+1 555-0100" is "plus, one, five, five, five, zero,
     * one, zero, zero". The commas make the synthesizer pause after every digit: run together, digits blur
     * ("four four" was heard as "five four" in the recognizer cross-check). Spaces, dashes, dots, slashes and
     * brackets are separators and are not spoken; letters are spelled.
     */
    public static String digits(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String word;
            if (c >= '0' && c <= '9') {
                word = ONES[c - '0'];
            } else if (c == '+') {
                word = "plus";
            } else if (c == '*') {
                word = "star";
            } else if (c == '#') {
                word = "pound";
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                word = String.valueOf(Character.toUpperCase(c));
            } else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') {
                continue;
            } else {
                throw new IllegalArgumentException("'" + text + "' has a character that cannot be read out: '"
                        + c + "' at position " + (i + 1));
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(word);
        }
        if (sb.length() == 0) {
            throw new IllegalArgumentException("'" + text + "' has no digits to read out");
        }
        return sb.toString();
    }

    private static BigDecimal parseDecimal(String text, String what) {
        String t = text.strip();
        // Thousands separators only where they belong: "1,250" yes, "12,50" no.
        if (!t.matches("[-+]?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?")) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        t = t.replace(",", "");
        return new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
    }
}
