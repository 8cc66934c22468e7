package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every part of the dialog compiler shares: the script's name for messages, the one list of problems, and
 * readers of typed fields that report "source: step 'id': field: what is wrong" and fall back to a default.
 */
abstract class ScriptReader {
    static final String ID = "[a-z][a-z0-9_]*";
    static final String VAR_NAME = "[A-Za-z_][A-Za-z0-9_]*";

    final String source;
    final List<String> problems;

    ScriptReader(String source, List<String> problems) {
        this.source = source;
        this.problems = problems;
    }

    void problem(String stepId, String field, String what) {
        problems.add(source + ": " + (stepId == null ? "" : "step '" + stepId + "': ") + field + ": " + what);
    }

    String where(String id, String field) {
        return source + ": step '" + id + "': " + field;
    }

    Map<String, String> stringMap(String id, String field, JsonNode m, boolean varNames) {
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

    boolean bool(String id, String field, JsonNode n, boolean dflt) {
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

    int intField(String id, String field, JsonNode v, int dflt, int lo, int hi) {
        if (v.isMissingNode()) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < lo || v.asInt() > hi) {
            problem(id, field, "must be a whole number from " + lo + " to " + hi + ", got '" + v.asText() + "'");
            return dflt;
        }
        return v.asInt();
    }

    double doubleField(String id, String field, JsonNode v, double dflt, double lo, double hi) {
        if (v.isMissingNode()) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < lo || v.asDouble() > hi) {
            problem(id, field, "must be a number from " + fmt(lo) + " to " + fmt(hi) + ", got '" + v.asText() + "'");
            return dflt;
        }
        return v.asDouble();
    }

    Double number(String id, String field, JsonNode v) {
        if (!v.isNumber()) {
            problem(id, field, "must be a number, got '" + v.asText() + "'");
            return null;
        }
        return v.asDouble();
    }

    Set<GlobalIntent> globals(String id, String field, JsonNode g, Set<GlobalIntent> dflt) {
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

    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
