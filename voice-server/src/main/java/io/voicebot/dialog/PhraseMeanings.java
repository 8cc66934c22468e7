package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What each phrase of a listen means to the run: "answer:&lt;intent&gt;" when it is exactly a phrase of the
 * step's grammar, "global:&lt;INTENT&gt;" when it is exactly a phrase of a global intent. Exact phrases only:
 * {@link Grammar#intentOf} finds "no" inside the opt-out's "no more calls", which means something else entirely.
 * A phrase of neither (or of a sequence grammar, whose words combine) gets no meaning.
 */
final class PhraseMeanings {

    private PhraseMeanings() {
    }

    static Map<String, String> of(List<String> phrases, Grammar answers, Map<GlobalIntent, Grammar> globals) {
        Map<String, String> exact = new LinkedHashMap<>();
        // globals first, so that a step's own answer overrides ("agent" at the hotline menu is an answer)
        globals.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> put(exact, e.getValue(), intent -> "global:" + e.getKey().name()));
        if (answers != null && !answers.repeat()) {
            put(exact, answers, intent -> "answer:" + intent);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : phrases) {
            String m = exact.get(Grammar.normalize(p));
            if (m != null) {
                out.put(p, m);
            }
        }
        return out;
    }

    private static void put(Map<String, String> exact, Grammar g, UnaryOperator<String> meaning) {
        g.intents().forEach((intent, ps) -> ps.forEach(p -> exact.put(Grammar.normalize(p), meaning.apply(intent))));
    }
}
