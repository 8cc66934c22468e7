package io.voicebot.dialog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.voicebot.dialog.grammar.Grammar;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a compiled dialog back in the script format (YAML), leaving out what equals the defaults, so an
 * operator can view and edit a compiled questionnaire. {@code DialogLoader.parse(toYaml(d))} gives the same steps.
 */
public final class ScriptWriter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private ScriptWriter() {}

    public static String toYaml(Dialog d) {
        ObjectNode root = YAML.createObjectNode();
        root.put("name", d.name());
        if (!d.description().isEmpty()) {
            root.put("description", d.description());
        }
        if (!d.steps().isEmpty() && !d.steps().keySet().iterator().next().equals(d.start())) {
            root.put("start", d.start());
        }
        if (!d.agentQueue().isEmpty()) {
            root.put("agent_queue", d.agentQueue());
        }
        if (d.recorded()) {
            root.put("record", true);
        }
        if (!d.contactFields().isEmpty()) {
            ArrayNode cf = root.putArray("contact_fields");
            d.contactFields().forEach(cf::add);
        }
        putMap(root, "vars", d.vars());
        putMap(root, "messages", d.messageOverrides());
        Dialog.Defaults std = Dialog.Defaults.STANDARD;
        Dialog.Defaults df = d.defaults();
        if (!df.equals(std)) {
            ObjectNode n = root.putObject("defaults");
            if (df.maxFailures() != std.maxFailures()) {
                n.put("max_failures", df.maxFailures());
            }
            if (df.confirmBelow() != std.confirmBelow()) {
                n.put("confirm_below", df.confirmBelow());
            }
            if (df.noInputTimeoutMs() != std.noInputTimeoutMs()) {
                n.put("no_input_timeout_ms", df.noInputTimeoutMs());
            }
            if (!df.globals().equals(std.globals())) {
                putGlobals(n, df.globals());
            }
        }
        if (!d.globalPolicies().equals(GlobalPolicy.STANDARD)) {
            ObjectNode n = root.putObject("confirm_globals");
            d.globalPolicies().forEach((g, p) -> {
                if (!p.equals(GlobalPolicy.STANDARD.get(g))) {
                    ObjectNode x = n.putObject(g.scriptName());
                    x.put("confirm", p.confirm().scriptName());
                    x.put("min_words", p.minWords());
                    x.put("min_confidence", p.minConfidence());
                }
            });
        }
        ArrayNode steps = root.putArray("steps");
        for (Step s : d.steps().values()) {
            steps.add(step(d, s));
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode step(Dialog d, Step s) {
        ObjectNode n = YAML.createObjectNode();
        n.put("id", s.id());
        putMap(n, "set", s.set());
        if (s instanceof Step.Say x) {
            n.put("say", x.text());
            if (x.nonInterruptible()) {
                n.put("non_interruptible", true);
            } else if (!x.bargeIn()) {
                n.put("barge_in", false);
            }
            n.put("next", x.next());
        } else if (s instanceof Step.SetVars x) {
            n.put("next", x.next());
        } else if (s instanceof Step.Ask x) {
            ask(d, x, n);
        } else if (s instanceof Step.Branch x) {
            ArrayNode rules = n.putArray("branch");
            for (Step.Rule r : x.rules()) {
                rules.addObject().put("when", r.when().toString()).put("goto", r.next());
            }
            n.put("otherwise", x.otherwise());
        } else if (s instanceof Step.Webhook x) {
            n.put("webhook", x.url());
            putMap(n, "payload", x.payload());
            if (!x.resultPrefix().equals(x.id())) {
                n.put("result", x.resultPrefix());
            }
            n.put("next", x.next());
            if (x.onError() != null) {
                n.put("on_error", x.onError());
            }
        } else if (s instanceof Step.Transfer x) {
            n.put("transfer", x.queue());
            if (!x.reason().equals(x.id())) {
                n.put("reason", x.reason());
            }
            if (x.decision() != null) {
                n.put("decision", x.decision());
            }
            if (x.say() != null) {
                n.put("say", x.say());
            }
        } else if (s instanceof Step.Callback x) {
            n.put("callback", x.when());
            n.put("next", x.next());
        } else if (s instanceof Step.Task x) {
            n.put("task", x.type());
            putMap(n, "details", x.details());
            n.put("next", x.next());
        } else if (s instanceof Step.Hangup x) {
            n.put("hangup", x.outcome().scriptName());
            if (x.say() != null) {
                n.put("say", x.say());
            }
        }
        return n;
    }

    private static void ask(Dialog d, Step.Ask x, ObjectNode n) {
        Dialog.Defaults df = d.defaults();
        n.put("ask", x.prompt());
        n.put("slot", x.slot().scriptName());
        if (x.key() != null) {
            n.put("key", x.key());
        }
        if (x.grammar() != null) {
            n.put("grammar", x.grammar());
        }
        if (!x.choices().isEmpty()) {
            ObjectNode c = n.putObject("choices");
            x.choices().forEach((k, v) -> {
                ArrayNode a = c.putArray(k);
                v.forEach(a::add);
            });
        }
        if (x.min() != null) {
            putNumber(n, "min", x.min());
        }
        if (x.max() != null) {
            putNumber(n, "max", x.max());
        }
        putList(n, "no_input", x.noInput());
        putList(n, "no_match", x.noMatch());
        if (x.maxFailures() != df.maxFailures()) {
            n.put("max_failures", x.maxFailures());
        }
        if (x.fallback() != null) {
            n.put("fallback", x.fallback());
        }
        if (x.confirmBelow() != df.confirmBelow()) {
            n.put("confirm_below", x.confirmBelow());
        }
        if (x.confirmPrompt() != null) {
            n.put("confirm_prompt", x.confirmPrompt());
        }
        Grammar g = d.grammarOf(x.id());
        if (x.dtmf() != DialogLoader.defaultDtmf(x.slot(), g)) {
            n.put("dtmf", x.dtmf());
        }
        if (x.maxDigits() != DialogLoader.defaultMaxDigits(x.slot(), x.max(), g)) {
            n.put("max_digits", x.maxDigits());
        }
        if (x.noInputTimeoutMs() != df.noInputTimeoutMs()) {
            n.put("no_input_timeout_ms", x.noInputTimeoutMs());
        }
        if (!x.bargeIn()) {
            n.put("barge_in", false);
        }
        if (!x.globals().equals(df.globals())) {
            putGlobals(n, x.globals());
        }
        if (x.secret()) {
            n.put("secret", true);
        }
        if (x.faq()) {
            n.put("faq", true);
        }
        if (x.faqNext() != null) {
            n.put("faq_next", x.faqNext());
        }
        putMap(n, "on", x.on());
        if (x.next() != null) {
            n.put("next", x.next());
        }
    }

    private static void putGlobals(ObjectNode n, java.util.Set<GlobalIntent> globals) {
        ArrayNode a = n.putArray("globals");
        for (GlobalIntent g : GlobalIntent.values()) {
            if (globals.contains(g)) {
                a.add(g.scriptName());
            }
        }
    }

    private static void putNumber(ObjectNode n, String field, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            n.put(field, (long) v);
        } else {
            n.put(field, v);
        }
    }

    private static void putList(ObjectNode n, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = n.putArray(field);
            values.forEach(a::add);
        }
    }

    private static void putMap(ObjectNode n, String field, Map<String, String> m) {
        if (!m.isEmpty()) {
            ObjectNode o = n.putObject(field);
            m.forEach(o::put);
        }
    }
}
