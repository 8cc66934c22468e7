package io.voicebot.dialog.spoken;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Numbers as a recognizer writes them: words ("two hundred and fifty", "four one two"), numerals ("250",
 * "12.50"), ordinals ("fifteenth", "21st") and money ("forty dollars and fifty cents").
 */
public final class SpokenNumbers {
    private static final Map<String, Integer> UNITS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("oh", 0), Map.entry("one", 1), Map.entry("a", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14),
            Map.entry("fifteen", 15), Map.entry("sixteen", 16), Map.entry("seventeen", 17),
            Map.entry("eighteen", 18), Map.entry("nineteen", 19));
    private static final Map<String, Integer> TENS = Map.of("twenty", 20, "thirty", 30, "forty", 40, "fifty", 50,
            "sixty", 60, "seventy", 70, "eighty", 80, "ninety", 90);
    private static final Map<String, Integer> ORDINALS = Map.ofEntries(
            Map.entry("first", 1), Map.entry("second", 2), Map.entry("third", 3), Map.entry("fourth", 4),
            Map.entry("fifth", 5), Map.entry("sixth", 6), Map.entry("seventh", 7), Map.entry("eighth", 8),
            Map.entry("ninth", 9), Map.entry("tenth", 10), Map.entry("eleventh", 11), Map.entry("twelfth", 12),
            Map.entry("thirteenth", 13), Map.entry("fourteenth", 14), Map.entry("fifteenth", 15),
            Map.entry("sixteenth", 16), Map.entry("seventeenth", 17), Map.entry("eighteenth", 18),
            Map.entry("nineteenth", 19), Map.entry("twentieth", 20), Map.entry("thirtieth", 30));

    private SpokenNumbers() {}

    /** The first number in the text, or empty. "a" counts only before "hundred"/"thousand" ("a hundred"). */
    public static Optional<BigDecimal> number(String text) {
        List<String> w = words(text);
        for (int i = 0; i < w.size(); i++) {
            Parsed p = parseAt(w, i);
            if (p != null) {
                return Optional.of(p.value);
            }
        }
        return Optional.empty();
    }

    /**
     * A money amount: "two hundred fifty dollars and forty cents" = 250.40, "twelve fifty" is not guessed.
     * Cents alone ("fifty cents") = 0.50.
     */
    public static Optional<BigDecimal> amount(String text) {
        List<String> w = words(text);
        for (int i = 0; i < w.size(); i++) {
            Parsed p = parseAt(w, i);
            if (p == null) {
                continue;
            }
            int j = p.end;
            if (j < w.size() && w.get(j).matches("cents?")) {
                return Optional.of(p.value.movePointLeft(2));
            }
            BigDecimal whole = p.value;
            if (j < w.size() && w.get(j).matches("dollars?|pounds?|euros?|bucks")) {
                j++;
                if (j < w.size() && w.get(j).equals("and")) {
                    j++;
                }
                Parsed cents = j < w.size() ? parseAt(w, j) : null;
                if (cents != null && cents.end < w.size() && w.get(cents.end).matches("cents?|pence")
                        && cents.value.compareTo(BigDecimal.valueOf(100)) < 0) {
                    return Optional.of(whole.add(cents.value.movePointLeft(2)));
                }
            }
            return Optional.of(whole);
        }
        return Optional.empty();
    }

    /** An ordinal or plain day number at word {@code i}: "fifteenth", "twenty first", "15th", "15". */
    static Optional<int[]> dayAt(List<String> w, int i) {
        String a = w.get(i);
        if (a.matches("\\d{1,2}(st|nd|rd|th)?")) {
            return Optional.of(new int[] {Integer.parseInt(a.replaceAll("\\D", "")), i + 1});
        }
        if (ORDINALS.containsKey(a)) {
            return Optional.of(new int[] {ORDINALS.get(a), i + 1});
        }
        if (TENS.containsKey(a) && i + 1 < w.size() && ORDINALS.containsKey(w.get(i + 1))
                && ORDINALS.get(w.get(i + 1)) < 10) {
            return Optional.of(new int[] {TENS.get(a) + ORDINALS.get(w.get(i + 1)), i + 2});
        }
        Parsed p = parseAt(w, i);
        if (p != null && p.value.scale() == 0 && p.value.intValue() >= 1 && p.value.intValue() <= 31) {
            return Optional.of(new int[] {p.value.intValue(), p.end});
        }
        return Optional.empty();
    }

    /** Integer value of a small number starting at word {@code i} ("three", "twenty", "3"), with the end index. */
    static Optional<int[]> smallAt(List<String> w, int i) {
        Parsed p = parseAt(w, i);
        if (p == null || p.value.scale() > 0 || p.value.compareTo(BigDecimal.valueOf(10_000)) > 0) {
            return Optional.empty();
        }
        return Optional.of(new int[] {p.value.intValue(), p.end});
    }

    /** Lower-case words; "3:30" stays one word, "$250" loses the sign. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String t : text.toLowerCase(java.util.Locale.ROOT).replaceAll("(?<=[a-z])-(?=[a-z])", " ").split("[\\s,!?]+")) {
            String s = t.replaceAll("[^a-z0-9:.'/-]", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private record Parsed(BigDecimal value, int end) {}

    /** Parses the longest number starting exactly at word i, or null. */
    private static Parsed parseAt(List<String> w, int i) {
        String first = w.get(i);
        if (first.matches("\\d+(\\.\\d+)?")) {
            return new Parsed(new BigDecimal(first), i + 1);
        }
        if (first.matches("\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
            return new Parsed(new BigDecimal(first.replace(",", "")), i + 1);
        }
        // a run of single digits ("four one two") is a digit string, not a sum
        int j = i;
        StringBuilder digits = new StringBuilder();
        while (j < w.size() && UNITS.containsKey(w.get(j)) && UNITS.get(w.get(j)) < 10 && !w.get(j).equals("a")) {
            digits.append(UNITS.get(w.get(j)));
            j++;
        }
        boolean nextIsScale = j < w.size() && (w.get(j).equals("hundred") || w.get(j).equals("thousand")
                || w.get(j).equals("million") || w.get(j).equals("point"));
        if (digits.length() > 1 && !nextIsScale) {
            return new Parsed(new BigDecimal(digits.toString()), j);
        }
        long total = 0;
        long current = 0;
        boolean any = false;
        boolean lastWasUnit = false;
        boolean lastWasTens = false;
        j = i;
        while (j < w.size()) {
            String t = w.get(j);
            if (t.equals("a") && !any && j + 1 < w.size()
                    && (w.get(j + 1).equals("hundred") || w.get(j + 1).equals("thousand"))) {
                current = 1;
                any = true;
                lastWasUnit = true;
            } else if (UNITS.containsKey(t) && !t.equals("a") && !lastWasUnit) {
                if (lastWasTens && UNITS.get(t) >= 10) {
                    break;
                }
                current += UNITS.get(t);
                any = true;
                lastWasUnit = true;
                lastWasTens = false;
            } else if (TENS.containsKey(t) && !lastWasUnit && !lastWasTens) {
                current += TENS.get(t);
                any = true;
                lastWasTens = true;
            } else if (t.equals("hundred") && any) {
                current = (current == 0 ? 1 : current) * 100;
                lastWasUnit = false;
                lastWasTens = false;
            } else if ((t.equals("thousand") || t.equals("million")) && any) {
                total += (current == 0 ? 1 : current) * (t.equals("thousand") ? 1_000L : 1_000_000L);
                current = 0;
                lastWasUnit = false;
                lastWasTens = false;
            } else if (t.equals("and") && any && j + 1 < w.size()
                    && (UNITS.containsKey(w.get(j + 1)) || TENS.containsKey(w.get(j + 1)))
                    && !w.get(j + 1).equals("a") && (current % 100 == 0)) {
                // "two hundred and fifty"
                lastWasUnit = false;
                lastWasTens = false;
            } else if (t.equals("point") && any && j + 1 < w.size() && UNITS.containsKey(w.get(j + 1))) {
                StringBuilder frac = new StringBuilder();
                int k = j + 1;
                while (k < w.size() && UNITS.containsKey(w.get(k)) && UNITS.get(w.get(k)) < 10
                        && !w.get(k).equals("a")) {
                    frac.append(UNITS.get(w.get(k)));
                    k++;
                }
                return new Parsed(new BigDecimal((total + current) + "." + frac), k);
            } else {
                break;
            }
            j++;
        }
        if (!any) {
            return null;
        }
        return new Parsed(BigDecimal.valueOf(total + current), j);
    }
}
