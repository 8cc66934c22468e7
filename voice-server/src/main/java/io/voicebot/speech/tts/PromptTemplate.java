package io.voicebot.speech.tts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A prompt with variables: {@code Hello ${name}, your payment of ${amount:money} is due on ${due_date:date}}.
 * A format after the colon says how the value is spoken (see {@link Format}); without one, text is inserted as
 * is, while typed values (numbers, {@link LocalDate}, {@link LocalTime}) get their natural spoken form.
 * Money uses the currency written with the amount, else the {@code currency} variable, else USD.
 * {@code $${} writes a literal "${". Immutable and thread-safe; parse once, render per call.
 */
public final class PromptTemplate {
    /** Variable that sets the currency of {@code :money} amounts that do not carry their own. */
    public static final String CURRENCY_VARIABLE = "currency";
    public static final String DEFAULT_CURRENCY = "USD";

    /** How a variable is spoken. */
    public enum Format {
        TEXT, NUMBER, MONEY, DATE, TIME, DIGITS, ORDINAL;

        String hint() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private sealed interface Part permits Literal, Variable {}

    private record Literal(String text) implements Part {}

    private record Variable(String name, Format format, boolean explicit, int column) implements Part {
        String placeholder() {
            return "${" + name + (explicit ? ":" + format.hint() : "") + "}";
        }
    }

    private final String name;
    private final String source;
    private final List<Part> parts;
    private final Set<String> variables;

    private PromptTemplate(String name, String source, List<Part> parts) {
        this.name = name;
        this.source = source;
        this.parts = List.copyOf(parts);
        Set<String> vars = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p instanceof Variable v) {
                vars.add(v.name());
            }
        }
        this.variables = Collections.unmodifiableSet(vars);
    }

    /** Parses {@code text}; {@code name} (e.g. "payment_reminder.greeting") is used in error messages. */
    public static PromptTemplate parse(String name, String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new TemplateException("template '" + name + "': '${' at column " + (i + 1)
                            + " is not closed with '}'");
                }
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(variable(name, text.substring(i + 2, close), i + 1));
                i = close + 1;
            } else {
                literal.append(text.charAt(i++));
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        return new PromptTemplate(name, text, parts);
    }

    private static Variable variable(String template, String body, int column) {
        String var = body;
        String hint = null;
        int colon = body.indexOf(':');
        if (colon >= 0) {
            var = body.substring(0, colon).strip();
            hint = body.substring(colon + 1).strip();
        } else {
            var = var.strip();
        }
        if (!var.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new TemplateException("template '" + template + "': invalid variable name '" + var
                    + "' at column " + column + " (letters, digits, '_' and '.'; not starting with a digit)");
        }
        if (hint == null) {
            return new Variable(var, Format.TEXT, false, column);
        }
        for (Format f : Format.values()) {
            if (f.hint().equals(hint.toLowerCase(Locale.ROOT))) {
                return new Variable(var, f, true, column);
            }
        }
        List<String> known = new ArrayList<>();
        for (Format f : Format.values()) {
            known.add(f.hint());
        }
        throw new TemplateException("template '" + template + "': unknown format '" + hint + "' for variable '"
                + var + "' at column " + column + " (known: " + String.join(", ", known) + ")");
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** Variable names in order of first use. */
    public Set<String> variables() {
        return variables;
    }

    /** True when the prompt has no variables, so its audio can be rendered once when the dialog loads. */
    public boolean isConstant() {
        return variables.isEmpty();
    }

    /**
     * The text to speak. Every variable must be present and non-null in {@code values}; a value that does not
     * fit its format is a {@link TemplateException} naming the template, the variable and the value.
     */
    public String render(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder(source.length() + 64);
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else if (p instanceof Variable v) {
                Object value = values.get(v.name());
                if (value == null) {
                    throw new TemplateException("template '" + name + "': variable '" + v.name()
                            + "' is not set (" + v.placeholder() + " at column " + v.column() + ")");
                }
                try {
                    sb.append(speak(v, value, values));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new TemplateException("template '" + name + "': " + v.placeholder() + ": "
                            + e.getMessage());
                }
            }
        }
        return sb.toString();
    }

    private static String speak(Variable v, Object value, Map<String, ?> values) {
        String s = value.toString();
        return switch (v.format()) {
            case TEXT -> v.explicit() ? s : natural(value);
            case NUMBER -> value instanceof BigDecimal d ? SpokenForm.number(d.toPlainString()) : SpokenForm.number(s);
            case MONEY -> {
                Object c = values.get(CURRENCY_VARIABLE);
                String amount = value instanceof BigDecimal d ? d.toPlainString() : s;
                yield SpokenForm.money(amount, c == null ? DEFAULT_CURRENCY : c.toString());
            }
            case DATE -> value instanceof LocalDate d ? SpokenForm.date(d)
                    : value instanceof LocalDateTime dt ? SpokenForm.date(dt.toLocalDate()) : SpokenForm.date(s);
            case TIME -> value instanceof LocalTime t ? SpokenForm.time(t)
                    : value instanceof LocalDateTime dt ? SpokenForm.time(dt.toLocalTime()) : SpokenForm.time(s);
            case DIGITS -> SpokenForm.digits(s);
            case ORDINAL -> SpokenForm.ordinal(s);
        };
    }

    /** Plain ${name}: strings as written, typed values in their natural spoken form. */
    private static String natural(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return SpokenForm.number(value.toString());
        }
        if (value instanceof BigDecimal d) {
            return SpokenForm.number(d.toPlainString());
        }
        if (value instanceof LocalDate d) {
            return SpokenForm.date(d);
        }
        if (value instanceof LocalTime t) {
            return SpokenForm.time(t);
        }
        if (value instanceof LocalDateTime dt) {
            return SpokenForm.date(dt.toLocalDate()) + " at " + SpokenForm.time(dt.toLocalTime());
        }
        return value.toString();
    }

    @Override
    public String toString() {
        return "PromptTemplate[" + name + ": " + source + "]";
    }
}
