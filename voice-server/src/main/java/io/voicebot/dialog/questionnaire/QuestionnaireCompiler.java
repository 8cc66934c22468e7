package io.voicebot.dialog.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an uploaded questionnaire (JSON or CSV; see docs/dialogs.md) into a {@link Dialog}: greeting and
 * identity check, one ask per question with the right grammar, low-confidence confirmation, closing.
 * A questionnaire is a dialog definition, not data: any bad row rejects the whole upload, and every problem
 * is listed (JSON: field path; CSV: line and column as in the file).
 */
public final class QuestionnaireCompiler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "[a-z][a-z0-9_]*";
    private static final String PLAIN = "[A-Za-z']+([ -][A-Za-z']+)*";
    private static final List<String> RESERVED = List.of("identity", "greeting", "closing", "wrong_person");
    private static final List<String> JSON_FIELDS = List.of("name", "greeting", "identity_check", "questions",
            "closing");
    private static final List<String> QUESTION_FIELDS = List.of("key", "text", "type", "choices", "min", "max",
            "required");
    private static final List<String> CSV_REQUIRED = List.of("question", "type", "choices", "required");
    private static final List<String> CSV_OPTIONAL = List.of("key", "min", "max");
    static final String DEFAULT_GREETING = "Hello, this is a short automated survey.";
    static final String DEFAULT_IDENTITY = "Am I speaking with ${name}?";
    static final String DEFAULT_CLOSING = "Thank you for your answers. Goodbye.";

    private final DialogLoader loader;

    public QuestionnaireCompiler(DialogLoader loader) {
        this.loader = loader;
    }

    /** By file name: *.csv is CSV, anything else JSON. */
    public Dialog compile(String source, String text) {
        return source.toLowerCase(Locale.ROOT).endsWith(".csv") ? compileCsv(source, text) : compileJson(source, text);
    }

    public Dialog compileJson(String source, String text) {
        return toDialog(source, parseJson(source, text));
    }

    public Dialog compileCsv(String source, String text) {
        return toDialog(source, parseCsv(source, text));
    }

    // ---- JSON ------------------------------------------------------------------------------------------

    public static Questionnaire parseJson(String source, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DialogException(List.of(source + (e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr())
                    + ": not valid JSON: " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new DialogException(List.of(source + ": expected a JSON object with name and questions"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!JSON_FIELDS.contains(f)) {
                problems.add(source + ": " + f + ": unknown field (allowed: " + String.join(", ", JSON_FIELDS) + ")");
            }
        }
        String name = root.path("name").asText("");
        if (!name.matches(KEY)) {
            problems.add(source + ": name: must be lower_snake_case, got '" + name + "'");
        }
        String greeting = root.path("greeting").asText(DEFAULT_GREETING);
        JsonNode idc = root.path("identity_check");
        String identity = idc.isMissingNode() || idc.isBoolean() && idc.asBoolean() ? DEFAULT_IDENTITY
                : idc.isBoolean() ? null : idc.asText();
        String closing = root.path("closing").asText(DEFAULT_CLOSING);
        JsonNode qs = root.path("questions");
        List<Questionnaire.Question> questions = new ArrayList<>();
        if (!qs.isArray() || qs.isEmpty()) {
            problems.add(source + ": questions: must be a non-empty list");
        } else {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < qs.size(); i++) {
                JsonNode q = qs.get(i);
                String at = source + ": questions[" + i + "].";
                for (Iterator<String> it = q.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!QUESTION_FIELDS.contains(f)) {
                        problems.add(at + f + ": unknown field (allowed: " + String.join(", ", QUESTION_FIELDS) + ")");
                    }
                }
                List<String> choices = new ArrayList<>();
                JsonNode c = q.path("choices");
                if (c.isArray()) {
                    c.forEach(x -> choices.add(x.asText("")));
                } else if (!c.isMissingNode()) {
                    problems.add(at + "choices: must be a list of phrases");
                }
                Integer min = intOrNull(q.path("min"), at + "min", problems);
                Integer max = intOrNull(q.path("max"), at + "max", problems);
                JsonNode req = q.path("required");
                if (!req.isMissingNode() && !req.isBoolean()) {
                    problems.add(at + "required: must be true or false");
                }
                Questionnaire.Question question = question(at, "", q.path("key").asText(""), q.path("text").asText(""),
                        q.path("type").asText(""), choices, min, max, req.asBoolean(true), keys, problems);
                if (question != null) {
                    questions.add(question);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DialogException(problems);
        }
        return new Questionnaire(name, greeting, identity, questions, closing);
    }

    private static Integer intOrNull(JsonNode n, String where, List<String> problems) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            problems.add(where + ": must be a whole number, got '" + n.asText() + "'");
            return null;
        }
        return n.asInt();
    }

    // ---- CSV -------------------------------------------------------------------------------------------

    /** Header: question,type,choices,required with optional key,min,max; choices separated by | or ;. */
    public static Questionnaire parseCsv(String source, String text) {
        List<Csv.Row> rows = Csv.parse(source, text);
        if (rows.isEmpty()) {
            throw new DialogException(List.of(source + ": empty file; expected a header line "
                    + String.join(",", CSV_REQUIRED)));
        }
        List<String> problems = new ArrayList<>();
        Csv.Row header = rows.get(0);
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int i = 0; i < header.cells().size(); i++) {
            String h = header.cells().get(i).trim().toLowerCase(Locale.ROOT);
            if (!CSV_REQUIRED.contains(h) && !CSV_OPTIONAL.contains(h)) {
                problems.add(source + ": line " + header.line() + ", column " + (i + 1) + ": unknown column '" + h
                        + "' (columns: " + String.join(", ", CSV_REQUIRED) + ", optional " + String.join(", ", CSV_OPTIONAL) + ")");
            } else if (col.putIfAbsent(h, i) != null) {
                problems.add(source + ": line " + header.line() + ", column " + (i + 1) + ": column '" + h + "' appears twice");
            }
        }
        for (String r : CSV_REQUIRED) {
            if (!col.containsKey(r)) {
                problems.add(source + ": line " + header.line() + ": missing column '" + r + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new DialogException(problems);
        }
        List<Questionnaire.Question> questions = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int r = 1; r < rows.size(); r++) {
            Csv.Row row = rows.get(r);
            if (row.cells().stream().allMatch(String::isBlank)) {
                continue;
            }
            String at = source + ": line " + row.line() + ", column '";
            if (row.cells().size() > header.cells().size()) {
                problems.add(source + ": line " + row.line() + ": " + row.cells().size() + " cells but the header has "
                        + header.cells().size() + " columns (quote cells that contain commas)");
                continue;
            }
            String choicesCell = cell(row, col, "choices");
            List<String> choices = new ArrayList<>();
            if (!choicesCell.isBlank()) {
                for (String c : choicesCell.split("[|;]")) {
                    choices.add(c.trim());
                }
            }
            Integer min = csvInt(row, col, "min", at, problems);
            Integer max = csvInt(row, col, "max", at, problems);
            String req = cell(row, col, "required").trim().toLowerCase(Locale.ROOT);
            boolean required = true;
            if (Set.of("no", "false", "0", "n", "optional").contains(req)) {
                required = false;
            } else if (!Set.of("", "yes", "true", "1", "y", "required").contains(req)) {
                problems.add(at + "required': '" + req + "' is not yes or no");
            }
            Questionnaire.Question q = question(at, "'", cell(row, col, "key").trim(),
                    cell(row, col, "question").trim(), cell(row, col, "type").trim(), choices, min, max, required, keys,
                    problems);
            if (q != null) {
                questions.add(q);
            }
        }
        if (questions.isEmpty() && problems.isEmpty()) {
            problems.add(source + ": no questions after the header line");
        }
        if (!problems.isEmpty()) {
            throw new DialogException(problems);
        }
        String base = source.replaceAll(".*[/\\\\]", "").replaceAll("\\.[^.]*$", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        String name = base.matches(KEY) ? base : "questionnaire_" + base;
        return new Questionnaire(name, DEFAULT_GREETING, DEFAULT_IDENTITY, questions, DEFAULT_CLOSING);
    }

    private static String cell(Csv.Row row, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= row.cells().size() ? "" : row.cells().get(i);
    }

    private static Integer csvInt(Csv.Row row, Map<String, Integer> col, String name, String at, List<String> problems) {
        String v = cell(row, col, name).trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            problems.add(at + name + "': '" + v + "' is not a whole number");
            return null;
        }
    }

    // ---- shared checks ---------------------------------------------------------------------------------

    /**
     * Checks one question; {@code at} + field + {@code close} names the place ("src: questions[2]." + "type" + ""
     * or "src: line 4, column '" + "type" + "'").
     */
    private static Questionnaire.Question question(String at, String close, String key, String text, String typeText,
                                                   List<String> choices, Integer min, Integer max,
                                                   boolean required, Set<String> keys,
                                                   List<String> problems) {
        int before = problems.size();
        if (text.isBlank()) {
            problems.add(at + (close.isEmpty() ? "text" : "question") + close + ": missing question text");
        }
        Questionnaire.Type type = null;
        try {
            type = Questionnaire.Type.valueOf(typeText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(at + "type" + close + ": unknown type '" + typeText
                    + "' (one of: yes_no, rating, number, choice, date, free_text)");
        }
        if (key.isEmpty()) {
            key = "q" + (keys.size() + 1);
            while (keys.contains(key)) {
                key = key + "_";
            }
        }
        if (!key.matches(KEY)) {
            problems.add(at + "key" + close + ": '" + key + "' must be lower_snake_case");
        } else if (RESERVED.contains(key)) {
            problems.add(at + "key" + close + ": '" + key + "' is reserved (" + String.join(", ", RESERVED) + ")");
        } else if (!keys.add(key)) {
            problems.add(at + "key" + close + ": '" + key + "' is used by another question");
        }
        if (type == Questionnaire.Type.CHOICE) {
            if (choices.size() < 2) {
                problems.add(at + "choices" + close + ": a choice question needs at least two choices");
            }
            Set<String> seen = new HashSet<>();
            for (String c : choices) {
                if (!c.matches(PLAIN)) {
                    problems.add(at + "choices" + close + ": '" + c + "' must be plain words (write numbers as words;"
                            + " no symbols)");
                } else if (!seen.add(c.toLowerCase(Locale.ROOT))) {
                    problems.add(at + "choices" + close + ": '" + c + "' is listed twice");
                }
            }
        } else if (type != null && !choices.isEmpty()) {
            problems.add(at + "choices" + close + ": only choice questions have choices");
        }
        if (type == Questionnaire.Type.RATING || type == Questionnaire.Type.NUMBER) {
            if (type == Questionnaire.Type.RATING) {
                int lo = min == null ? 1 : min;
                int hi = max == null ? 5 : max;
                if (lo < 0 || hi > 10 || lo >= hi) {
                    problems.add(at + "max" + close + ": a rating goes from 0 or 1 up to at most 10, got " + lo
                            + " to " + hi);
                }
            } else if (min != null && max != null && min > max) {
                problems.add(at + "max" + close + ": " + max + " is below min " + min);
            }
        } else if (type != null && (min != null || max != null)) {
            problems.add(at + "min" + close + ": only rating and number questions have min and max");
        }
        if (problems.size() > before) {
            return null;
        }
        if (type == Questionnaire.Type.RATING) {
            min = min == null ? 1 : min;
            max = max == null ? 5 : max;
        }
        return new Questionnaire.Question(key, text.trim(), type, choices, min, max, required);
    }

    // ---- to a dialog -----------------------------------------------------------------------------------

    /** Builds the dialog script for {@code q} and compiles it (so it gets every check a script gets). */
    public Dialog toDialog(String source, Questionnaire q) {
        return loader.compile(source, script(q));
    }

    /** The script tree (same shape as a YAML dialog script). */
    public static ObjectNode script(Questionnaire q) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", q.name());
        root.put("description", "Questionnaire " + q.name());
        ArrayNode steps = root.putArray("steps");
        String first = q.questions().get(0).key();
        if (q.identityCheck() != null) {
            ObjectNode id = steps.addObject();
            id.put("id", "identity");
            id.put("ask", (q.greeting().isBlank() ? "" : q.greeting().trim() + " ") + q.identityCheck());
            id.put("slot", "yes_no");
            id.putArray("no_input").add("Sorry, I did not hear you. " + q.identityCheck());
            id.putArray("no_match").add("Please say yes or no. " + q.identityCheck());
            id.putObject("on").put("yes", first).put("no", "wrong_person");
        } else if (!q.greeting().isBlank()) {
            steps.addObject().put("id", "greeting").put("say", q.greeting()).put("next", first);
        }
        List<Questionnaire.Question> qs = q.questions();
        for (int i = 0; i < qs.size(); i++) {
            Questionnaire.Question x = qs.get(i);
            String next = i + 1 < qs.size() ? qs.get(i + 1).key() : "closing";
            ObjectNode s = steps.addObject();
            s.put("id", x.key());
            s.put("ask", x.text());
            s.put("key", x.key());
            String hint;
            switch (x.type()) {
                case YES_NO -> {
                    s.put("slot", "yes_no");
                    hint = "Please say yes or no, or press one for yes and two for no.";
                }
                case RATING -> {
                    s.put("slot", "number");
                    if (x.min() == 1 && x.max() == 5) {
                        s.put("grammar", "rating_1_5");
                    }
                    s.put("min", x.min());
                    s.put("max", x.max());
                    hint = "Please say a number from " + NumberWords.of(x.min()) + " to " + NumberWords.of(x.max())
                            + ", or press it on your keypad.";
                }
                case NUMBER -> {
                    s.put("slot", "number");
                    if (x.min() != null) {
                        s.put("min", x.min());
                    }
                    if (x.max() != null) {
                        s.put("max", x.max());
                    }
                    hint = x.min() != null && x.max() != null ? "Please say a number from "
                            + NumberWords.of(x.min()) + " to " + NumberWords.of(x.max()) + "." : "Please say a number.";
                }
                case CHOICE -> {
                    s.put("slot", "choice");
                    ArrayNode c = s.putArray("choices");
                    x.choices().forEach(c::add);
                    hint = "Please say one of these: " + joinOr(x.choices()) + ".";
                }
                case DATE -> {
                    s.put("slot", "date");
                    hint = "Please say a date, for example, tomorrow, or the fifteenth of March.";
                }
                default -> {
                    s.put("slot", "free_text");
                    // reading a whole sentence back is not useful; free text is taken as heard
                    s.put("confirm_below", 0);
                    hint = "Please tell me in a few words.";
                }
            }
            s.putArray("no_input").add("Sorry, I did not hear you. " + x.text());
            s.putArray("no_match").add("Sorry, I did not understand. " + hint).add(hint + " " + x.text());
            if (!x.required()) {
                s.put("fallback", next); // an optional question is skipped after the last reprompt
            }
            s.put("next", next);
        }
        steps.addObject().put("id", "closing").put("hangup", "completed").put("say", q.closing());
        if (q.identityCheck() != null) {
            steps.addObject().put("id", "wrong_person").put("hangup", "wrong_person")
                    .put("say", "Sorry for the trouble. Goodbye.");
        }
        return root;
    }

    private static String joinOr(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + ", or " + items.get(items.size() - 1);
    }
}
