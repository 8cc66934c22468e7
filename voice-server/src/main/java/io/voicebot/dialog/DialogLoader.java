package io.voicebot.dialog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads and checks dialog scripts (YAML or JSON; see docs/dialogs.md). The whole script is checked and every
 * problem is reported at once as "source: step 'id': field: what is wrong"; a script with problems is never
 * half-loaded. Non-fatal findings (unreachable steps) end up in {@link Dialog#warnings()}.
 */
public final class DialogLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String ID = "[a-z][a-z0-9_]*";
    private static final String VAR_NAME = "[A-Za-z_][A-Za-z0-9_]*";
    /** Recognizer dictionaries know words, not numerals or symbols. */
    private static final String PLAIN_PHRASE = "[A-Za-z']+([ -][A-Za-z']+)*";
    private static final List<String> KINDS = List.of("ask", "branch", "webhook", "transfer", "callback", "task",
            "hangup");
    private static final Set<String> BUILT_IN_VARS = Set.of("heard", "callback_time", "last_answer", "last_faq");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "say", Set.of("id", "set", "say", "barge_in", "non_interruptible", "next"),
            "set", Set.of("id", "set", "next"),
            "ask", Set.of("id", "set", "ask", "key", "slot", "grammar", "choices", "min", "max", "no_input",
                    "no_match", "max_failures", "fallback", "confirm_below", "confirm_prompt", "dtmf", "max_digits",
                    "no_input_timeout_ms", "barge_in", "globals", "faq", "faq_next", "on", "next"),
            "branch", Set.of("id", "set", "branch", "otherwise"),
            "webhook", Set.of("id", "set", "webhook", "payload", "result", "next", "on_error"),
            "transfer", Set.of("id", "set", "transfer", "say", "reason"),
            "callback", Set.of("id", "set", "callback", "next"),
            "task", Set.of("id", "set", "task", "details", "next"),
            "hangup", Set.of("id", "set", "hangup", "say"));
    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "start", "agent_queue", "vars",
            "contact_fields", "messages", "defaults", "confirm_globals", "steps", "record");

    private final GrammarLibrary grammars;
    private final Knowledge knowledge;

    /** {@code knowledge} answers questions in steps with {@code faq: true} (use {@link Knowledge#EMPTY} if none). */
    public DialogLoader(GrammarLibrary grammars, Knowledge knowledge) {
        this.grammars = grammars;
        this.knowledge = knowledge;
    }

    /** Every *.yaml, *.yml and *.json in {@code dir}, by dialog name; problems of all files are reported together. */
    public Map<String, Dialog> loadDir(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new DialogException(List.of("dialog directory " + dir + " does not exist"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Dialog> out = new TreeMap<>();
        Map<String, String> fileOf = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().matches(".*\\.(yaml|yml|json)$")).sorted().toList();
        } catch (IOException e) {
            throw new DialogException(List.of("cannot list " + dir + ": " + e.getMessage()));
        }
        for (Path f : files) {
            try {
                Dialog d = parse(f.toString(), Files.readString(f));
                if (fileOf.containsKey(d.name())) {
                    problems.add(f + ": name: dialog '" + d.name() + "' is already defined in " + fileOf.get(d.name()));
                } else {
                    fileOf.put(d.name(), f.toString());
                    out.put(d.name(), d);
                }
            } catch (DialogException e) {
                problems.addAll(e.problems());
            } catch (IOException e) {
                problems.add(f + ": cannot read: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new DialogException(problems);
        }
        return out;
    }

    /** Parses one script (YAML or JSON text); {@code source} names it in messages (file name, upload name). */
    public Dialog parse(String source, String text) {
        return compile(source, readTree(source, text));
    }

    /** Checks and compiles an already parsed script tree. */
    public Dialog compile(String source, JsonNode root) {
        return new Compiler(source).compile(root);
    }

    static JsonNode readTree(String source, String text) {
        try {
            JsonNode n = YAML.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new DialogException(List.of(source + ": empty document"));
            }
            return n;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new DialogException(List.of(source + (loc == null ? "" : ":" + loc.getLineNr()) + ": not valid YAML/JSON: "
                    + e.getOriginalMessage()));
        }
    }

    // ---- knowledge files -------------------------------------------------------------------------------

    /** The knowledge file (config/hotline-faq.yaml). */
    public static Knowledge loadKnowledge(Path file) {
        try {
            return parseKnowledge(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new DialogException(List.of(file + ": cannot read: " + e.getMessage()));
        }
    }

    /**
     * Parses a knowledge file: {@code entries: [{id, question, answer, phrases: [...]}]}; every problem is
     * reported with the entry id and field.
     */
    public static Knowledge parseKnowledge(String source, String text) {
        JsonNode root = readTree(source, text);
        List<String> problems = new ArrayList<>();
        List<Knowledge.Entry> entries = new ArrayList<>();
        JsonNode list = root.path("entries");
        if (!list.isArray() || list.isEmpty()) {
            throw new DialogException(List.of(source + ": entries: must be a non-empty list"));
        }
        Set<String> ids = new HashSet<>();
        Map<String, String> phraseOwner = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String id = e.path("id").asText("");
            String where = source + ": entry " + (id.isEmpty() ? "#" + (i + 1) : "'" + id + "'") + ": ";
            if (!id.matches(ID)) {
                problems.add(where + "id: must be lower_snake_case");
            } else if (!ids.add(id)) {
                problems.add(where + "id: used by another entry");
            }
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("id", "question", "answer", "phrases").contains(f)) {
                    problems.add(where + f + ": unknown field (allowed: id, question, answer, phrases)");
                }
            }
            String answer = e.path("answer").asText("").trim();
            if (answer.isEmpty()) {
                problems.add(where + "answer: missing");
            } else if (!Template.wellFormed(answer)) {
                problems.add(where + "answer: malformed ${...} placeholder");
            }
            List<String> phrases = new ArrayList<>();
            JsonNode ps = e.path("phrases");
            if (!ps.isArray() || ps.isEmpty()) {
                problems.add(where + "phrases: must be a non-empty list");
            } else {
                for (JsonNode p : ps) {
                    String phrase = p.asText("");
                    if (!phrase.matches(PLAIN_PHRASE)) {
                        problems.add(where + "phrases: '" + phrase + "' must be plain words (no digits or symbols)");
                    } else {
                        String n = Grammar.normalize(phrase);
                        String owner = phraseOwner.putIfAbsent(n, id);
                        if (owner != null && !owner.equals(id)) {
                            problems.add(where + "phrases: '" + phrase + "' is also a phrase of entry '" + owner + "'");
                        }
                        phrases.add(n);
                    }
                }
            }
            entries.add(new Knowledge.Entry(id, e.path("question").asText(""), answer, phrases));
        }
        if (!problems.isEmpty()) {
            throw new DialogException(problems);
        }
        return new Knowledge(entries);
    }

    // ---- defaults shared with ScriptWriter -------------------------------------------------------------

    static boolean defaultDtmf(SlotType slot, Grammar g) {
        return switch (slot) {
            case DATE, FREE_TEXT -> false;
            case NUMBER, DIGITS, AMOUNT -> true;
            default -> g != null && !g.dtmf().isEmpty();
        };
    }

    static int defaultMaxDigits(SlotType slot, Double max, Grammar g) {
        return switch (slot) {
            case DIGITS -> max == null ? 20 : max.intValue();
            case NUMBER -> g != null ? 1 : max == null ? 10 : String.valueOf(Math.abs(max.longValue())).length();
            case AMOUNT -> 12;
            default -> 1;
        };
    }

    /** A grammar for inline choices: each choice is an intent; key n picks the n-th choice. */
    static Grammar choiceGrammar(String stepId, Map<String, List<String>> choices) {
        Map<Character, String> dtmf = new LinkedHashMap<>();
        int i = 1;
        for (String k : choices.keySet()) {
            if (i <= 9) {
                dtmf.put((char) ('0' + i), k);
            }
            i++;
        }
        return new Grammar(stepId + "_choices", choices, dtmf, false);
    }

    // ---- the compiler ----------------------------------------------------------------------------------

    private final class Compiler {
        private final String source;
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final Map<String, Grammar> stepGrammars = new LinkedHashMap<>();
        /** (step id, field, target) of every step reference, checked once all ids are known. */
        private final List<String[]> refs = new ArrayList<>();
        /** (where, template) of every template, checked once all variable names are known. */
        private final List<String[]> templates = new ArrayList<>();
        private final Set<String> definedVars = new HashSet<>();
        private final Set<String> varPrefixes = new HashSet<>();
        private Dialog.Defaults defaults = Dialog.Defaults.STANDARD;

        Compiler(String source) {
            this.source = source;
        }

        private void problem(String stepId, String field, String what) {
            problems.add(source + ": " + (stepId == null ? "" : "step '" + stepId + "': ") + field + ": " + what);
        }

        Dialog compile(JsonNode root) {
            if (!root.isObject()) {
                throw new DialogException(List.of(source + ": expected a mapping with name and steps"));
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!TOP_FIELDS.contains(f)) {
                    problem(null, f, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(TOP_FIELDS)) + ")");
                }
            }
            String name = root.path("name").asText("");
            if (!name.matches(ID)) {
                problem(null, "name", "must be lower_snake_case, got '" + name + "'");
            }
            String description = root.path("description").asText("");
            String agentQueue = root.path("agent_queue").isNull() ? "" : root.path("agent_queue").asText("");
            Map<String, String> vars = stringMap(null, "vars", root.path("vars"), true);
            definedVars.addAll(vars.keySet());
            List<String> contactFields = new ArrayList<>();
            JsonNode cf = root.path("contact_fields");
            if (!cf.isMissingNode()) {
                if (!cf.isArray()) {
                    problem(null, "contact_fields", "must be a list of field names");
                } else {
                    for (JsonNode f : cf) {
                        if (!f.asText("").matches(VAR_NAME)) {
                            problem(null, "contact_fields", "'" + f.asText() + "' is not a valid variable name");
                        } else {
                            contactFields.add(f.asText());
                        }
                    }
                }
            }
            definedVars.addAll(contactFields);
            Map<String, String> messages = stringMap(null, "messages", root.path("messages"), false);
            for (Map.Entry<String, String> m : messages.entrySet()) {
                if (!Dialog.DEFAULT_MESSAGES.containsKey(m.getKey())) {
                    problem(null, "messages." + m.getKey(), "unknown message (known: "
                            + String.join(", ", Dialog.DEFAULT_MESSAGES.keySet()) + ")");
                }
                templates.add(new String[] {source + ": messages." + m.getKey(), m.getValue()});
            }
            readDefaults(root.path("defaults"));
            Map<GlobalIntent, GlobalPolicy> policies = readPolicies(root.path("confirm_globals"));
            Map<GlobalIntent, Grammar> globals = new LinkedHashMap<>();
            for (GlobalIntent g : GlobalIntent.values()) {
                grammars.find(g.grammar()).ifPresentOrElse(gr -> globals.put(g, gr), () -> problem(null,
                        "globals", "grammar '" + g.grammar() + "' for global intent " + g.scriptName()
                                + " is missing from the grammar directory"));
            }
            Grammar yesNo = grammars.find("yes_no").orElse(null);
            if (yesNo == null) {
                problem(null, "grammar", "grammar 'yes_no' (used to confirm answers) is missing");
            }

            JsonNode list = root.path("steps");
            Map<String, Step> steps = new LinkedHashMap<>();
            if (!list.isArray() || list.isEmpty()) {
                problem(null, "steps", "must be a non-empty list of steps");
            } else {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    JsonNode n = list.get(i);
                    String id = n.path("id").asText("");
                    if (!n.isObject()) {
                        problem(null, "steps[" + i + "]", "must be a mapping");
                        continue;
                    }
                    if (!id.matches(ID)) {
                        problem(null, "steps[" + i + "].id", id.isEmpty() ? "missing" : "'" + id
                                + "' must be lower_snake_case");
                        continue;
                    }
                    if (!seen.add(id)) {
                        problem(id, "id", "duplicate step id (each step needs its own id)");
                        continue;
                    }
                    Step s = step(id, n);
                    if (s != null) {
                        steps.put(id, s);
                    }
                }
            }
            String start = root.path("start").asText(steps.isEmpty() ? "" : steps.keySet().iterator().next());
            Set<String> allIds = new HashSet<>();
            for (JsonNode n : list) {
                allIds.add(n.path("id").asText(""));
            }
            if (!steps.isEmpty() && !allIds.contains(start)) {
                problem(null, "start", "unknown step '" + start + "'");
            }
            for (String[] r : refs) {
                if (!allIds.contains(r[2])) {
                    problem(r[0], r[1], "unknown step '" + r[2] + "'");
                }
            }
            for (String[] t : templates) {
                checkTemplate(t[0], t[1], !contactFields.isEmpty());
            }
            boolean recorded = RecordingRule.check(root.path("record"), steps.values(),
                    (field, what) -> problem(null, field, what));
            if (problems.isEmpty()) {
                reachability(start, steps);
                // Word lists for answers that are parsed, not matched: the recognizer listens for these words.
                Map<SlotType, Grammar> slotWords = new java.util.EnumMap<>(SlotType.class);
                grammars.find("date").ifPresent(g -> slotWords.put(SlotType.DATE, g));
                Grammar callbackWords = grammars.find("callback_time").orElse(null);
                return new Dialog(name, source, description, start, agentQueue, vars, contactFields, messages,
                        defaults, steps, stepGrammars, globals, yesNo, knowledge, warnings, slotWords,
                        callbackWords, policies, recorded);
            }
            throw new DialogException(problems);
        }

        /** confirm_globals: {opt_out: {confirm: always|unless_clear|never, min_words: 4, min_confidence: 0.95}}. */
        private Map<GlobalIntent, GlobalPolicy> readPolicies(JsonNode n) {
            Map<GlobalIntent, GlobalPolicy> out = new java.util.EnumMap<>(GlobalPolicy.STANDARD);
            if (n.isMissingNode()) {
                return out;
            }
            if (!n.isObject()) {
                problem(null, "confirm_globals", "must be a mapping of opt_out, wrong_person, agent to a policy");
                return out;
            }
            List<String> names = GlobalPolicy.DESTRUCTIVE.stream().sorted().map(GlobalIntent::scriptName).toList();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = "confirm_globals." + e.getKey();
                GlobalIntent g = GlobalIntent.fromScript(e.getKey());
                if (g == null || !GlobalPolicy.DESTRUCTIVE.contains(g)) {
                    problem(null, field, "not a destructive global intent (one of: " + String.join(", ", names) + ")");
                    continue;
                }
                JsonNode p = e.getValue();
                if (!p.isObject()) {
                    problem(null, field, "must be a mapping with confirm, min_words, min_confidence");
                    continue;
                }
                GlobalPolicy std = GlobalPolicy.STANDARD.get(g);
                GlobalPolicy.Mode mode = std.confirm();
                if (p.has("confirm")) {
                    String m = p.path("confirm").asText("");
                    mode = java.util.Arrays.stream(GlobalPolicy.Mode.values()).filter(x -> x.scriptName().equals(m))
                            .findFirst().orElse(null);
                    if (mode == null) {
                        problem(null, field + ".confirm", "must be always, unless_clear or never, got '" + m + "'");
                        mode = std.confirm();
                    }
                }
                int words = intField(null, field + ".min_words", p.path("min_words"), std.minWords(), 1, 20);
                double conf = doubleField(null, field + ".min_confidence", p.path("min_confidence"),
                        std.minConfidence(), 0, 1);
                for (Iterator<String> f = p.fieldNames(); f.hasNext(); ) {
                    String k = f.next();
                    if (!Set.of("confirm", "min_words", "min_confidence").contains(k)) {
                        problem(null, field + "." + k, "unknown field (allowed: confirm, min_confidence, min_words)");
                    }
                }
                out.put(g, new GlobalPolicy(mode, words, conf));
            }
            return out;
        }

        private void readDefaults(JsonNode d) {
            if (d.isMissingNode()) {
                return;
            }
            if (!d.isObject()) {
                problem(null, "defaults", "must be a mapping");
                return;
            }
            Dialog.Defaults std = Dialog.Defaults.STANDARD;
            int maxFailures = intField(null, "defaults.max_failures", d.path("max_failures"), std.maxFailures(), 1, 10);
            double confirm = doubleField(null, "defaults.confirm_below", d.path("confirm_below"), std.confirmBelow(),
                    0, 1);
            long timeout = intField(null, "defaults.no_input_timeout_ms", d.path("no_input_timeout_ms"),
                    (int) std.noInputTimeoutMs(), 500, 120_000);
            Set<GlobalIntent> globals = globals(null, "defaults.globals", d.path("globals"), std.globals());
            for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("max_failures", "confirm_below", "no_input_timeout_ms", "globals").contains(f)) {
                    problem(null, "defaults." + f, "unknown field (allowed: max_failures, confirm_below,"
                            + " no_input_timeout_ms, globals)");
                }
            }
            defaults = new Dialog.Defaults(maxFailures, confirm, timeout, globals);
        }

        private Step step(String id, JsonNode n) {
            List<String> kinds = KINDS.stream().filter(n::has).toList();
            String kind;
            if (kinds.size() > 1) {
                problem(id, kinds.get(0), "a step does one thing, but this one has " + String.join(" and ", kinds));
                return null;
            } else if (kinds.size() == 1) {
                kind = kinds.get(0);
            } else if (n.has("say")) {
                kind = "say";
            } else if (n.has("set")) {
                kind = "set";
            } else {
                problem(id, "step", "nothing to do: give one of say, ask, branch, set, webhook, transfer, callback,"
                        + " task, hangup");
                return null;
            }
            int before = problems.size();
            Set<String> allowed = FIELDS.get(kind);
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    problem(id, f, "unknown field for a " + kind + " step (allowed: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
            Map<String, String> set = stringMap(id, "set", n.path("set"), true);
            definedVars.addAll(set.keySet());
            set.forEach((k, v) -> templates.add(new String[] {where(id, "set." + k), v}));
            Step s = switch (kind) {
                case "say" -> new Step.Say(id, set, template(id, "say", n, true), bool(id, "barge_in", n, true),
                        bool(id, "non_interruptible", n, false), ref(id, "next", n, true));
                case "set" -> new Step.SetVars(id, set, ref(id, "next", n, true));
                case "ask" -> ask(id, set, n);
                case "branch" -> branch(id, set, n);
                case "webhook" -> webhook(id, set, n);
                case "transfer" -> new Step.Transfer(id, set, template(id, "say", n, false),
                        n.path("transfer").isNull() ? "" : n.path("transfer").asText(""),
                        n.path("reason").asText(id));
                case "callback" -> new Step.Callback(id, set, template(id, "callback", n, true),
                        ref(id, "next", n, true));
                case "task" -> task(id, set, n);
                default -> hangup(id, set, n);
            };
            if (s instanceof Step.Say say && say.nonInterruptible() && n.has("barge_in") && say.bargeIn()) {
                problem(id, "barge_in", "a non_interruptible prompt cannot allow barge-in");
            }
            return problems.size() == before ? s : null;
        }

        private Step.Hangup hangup(String id, Map<String, String> set, JsonNode n) {
            String o = n.path("hangup").asText("");
            Outcome outcome = null;
            for (Outcome x : Outcome.values()) {
                if (x.scriptName().equals(o)) {
                    outcome = x;
                }
            }
            if (outcome == null || !outcome.scriptable()) {
                String known = String.join(", ", java.util.Arrays.stream(Outcome.values())
                        .filter(Outcome::scriptable).map(Outcome::scriptName).toList());
                problem(id, "hangup", outcome == null ? "unknown outcome '" + o + "' (one of: " + known + ")"
                        : "outcome '" + o + "' is set by " + (outcome == Outcome.MACHINE
                        || outcome == Outcome.VOICEMAIL ? "answering-machine detection" : "voicebot itself")
                        + ", not by a script (one of: "
                        + known + ")");
                outcome = null;
            }
            return new Step.Hangup(id, set, template(id, "say", n, false), outcome);
        }

        private Step.Task task(String id, Map<String, String> set, JsonNode n) {
            String type = n.path("task").asText("");
            if (!type.matches(ID)) {
                problem(id, "task", "task type must be lower_snake_case, got '" + type + "'");
            }
            Map<String, String> details = stringMap(id, "details", n.path("details"), false);
            details.forEach((k, v) -> templates.add(new String[] {where(id, "details." + k), v}));
            return new Step.Task(id, set, type, details, ref(id, "next", n, true));
        }

        private Step.Webhook webhook(String id, Map<String, String> set, JsonNode n) {
            String url = n.path("webhook").asText("");
            if (!url.matches("(https?://|\\$\\{).+")) {
                problem(id, "webhook", "must be an http:// or https:// URL, got '" + url + "'");
            }
            templates.add(new String[] {where(id, "webhook"), url});
            Map<String, String> payload = stringMap(id, "payload", n.path("payload"), false);
            payload.forEach((k, v) -> templates.add(new String[] {where(id, "payload." + k), v}));
            String prefix = n.path("result").asText(id);
            if (!prefix.isEmpty() && !prefix.matches(VAR_NAME)) {
                problem(id, "result", "'" + prefix + "' is not a valid variable name");
            }
            varPrefixes.add(prefix);
            return new Step.Webhook(id, set, url, payload, prefix, ref(id, "next", n, true),
                    ref(id, "on_error", n, false));
        }

        private Step.Branch branch(String id, Map<String, String> set, JsonNode n) {
            List<Step.Rule> rules = new ArrayList<>();
            JsonNode b = n.path("branch");
            if (!b.isArray() || b.isEmpty()) {
                problem(id, "branch", "must be a list of {when: condition, goto: step}");
            } else {
                for (int i = 0; i < b.size(); i++) {
                    JsonNode r = b.get(i);
                    String field = "branch[" + i + "]";
                    try {
                        Condition c = Condition.parse(r.path("when").asText(""));
                        String target = r.path("goto").asText("");
                        if (target.isEmpty()) {
                            problem(id, field + ".goto", "missing");
                        } else {
                            refs.add(new String[] {id, field + ".goto", target});
                        }
                        rules.add(new Step.Rule(c, target));
                    } catch (IllegalArgumentException e) {
                        problem(id, field + ".when", e.getMessage());
                    }
                }
            }
            return new Step.Branch(id, set, rules, ref(id, "otherwise", n, true));
        }

        private Step.Ask ask(String id, Map<String, String> set, JsonNode n) {
            String prompt = template(id, "ask", n, true);
            String grammarName = n.has("grammar") ? n.path("grammar").asText("") : null;
            Map<String, List<String>> choices = choices(id, n.path("choices"));
            if (grammarName != null && !choices.isEmpty()) {
                problem(id, "choices", "give either grammar or choices, not both");
            }
            SlotType slot;
            if (n.has("slot")) {
                slot = SlotType.fromScript(n.path("slot").asText(""));
                if (slot == null) {
                    problem(id, "slot", "unknown slot type '" + n.path("slot").asText() + "' (one of: "
                            + String.join(", ", java.util.Arrays.stream(SlotType.values()).map(SlotType::scriptName)
                            .toList()) + ")");
                    return null;
                }
            } else if (!choices.isEmpty()) {
                slot = SlotType.CHOICE;
            } else if ("yes_no".equals(grammarName)) {
                slot = SlotType.YES_NO;
            } else if ("digits".equals(grammarName)) {
                slot = SlotType.DIGITS;
            } else if (grammarName != null) {
                slot = SlotType.INTENT;
            } else {
                problem(id, "slot", "missing: say what kind of answer this is (yes_no, number, choice, date, amount,"
                        + " free_text, digits, intent) or give a grammar or choices");
                return null;
            }
            Grammar g = null;
            if (grammarName == null && choices.isEmpty()) {
                grammarName = switch (slot) {
                    case YES_NO -> "yes_no";
                    case DIGITS -> "digits";
                    default -> null;
                };
                if (slot == SlotType.CHOICE || slot == SlotType.INTENT) {
                    problem(id, "choices", "a " + slot.scriptName() + " step needs choices or a grammar");
                }
                if (grammarName != null) {
                    g = grammars.find(grammarName).orElse(null);
                    if (g == null) {
                        problem(id, "grammar", "grammar '" + grammarName + "' is missing from the grammar directory");
                    }
                }
                grammarName = null; // implied by the slot; not written back
            } else if (!choices.isEmpty()) {
                g = choiceGrammar(id, choices);
            } else {
                g = grammars.find(grammarName).orElse(null);
                if (g == null) {
                    problem(id, "grammar", "no grammar named '" + grammarName + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(grammars.all().keySet())) + ")");
                }
            }
            if ((slot == SlotType.DATE || slot == SlotType.AMOUNT || slot == SlotType.FREE_TEXT)
                    && (n.has("grammar") || !choices.isEmpty())) {
                problem(id, "grammar", "a " + slot.scriptName() + " answer is not matched against a grammar or choices");
            }
            Double min = n.has("min") ? number(id, "min", n.path("min")) : null;
            Double max = n.has("max") ? number(id, "max", n.path("max")) : null;
            if ((min != null || max != null) && !EnumSet.of(SlotType.NUMBER, SlotType.AMOUNT, SlotType.DIGITS,
                    SlotType.DATE).contains(slot)) {
                problem(id, "min", "min/max apply only to number, amount, digits (lengths) and date (days from today)");
            }
            if (min != null && max != null && min > max) {
                problem(id, "max", "max " + fmt(max) + " is below min " + fmt(min));
            }
            if (slot == SlotType.DIGITS || slot == SlotType.DATE) {
                if (min != null && min != Math.rint(min) || max != null && max != Math.rint(max)) {
                    problem(id, "min", "must be whole numbers for a " + slot.scriptName() + " step");
                }
                if (slot == SlotType.DIGITS && (min != null && min < 1 || max != null && max < 1)) {
                    problem(id, "min", "digit counts must be at least 1");
                }
            }
            if (slot == SlotType.NUMBER && g != null && (min != null || max != null)) {
                for (String v : g.intentNames()) {
                    try {
                        double d = Double.parseDouble(v);
                        if (min != null && d < min || max != null && d > max) {
                            problem(id, "grammar", "grammar '" + g.name() + "' gives " + v + ", outside min/max");
                        }
                    } catch (NumberFormatException e) {
                        problem(id, "grammar", "grammar '" + g.name() + "' gives '" + v + "', not a number");
                    }
                }
            }
            String key = n.has("key") ? n.path("key").asText("") : null;
            if (key != null && !key.matches(VAR_NAME)) {
                problem(id, "key", "'" + key + "' is not a valid variable name");
            }
            if (key != null) {
                definedVars.add(key);
            }
            List<String> noInput = templates(id, "no_input", n.path("no_input"));
            List<String> noMatch = templates(id, "no_match", n.path("no_match"));
            int maxFailures = intField(id, "max_failures", n.path("max_failures"), defaults.maxFailures(), 1, 10);
            String fallback = ref(id, "fallback", n, false);
            double confirmBelow = doubleField(id, "confirm_below", n.path("confirm_below"), defaults.confirmBelow(),
                    0, 1);
            String confirmPrompt = template(id, "confirm_prompt", n, false);
            boolean dtmfDefault = defaultDtmf(slot, g);
            boolean dtmf = bool(id, "dtmf", n, dtmfDefault);
            if (dtmf && (slot == SlotType.DATE || slot == SlotType.FREE_TEXT)) {
                problem(id, "dtmf", "keys cannot answer a " + slot.scriptName() + " question");
            }
            if (dtmf && !dtmfDefault && (slot == SlotType.YES_NO || slot == SlotType.INTENT)) {
                problem(id, "dtmf", "grammar '" + (g == null ? "?" : g.name()) + "' maps no keys to answers");
            }
            int maxDigits = intField(id, "max_digits", n.path("max_digits"), defaultMaxDigits(slot, max, g), 1, 64);
            long timeout = intField(id, "no_input_timeout_ms", n.path("no_input_timeout_ms"),
                    (int) defaults.noInputTimeoutMs(), 500, 120_000);
            boolean bargeIn = bool(id, "barge_in", n, true);
            Set<GlobalIntent> globals = globals(id, "globals", n.path("globals"), defaults.globals());
            boolean faq = bool(id, "faq", n, false);
            if (faq && knowledge.entries().isEmpty()) {
                problem(id, "faq", "no knowledge file entries are loaded (knowledge.file)");
            }
            String faqNext = ref(id, "faq_next", n, false);
            Map<String, String> on = new LinkedHashMap<>();
            JsonNode onNode = n.path("on");
            if (!onNode.isMissingNode()) {
                if (!onNode.isObject()) {
                    problem(id, "on", "must map answers to step ids");
                } else if (g == null || slot == SlotType.NUMBER && n.has("min")) {
                    problem(id, "on", "only for answers from a grammar or choices; use a branch step for "
                            + slot.scriptName() + " answers");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it = onNode.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!g.intents().containsKey(e.getKey())) {
                            problem(id, "on." + e.getKey(), "'" + e.getKey() + "' is not an answer this step can give"
                                    + " (possible: " + String.join(", ", g.intentNames()) + ")");
                        }
                        String target = e.getValue().asText("");
                        refs.add(new String[] {id, "on." + e.getKey(), target});
                        on.put(e.getKey(), target);
                    }
                }
            }
            boolean onCoversAll = g != null && !g.repeat() && on.keySet().containsAll(g.intents().keySet());
            String next = ref(id, "next", n, !onCoversAll);
            if (g != null) {
                stepGrammars.put(id, g);
            }
            return new Step.Ask(id, set, prompt, key, slot, grammarName, choices, min, max, noInput, noMatch,
                    maxFailures, fallback, confirmBelow, confirmPrompt, dtmf, maxDigits, timeout, bargeIn, globals,
                    faq, faqNext, on, next);
        }

        private Map<String, List<String>> choices(String id, JsonNode c) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            if (c.isMissingNode()) {
                return out;
            }
            if (c.isArray()) {
                for (JsonNode p : c) {
                    String text = p.asText("");
                    String key = Grammar.normalize(text).replace(' ', '_').replace("'", "");
                    if (checkPhrase(id, "choices", text) && out.put(key, List.of(Grammar.normalize(text))) != null) {
                        problem(id, "choices", "'" + text + "' is listed twice");
                    }
                }
            } else if (c.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getKey().matches("[a-z0-9_]+")) {
                        problem(id, "choices." + e.getKey(), "choice values must be lower_snake_case");
                    }
                    List<String> phrases = new ArrayList<>();
                    JsonNode ps = e.getValue();
                    for (JsonNode p : ps.isArray() ? ps : List.of(ps)) {
                        if (checkPhrase(id, "choices." + e.getKey(), p.asText(""))) {
                            phrases.add(Grammar.normalize(p.asText()));
                        }
                    }
                    if (phrases.isEmpty()) {
                        problem(id, "choices." + e.getKey(), "needs at least one phrase");
                    }
                    out.put(e.getKey(), phrases);
                }
            } else {
                problem(id, "choices", "must be a list of phrases or a mapping of value to phrases");
            }
            return out;
        }

        private boolean checkPhrase(String id, String field, String phrase) {
            if (!phrase.matches(PLAIN_PHRASE)) {
                problem(id, field, "'" + phrase + "' must be plain words (write numbers as words; no symbols)");
                return false;
            }
            return true;
        }

        private Set<GlobalIntent> globals(String id, String field, JsonNode g, Set<GlobalIntent> dflt) {
            if (g.isMissingNode()) {
                return dflt;
            }
            if (g.isBoolean()) {
                return g.asBoolean() ? EnumSet.allOf(GlobalIntent.class) : Set.of();
            }
            Set<GlobalIntent> out = EnumSet.noneOf(GlobalIntent.class);
            if (!g.isArray()) {
                problem(id, field, "must be true, false or a list of global intents");
                return dflt;
            }
            for (JsonNode x : g) {
                GlobalIntent gi = GlobalIntent.fromScript(x.asText(""));
                if (gi == null) {
                    problem(id, field, "unknown global intent '" + x.asText() + "' (one of: " + String.join(", ",
                            java.util.Arrays.stream(GlobalIntent.values()).map(GlobalIntent::scriptName).toList())
                            + ")");
                } else {
                    out.add(gi);
                }
            }
            return out;
        }

        private String ref(String id, String field, JsonNode n, boolean required) {
            JsonNode v = n.path(field);
            if (v.isMissingNode() || v.isNull()) {
                if (required) {
                    problem(id, field, "missing: which step comes next?");
                }
                return null;
            }
            String target = v.asText("");
            refs.add(new String[] {id, field, target});
            return target;
        }

        private String template(String id, String field, JsonNode n, boolean required) {
            JsonNode v = n.path(field);
            if (v.isMissingNode() || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
                if (required || !v.isMissingNode() && !v.isNull()) {
                    problem(id, field, "needs text");
                }
                return null;
            }
            templates.add(new String[] {where(id, field), v.asText()});
            return v.asText();
        }

        private List<String> templates(String id, String field, JsonNode v) {
            if (v.isMissingNode()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonNode t : v.isArray() ? v : List.of(v)) {
                if (!t.isValueNode() || t.asText().isBlank()) {
                    problem(id, field, "prompts must be non-empty text");
                } else {
                    templates.add(new String[] {where(id, field), t.asText()});
                    out.add(t.asText());
                }
            }
            return out;
        }

        private void checkTemplate(String where, String text, boolean strict) {
            if (!Template.wellFormed(text)) {
                problems.add(where + ": malformed ${...} placeholder in '" + text + "'");
                return;
            }
            if (!strict || varPrefixes.contains("")) {
                return;
            }
            for (String v : Template.variables(text)) {
                boolean known = definedVars.contains(v) || BUILT_IN_VARS.contains(v)
                        || varPrefixes.stream().anyMatch(p -> v.startsWith(p + "."));
                if (!known) {
                    problems.add(where + ": unknown variable ${" + v + "} (not a contact field, vars entry, answer"
                            + " key or set variable)");
                }
            }
        }

        private String where(String id, String field) {
            return source + ": step '" + id + "': " + field;
        }

        private Map<String, String> stringMap(String id, String field, JsonNode m, boolean varNames) {
            Map<String, String> out = new LinkedHashMap<>();
            if (m.isMissingNode() || m.isNull()) {
                return out;
            }
            if (!m.isObject()) {
                problem(id, field, "must be a mapping");
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (varNames && !e.getKey().matches(VAR_NAME)) {
                    problem(id, field + "." + e.getKey(), "not a valid variable name");
                }
                if (!e.getValue().isValueNode()) {
                    problem(id, field + "." + e.getKey(), "must be text");
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
            return out;
        }

        private boolean bool(String id, String field, JsonNode n, boolean dflt) {
            JsonNode v = n.path(field);
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                problem(id, field, "must be true or false, got '" + v.asText() + "'");
                return dflt;
            }
            return v.asBoolean();
        }

        private int intField(String id, String field, JsonNode v, int dflt, int lo, int hi) {
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < lo || v.asInt() > hi) {
                problem(id, field, "must be a whole number from " + lo + " to " + hi + ", got '" + v.asText() + "'");
                return dflt;
            }
            return v.asInt();
        }

        private double doubleField(String id, String field, JsonNode v, double dflt, double lo, double hi) {
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isNumber() || v.asDouble() < lo || v.asDouble() > hi) {
                problem(id, field, "must be a number from " + fmt(lo) + " to " + fmt(hi) + ", got '" + v.asText() + "'");
                return dflt;
            }
            return v.asDouble();
        }

        private Double number(String id, String field, JsonNode v) {
            if (!v.isNumber()) {
                problem(id, field, "must be a number, got '" + v.asText() + "'");
                return null;
            }
            return v.asDouble();
        }

        private void reachability(String start, Map<String, Step> steps) {
            Set<String> seen = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>();
            todo.add(start);
            while (!todo.isEmpty()) {
                String id = todo.poll();
                if (seen.add(id)) {
                    // absent references (no fallback, ...) are null and skipped
                    targets(steps.get(id)).stream().filter(java.util.Objects::nonNull).forEach(todo::add);
                }
            }
            for (String id : steps.keySet()) {
                if (!seen.contains(id)) {
                    warnings.add(source + ": step '" + id + "': unreachable from start step '" + start + "'");
                }
            }
        }

        private static List<String> targets(Step s) {
            List<String> t = new ArrayList<>();
            if (s instanceof Step.Say x) {
                t.add(x.next());
            } else if (s instanceof Step.SetVars x) {
                t.add(x.next());
            } else if (s instanceof Step.Ask x) {
                t.add(x.next());
                t.add(x.fallback());
                t.add(x.faqNext());
                t.addAll(x.on().values());
            } else if (s instanceof Step.Branch x) {
                x.rules().forEach(r -> t.add(r.next()));
                t.add(x.otherwise());
            } else if (s instanceof Step.Webhook x) {
                t.add(x.next());
                t.add(x.onError());
            } else if (s instanceof Step.Callback x) {
                t.add(x.next());
            } else if (s instanceof Step.Task x) {
                t.add(x.next());
            }
            return t;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }
    }
}
