package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the steps of a script, one at a time. References to other steps, templates and the variables steps
 * define are collected here and checked by {@link DialogCompiler} once every step is known.
 */
final class StepCompiler extends ScriptReader {
    /** Recognizer dictionaries know words, not numerals or symbols. */
    static final String PLAIN_PHRASE = "[A-Za-z']+([ -][A-Za-z']+)*";
    static final List<String> KINDS = List.of("ask", "branch", "webhook", "transfer", "callback", "task",
            "hangup");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "say", Set.of("id", "set", "say", "barge_in", "non_interruptible", "next"),
            "set", Set.of("id", "set", "next"),
            "ask", Set.of("id", "set", "ask", "key", "slot", "grammar", "choices", "min", "max", "no_input",
                    "no_match", "max_failures", "fallback", "confirm_below", "confirm_prompt", "dtmf", "max_digits",
                    "no_input_timeout_ms", "barge_in", "globals", "faq", "faq_next", "on", "next", "secret"),
            "branch", Set.of("id", "set", "branch", "otherwise"),
            "webhook", Set.of("id", "set", "webhook", "payload", "result", "next", "on_error"),
            "transfer", Set.of("id", "set", "transfer", "say", "reason", "decision"),
            "callback", Set.of("id", "set", "callback", "next"),
            "task", Set.of("id", "set", "task", "details", "next"),
            "hangup", Set.of("id", "set", "hangup", "say"));

    private final Knowledge knowledge;
    private final AskReader asks;
    final Map<String, Grammar> stepGrammars = new LinkedHashMap<>();
    /** (step id, field, target) of every step reference, checked once all ids are known. */
    final List<String[]> refs = new ArrayList<>();
    /** (where, template) of every template, checked once all variable names are known. */
    final List<String[]> templates = new ArrayList<>();
    final Set<String> definedVars = new HashSet<>();
    final Set<String> varPrefixes = new HashSet<>();
    /** secret.<step id> of every secret ask: usable only in webhook payloads. */
    final Set<String> secretVars = new HashSet<>();
    Dialog.Defaults defaults = Dialog.Defaults.STANDARD;

    StepCompiler(String source, List<String> problems, GrammarLibrary grammars, Knowledge knowledge) {
        super(source, problems);
        this.knowledge = knowledge;
        this.asks = new AskReader(this, grammars);
    }

    Step step(String id, JsonNode n) {
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
                    n.path("reason").asText(id), n.has("decision") ? n.path("decision").asText(null) : null);
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

    Step.Hangup hangup(String id, Map<String, String> set, JsonNode n) {
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

    Step.Task task(String id, Map<String, String> set, JsonNode n) {
        String type = n.path("task").asText("");
        if (!type.matches(ID)) {
            problem(id, "task", "task type must be lower_snake_case, got '" + type + "'");
        }
        Map<String, String> details = stringMap(id, "details", n.path("details"), false);
        details.forEach((k, v) -> templates.add(new String[] {where(id, "details." + k), v}));
        return new Step.Task(id, set, type, details, ref(id, "next", n, true));
    }

    Step.Webhook webhook(String id, Map<String, String> set, JsonNode n) {
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

    Step.Branch branch(String id, Map<String, String> set, JsonNode n) {
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

    Step.Ask ask(String id, Map<String, String> set, JsonNode n) {
        String prompt = template(id, "ask", n, true);
        AskReader.Answer answer = asks.answer(id, n);
        if (answer == null) {
            return null;
        }
        SlotType slot = answer.slot();
        Grammar g = answer.grammar();
        AskReader.Range range = asks.range(id, n, answer);
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
        AskReader.Keys keys = asks.keys(id, n, answer, range.max());
        long timeout = intField(id, "no_input_timeout_ms", n.path("no_input_timeout_ms"),
                (int) defaults.noInputTimeoutMs(), 500, 120_000);
        boolean bargeIn = bool(id, "barge_in", n, true);
        Set<GlobalIntent> globals = EnumSet.noneOf(GlobalIntent.class);
        globals.addAll(globals(id, "globals", n.path("globals"), defaults.globals()));
        if (slot == SlotType.FREE_TEXT && n.path("globals").isMissingNode()) {
            globals.remove(GlobalIntent.UNSURE); // "i don't know" answers "what did you like?"
        }
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
        // "unsure" answers nothing: unrouted, it asks again, so it needs no next step
        boolean onCoversAll = g != null && !g.repeat() && on.keySet().containsAll(g.intents().keySet().stream()
                .filter(i -> !i.equals(Grammar.UNSURE)).toList());
        String next = ref(id, "next", n, !onCoversAll);
        if (g != null) {
            stepGrammars.put(id, g);
        }
        boolean secret = bool(id, "secret", n, false);
        if (secret) {
            SecretAsk.check(this, id, n, slot, keys.dtmf());
            secretVars.add(SecretAsk.VAR_PREFIX + id);
        }
        return new Step.Ask(id, set, prompt, key, slot, answer.grammarName(), answer.choices(), range.min(),
                range.max(), noInput, noMatch, maxFailures, fallback, confirmBelow, confirmPrompt, keys.dtmf(),
                keys.maxDigits(), timeout, bargeIn, globals, faq, faqNext, on, next, secret);
    }

    String ref(String id, String field, JsonNode n, boolean required) {
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

    String template(String id, String field, JsonNode n, boolean required) {
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

    List<String> templates(String id, String field, JsonNode v) {
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
}
