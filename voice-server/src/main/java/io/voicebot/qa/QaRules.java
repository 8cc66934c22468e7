package io.voicebot.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The QA rules every finished call is checked against, as an operator writes them (YAML or JSON):
 * <pre>
 * rules:
 *   - name: recording_notice
 *     kind: required_disclosure      # the robot's prompt with this text played to its end
 *     text: "This call is recorded"
 *     dialogs: [payment_reminder]    # optional, on every kind: only calls of these dialogs
 *   - {name: no_promises, kind: prohibited_phrase, phrases: ["guaranteed"]}   # in what the robot said
 *   - {name: complaint, kind: caller_words, phrases: ["complaint", "supervisor"]} # in what the caller said
 *   - {name: dead_air, kind: long_silence, max_ms: 8000}
 *   - {name: not_understood, kind: repeated_no_match, count: 3}
 * </pre>
 */
public record QaRules(List<Rule> rules) {

    public enum Kind {
        REQUIRED_DISCLOSURE, PROHIBITED_PHRASE, CALLER_WORDS, LONG_SILENCE, REPEATED_NO_MATCH;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One rule; fields not used by its kind are empty or 0. {@code dialogs} empty: every dialog. */
    public record Rule(String name, Kind kind, String text, List<String> phrases, int maxMs, int count,
                       List<String> dialogs) {
        public boolean appliesTo(String dialog) {
            return dialogs.isEmpty() || dialogs.contains(dialog);
        }
    }

    /** The rules could not be read; every problem names its field ({@code rules[2].kind: ...}). */
    public static final class Invalid extends Exception {
        private final List<String> problems;

        Invalid(String source, List<String> problems) {
            super(source + ": " + problems.size() + " problem(s): " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("name", "kind", "text", "phrases", "max_ms", "count", "dialogs");

    public QaRules {
        rules = List.copyOf(rules);
    }

    public static QaRules none() {
        return new QaRules(List.of());
    }

    /** Reads and checks a rule set; {@code source} names it in problems (a file name, "body"). */
    public static QaRules parse(String source, String text) throws Invalid {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid(source, List.of("not YAML or JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")")));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new Invalid(source, List.of("rules: the rule set must be a mapping with a 'rules' list"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("rules")) {
                problems.add(f + ": unknown field (the rule set has only 'rules')");
            }
        }
        JsonNode list = root.path("rules");
        if (!list.isArray()) {
            problems.add("rules: must be a list of rules");
            throw new Invalid(source, problems);
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Rule r = rule("rules[" + i + "]", list.get(i), names, problems);
            if (r != null) {
                rules.add(r);
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(source, problems);
        }
        return new QaRules(rules);
    }

    private static Rule rule(String at, JsonNode n, Set<String> names, List<String> problems) {
        if (!n.isObject()) {
            problems.add(at + ": must be a mapping with name and kind");
            return null;
        }
        int before = problems.size();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add(at + "." + f + ": unknown field (one of: " + String.join(", ", new java.util.TreeSet<>(FIELDS))
                        + ")");
            }
        }
        String name = n.path("name").asText("").strip();
        if (name.isEmpty()) {
            problems.add(at + ".name: required");
        } else if (!name.matches("[a-z0-9_]{1,100}")) {
            problems.add(at + ".name: '" + name + "' must be lower_snake_case, at most 100 characters");
        } else if (!names.add(name)) {
            problems.add(at + ".name: '" + name + "' is used by another rule");
        }
        String kindText = n.path("kind").asText("").strip();
        Kind kind = null;
        if (kindText.isEmpty()) {
            problems.add(at + ".kind: required (one of: " + kinds() + ")");
        } else {
            try {
                kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(at + ".kind: unknown kind '" + kindText + "' (one of: " + kinds() + ")");
            }
        }
        List<String> dialogs = strings(at + ".dialogs", n.path("dialogs"), false, problems);
        String text = "";
        List<String> phrases = List.of();
        int maxMs = 0;
        int count = 0;
        if (kind == Kind.REQUIRED_DISCLOSURE) {
            text = n.path("text").asText("").strip();
            if (text.isEmpty()) {
                problems.add(at + ".text: required: the disclosure's words as the robot says them");
            }
        } else if (kind == Kind.PROHIBITED_PHRASE || kind == Kind.CALLER_WORDS) {
            phrases = strings(at + ".phrases", n.path("phrases"), true, problems);
        } else if (kind == Kind.LONG_SILENCE) {
            maxMs = number(at + ".max_ms", n.path("max_ms"), 500, 600_000, problems);
        } else if (kind == Kind.REPEATED_NO_MATCH) {
            count = number(at + ".count", n.path("count"), 2, 100, problems);
        }
        return problems.size() > before ? null : new Rule(name, kind, text, phrases, maxMs, count, dialogs);
    }

    private static List<String> strings(String at, JsonNode n, boolean required, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            if (required) {
                problems.add(at + ": required: a list of words or phrases");
            }
            return List.of();
        }
        if (!n.isArray() || n.isEmpty() && required) {
            problems.add(at + ": must be a " + (required ? "non-empty " : "") + "list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String s = n.get(i).isTextual() ? n.get(i).asText().strip() : "";
            if (s.isEmpty()) {
                problems.add(at + "[" + i + "]: must be a non-empty string");
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static int number(String at, JsonNode n, int min, int max, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            problems.add(at + ": required: a whole number from " + min + " to " + max);
            return 0;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            problems.add(at + ": must be a whole number from " + min + " to " + max + ", got " + n);
            return 0;
        }
        return n.asInt();
    }

    private static String kinds() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(k.id());
        }
        return b.toString();
    }
}
