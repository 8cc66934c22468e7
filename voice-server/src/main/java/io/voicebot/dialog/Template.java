package io.voicebot.dialog;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ${var} placeholders, optionally with a spoken format hint (${amount:money}, ${due_date:date}) that the speech
 * side uses when it renders a prompt. Prompts stay templates; data (payloads) is filled here, hints ignored.
 */
public final class Template {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::[a-z]+)?}");

    private static final Pattern HINTED = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_.]*:[a-z]+}");

    private Template() {}

    /** True when a placeholder carries a spoken format hint, which only the speech side can render. */
    public static boolean hasFormatHints(String text) {
        return text != null && HINTED.matcher(text).find();
    }

    /** Variable names used in {@code text}, in order. */
    public static Set<String> variables(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = VAR.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Fills placeholders; an unknown variable becomes the empty string. */
    public static String fill(String text, Map<String, String> vars) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** True when every "${" opens a well-formed placeholder. */
    static boolean wellFormed(String text) {
        String stripped = VAR.matcher(text).replaceAll("");
        return !stripped.contains("${");
    }
}
