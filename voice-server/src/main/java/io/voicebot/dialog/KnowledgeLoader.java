package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.dialog.grammar.Grammar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the knowledge file the hotline's FAQ steps answer from (config/hotline-faq.yaml). */
public final class KnowledgeLoader {
    private KnowledgeLoader() {
    }

    /** The knowledge file (config/hotline-faq.yaml). */
    public static Knowledge load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new DialogException(List.of(file + ": cannot read: " + e.getMessage()));
        }
    }

    /**
     * Parses a knowledge file: {@code entries: [{id, question, answer, phrases: [...]}]}; every problem is
     * reported with the entry id and field.
     */
    public static Knowledge parse(String source, String text) {
        JsonNode root = DialogLoader.readTree(source, text);
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
            if (!id.matches(ScriptReader.ID)) {
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
                    if (!phrase.matches(StepCompiler.PLAIN_PHRASE)) {
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
}
