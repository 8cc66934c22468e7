package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.ScriptReader.fmt;

/**
 * The answer an ask step takes, as its script gives it or implies it: the slot, the grammar or choices it is matched
 * against, the min/max range, and whether (and how many) keys answer it. Problems go to the step compiler's list.
 */
final class AskReader {
    /** The slot; the grammar name written back (null when implied by the slot); the grammar; the choices. */
    record Answer(SlotType slot, String grammarName, Grammar grammar, Map<String, List<String>> choices) {}

    record Range(Double min, Double max) {}

    record Keys(boolean dtmf, int maxDigits) {}

    private final ScriptReader script;
    private final GrammarLibrary grammars;

    AskReader(ScriptReader script, GrammarLibrary grammars) {
        this.script = script;
        this.grammars = grammars;
    }

    /** The step's slot and grammar, or null when the slot is unknown or cannot be told (a problem says why). */
    Answer answer(String id, JsonNode n) {
        String grammarName = n.has("grammar") ? n.path("grammar").asText("") : null;
        Map<String, List<String>> choices = choices(id, n.path("choices"));
        if (grammarName != null && !choices.isEmpty()) {
            script.problem(id, "choices", "give either grammar or choices, not both");
        }
        SlotType slot;
        if (n.has("slot")) {
            slot = SlotType.fromScript(n.path("slot").asText(""));
            if (slot == null) {
                script.problem(id, "slot", "unknown slot type '" + n.path("slot").asText() + "' (one of: "
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
            script.problem(id, "slot", "missing: say what kind of answer this is (yes_no, number, choice, date, amount,"
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
                script.problem(id, "choices", "a " + slot.scriptName() + " step needs choices or a grammar");
            }
            if (grammarName != null) {
                g = grammars.find(grammarName).orElse(null);
                if (g == null) {
                    script.problem(id, "grammar", "grammar '" + grammarName
                            + "' is missing from the grammar directory");
                }
            }
            grammarName = null; // implied by the slot; not written back
        } else if (!choices.isEmpty()) {
            g = DialogLoader.choiceGrammar(id, choices);
        } else {
            g = grammars.find(grammarName).orElse(null);
            if (g == null) {
                script.problem(id, "grammar", "no grammar named '" + grammarName + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(grammars.all().keySet())) + ")");
            }
        }
        if ((slot == SlotType.DATE || slot == SlotType.AMOUNT || slot == SlotType.FREE_TEXT)
                && (n.has("grammar") || !choices.isEmpty())) {
            script.problem(id, "grammar", "a " + slot.scriptName()
                    + " answer is not matched against a grammar or choices");
        }
        return new Answer(slot, grammarName, g, choices);
    }

    /** min and max, checked against the slot and the grammar's values. */
    Range range(String id, JsonNode n, Answer a) {
        SlotType slot = a.slot();
        Grammar g = a.grammar();
        Double min = n.has("min") ? script.number(id, "min", n.path("min")) : null;
        Double max = n.has("max") ? script.number(id, "max", n.path("max")) : null;
        if ((min != null || max != null) && !EnumSet.of(SlotType.NUMBER, SlotType.AMOUNT, SlotType.DIGITS,
                SlotType.DATE).contains(slot)) {
            script.problem(id, "min",
                    "min/max apply only to number, amount, digits (lengths) and date (days from today)");
        }
        if (min != null && max != null && min > max) {
            script.problem(id, "max", "max " + fmt(max) + " is below min " + fmt(min));
        }
        if (slot == SlotType.DIGITS || slot == SlotType.DATE) {
            if (min != null && min != Math.rint(min) || max != null && max != Math.rint(max)) {
                script.problem(id, "min", "must be whole numbers for a " + slot.scriptName() + " step");
            }
            if (slot == SlotType.DIGITS && (min != null && min < 1 || max != null && max < 1)) {
                script.problem(id, "min", "digit counts must be at least 1");
            }
        }
        if (slot == SlotType.NUMBER && g != null && (min != null || max != null)) {
            for (String v : g.intentNames()) {
                try {
                    double d = Double.parseDouble(v);
                    if (min != null && d < min || max != null && d > max) {
                        script.problem(id, "grammar", "grammar '" + g.name() + "' gives " + v + ", outside min/max");
                    }
                } catch (NumberFormatException e) {
                    script.problem(id, "grammar", "grammar '" + g.name() + "' gives '" + v + "', not a number");
                }
            }
        }
        return new Range(min, max);
    }

    /** Whether keys answer the step (by default when the slot or grammar has a key for each answer), and how many. */
    Keys keys(String id, JsonNode n, Answer a, Double max) {
        SlotType slot = a.slot();
        Grammar g = a.grammar();
        boolean dtmfDefault = DialogLoader.defaultDtmf(slot, g);
        boolean dtmf = script.bool(id, "dtmf", n, dtmfDefault);
        if (dtmf && (slot == SlotType.DATE || slot == SlotType.FREE_TEXT)) {
            script.problem(id, "dtmf", "keys cannot answer a " + slot.scriptName() + " question");
        }
        if (dtmf && !dtmfDefault && (slot == SlotType.YES_NO || slot == SlotType.INTENT)) {
            script.problem(id, "dtmf", "grammar '" + (g == null ? "?" : g.name()) + "' maps no keys to answers");
        }
        int maxDigits = script.intField(id, "max_digits", n.path("max_digits"),
                DialogLoader.defaultMaxDigits(slot, max, g), 1, 64);
        return new Keys(dtmf, maxDigits);
    }

    Map<String, List<String>> choices(String id, JsonNode c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (c.isMissingNode()) {
            return out;
        }
        if (c.isArray()) {
            for (JsonNode p : c) {
                String text = p.asText("");
                String key = Grammar.normalize(text).replace(' ', '_').replace("'", "");
                if (checkPhrase(id, "choices", text) && out.put(key, List.of(Grammar.normalize(text))) != null) {
                    script.problem(id, "choices", "'" + text + "' is listed twice");
                }
            }
        } else if (c.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("[a-z0-9_]+")) {
                    script.problem(id, "choices." + e.getKey(), "choice values must be lower_snake_case");
                }
                List<String> phrases = new ArrayList<>();
                JsonNode ps = e.getValue();
                for (JsonNode p : ps.isArray() ? ps : List.of(ps)) {
                    if (checkPhrase(id, "choices." + e.getKey(), p.asText(""))) {
                        phrases.add(Grammar.normalize(p.asText()));
                    }
                }
                if (phrases.isEmpty()) {
                    script.problem(id, "choices." + e.getKey(), "needs at least one phrase");
                }
                out.put(e.getKey(), phrases);
            }
        } else {
            script.problem(id, "choices", "must be a list of phrases or a mapping of value to phrases");
        }
        return out;
    }

    boolean checkPhrase(String id, String field, String phrase) {
        if (!phrase.matches(StepCompiler.PLAIN_PHRASE)) {
            script.problem(id, field, "'" + phrase + "' must be plain words (write numbers as words; no symbols)");
            return false;
        }
        return true;
    }
}
