package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one script tree into a {@link Dialog}: the top-level fields, then every step (through
 * {@link StepCompiler}), then the checks that need the whole script (step references, template variables, the
 * recording rule, reachability). Every problem is collected; a script with any is never half-loaded.
 */
final class DialogCompiler extends ScriptReader {
    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "start", "agent_queue", "vars",
            "contact_fields", "messages", "defaults", "confirm_globals", "steps", "record");
    private static final Set<String> BUILT_IN_VARS = Set.of("heard", "callback_time", "last_answer", "last_faq");

    private final GrammarLibrary grammars;
    private final Knowledge knowledge;
    private final StepCompiler stepc;
    private final List<String> warnings = new ArrayList<>();

    DialogCompiler(String source, GrammarLibrary grammars, Knowledge knowledge) {
        super(source, new ArrayList<>());
        this.grammars = grammars;
        this.knowledge = knowledge;
        this.stepc = new StepCompiler(source, problems, grammars, knowledge);
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
        stepc.definedVars.addAll(vars.keySet());
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
        stepc.definedVars.addAll(contactFields);
        Map<String, String> messages = stringMap(null, "messages", root.path("messages"), false);
        for (Map.Entry<String, String> m : messages.entrySet()) {
            if (!Dialog.DEFAULT_MESSAGES.containsKey(m.getKey())) {
                problem(null, "messages." + m.getKey(), "unknown message (known: "
                        + String.join(", ", Dialog.DEFAULT_MESSAGES.keySet()) + ")");
            }
            stepc.templates.add(new String[] {source + ": messages." + m.getKey(), m.getValue()});
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
                Step s = stepc.step(id, n);
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
        for (String[] r : stepc.refs) {
            if (!allIds.contains(r[2])) {
                problem(r[0], r[1], "unknown step '" + r[2] + "'");
            }
        }
        for (String[] t : stepc.templates) {
            checkTemplate(t[0], t[1], !contactFields.isEmpty());
        }
        boolean recorded = RecordingRule.check(root.path("record"), steps.values(),
                (field, what) -> problem(null, field, what));
        if (problems.isEmpty()) {
            problems.addAll(LoopCheck.problems(source, steps)); // a loop that never waits for the caller
        }
        if (problems.isEmpty()) {
            reachability(start, steps);
            // Word lists for answers that are parsed, not matched: the recognizer listens for these words.
            Map<SlotType, Grammar> slotWords = new java.util.EnumMap<>(SlotType.class);
            grammars.find("date").ifPresent(g -> slotWords.put(SlotType.DATE, g));
            Grammar callbackWords = grammars.find("callback_time").orElse(null);
            return new Dialog(name, source, description, start, agentQueue, vars, contactFields, messages,
                    stepc.defaults, steps, stepc.stepGrammars, globals, yesNo, knowledge, warnings, slotWords,
                    callbackWords, policies, recorded);
        }
        throw new DialogException(problems);
    }

    /** confirm_globals: {opt_out: {confirm: always|unless_clear|never, min_words: 4, min_confidence: 0.95}}. */
    Map<GlobalIntent, GlobalPolicy> readPolicies(JsonNode n) {
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

    void readDefaults(JsonNode d) {
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
        stepc.defaults = new Dialog.Defaults(maxFailures, confirm, timeout, globals);
    }

    void checkTemplate(String where, String text, boolean strict) {
        if (!Template.wellFormed(text)) {
            problems.add(where + ": malformed ${...} placeholder in '" + text + "'");
            return;
        }
        SecretAsk.checkUse(where, text, stepc.secretVars, problems);
        if (!strict || stepc.varPrefixes.contains("")) {
            return;
        }
        for (String v : Template.variables(text)) {
            boolean known = stepc.definedVars.contains(v) || BUILT_IN_VARS.contains(v) || v.startsWith(SecretAsk.VAR_PREFIX)
                    || stepc.varPrefixes.stream().anyMatch(p -> v.startsWith(p + "."));
            if (!known) {
                problems.add(where + ": unknown variable ${" + v + "} (not a contact field, vars entry, answer"
                        + " key or set variable)");
            }
        }
    }

    void reachability(String start, Map<String, Step> steps) {
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

    static List<String> targets(Step s) {
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
}
