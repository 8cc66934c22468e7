package io.voicebot.dialog;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A branch condition: {@code var == value}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}
 * (numeric when both sides are numbers), {@code var} (set and not empty) or {@code !var}. The value may be
 * quoted. Written back exactly as parsed.
 */
public record Condition(String variable, String op, String value) {
    private static final Pattern CMP = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*(==|!=|<=|>=|<|>)\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"']+)\\s*");
    private static final Pattern TEST = Pattern.compile("\\s*(!?)\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*");

    /** Parses {@code text} or throws IllegalArgumentException saying what is wrong. */
    public static Condition parse(String text) {
        Matcher m = CMP.matcher(text);
        if (m.matches()) {
            String v = m.group(3);
            if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            return new Condition(m.group(1), m.group(2), v);
        }
        Matcher t = TEST.matcher(text);
        if (t.matches()) {
            return new Condition(t.group(2), t.group(1).isEmpty() ? "set" : "unset", "");
        }
        throw new IllegalArgumentException("cannot read condition '" + text
                + "' (expected: name == value, name != value, name < number, name, !name)");
    }

    public boolean test(Map<String, String> vars) {
        String actual = vars.get(variable);
        switch (op) {
            case "set":
                return actual != null && !actual.isBlank();
            case "unset":
                return actual == null || actual.isBlank();
            case "==":
                return actual != null && compare(actual, value) == 0;
            case "!=":
                return actual == null || compare(actual, value) != 0;
            default:
                if (actual == null) {
                    return false;
                }
                BigDecimal a = number(actual);
                BigDecimal b = number(value);
                if (a == null || b == null) {
                    return false;
                }
                int c = a.compareTo(b);
                return switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
        }
    }

    private static int compare(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return a.trim().equalsIgnoreCase(b.trim()) ? 0 : 1;
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The script text. */
    @Override
    public String toString() {
        return switch (op) {
            case "set" -> variable;
            case "unset" -> "!" + variable;
            default -> variable + " " + op + " " + (value.matches("[^\\s\"']+") ? value : "\"" + value + "\"");
        };
    }
}
