package io.voicebot.dialog.grammar;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The grammars in grammars/*.yaml, loaded once. A file looks like:
 * <pre>
 * name: yes_no
 * intents:
 *   yes: [yes, yeah, correct]
 *   no: [no, nope]
 * dtmf: {"1": yes, "2": no}
 * repeat: false
 * alone: []        # phrases that count only as the whole utterance ("what" in repeat_request)
 * </pre>
 * Every problem of every file is collected and reported together.
 */
public final class GrammarLibrary {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Grammar> grammars;

    private GrammarLibrary(Map<String, Grammar> grammars) {
        this.grammars = Map.copyOf(grammars);
    }

    public static GrammarLibrary load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new GrammarException("grammar directory " + dir + " does not exist");
        }
        Map<String, Grammar> found = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList()) {
                try {
                    Grammar g = parse(f.toString(), Files.readString(f), errors);
                    if (g != null) {
                        if (found.containsKey(g.name())) {
                            errors.add(f + ": grammar name '" + g.name() + "' is already used by another file");
                        } else {
                            found.put(g.name(), g);
                        }
                    }
                } catch (IOException e) {
                    errors.add(f + ": cannot read: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new GrammarException("cannot list " + dir + ": " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new GrammarException(String.join("\n", errors));
        }
        return new GrammarLibrary(found);
    }

    /** Parses one grammar document; problems are added to {@code errors} as "source:line: field: what". */
    public static Grammar parse(String source, String yaml, List<String> errors) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            errors.add(source + (loc == null ? "" : ":" + loc.getLineNr()) + ": not valid YAML: "
                    + e.getOriginalMessage());
            return null;
        }
        int before = errors.size();
        if (root == null || !root.isObject()) {
            errors.add(source + ": expected a mapping with name and intents");
            return null;
        }
        String name = root.path("name").asText("");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            errors.add(source + ": name: must be lower_snake_case, got '" + name + "'");
        }
        Map<String, List<String>> intents = new LinkedHashMap<>();
        JsonNode in = root.path("intents");
        if (!in.isObject() || in.isEmpty()) {
            errors.add(source + ": intents: must map each intent to a list of phrases");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> phrases = new ArrayList<>();
                if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                    errors.add(source + ": intents." + e.getKey() + ": must be a non-empty list of phrases");
                    continue;
                }
                for (JsonNode p : e.getValue()) {
                    String phrase = Grammar.normalize(p.asText(""));
                    if (phrase.isEmpty()) {
                        errors.add(source + ": intents." + e.getKey() + ": empty phrase");
                    } else {
                        phrases.add(phrase);
                    }
                }
                intents.put(e.getKey(), phrases);
            }
        }
        Map<Character, String> dtmf = new LinkedHashMap<>();
        JsonNode d = root.path("dtmf");
        if (!d.isMissingNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.length() != 1 || "0123456789*#ABCD".indexOf(key.charAt(0)) < 0) {
                    errors.add(source + ": dtmf." + key + ": not a DTMF key (0-9, *, #, A-D)");
                } else if (!intents.containsKey(e.getValue().asText())) {
                    errors.add(source + ": dtmf." + key + ": names unknown intent '" + e.getValue().asText() + "'");
                } else {
                    dtmf.put(key.charAt(0), e.getValue().asText());
                }
            }
        }
        boolean repeat = root.path("repeat").asBoolean(false);
        Set<String> alone = new LinkedHashSet<>();
        JsonNode a = root.path("alone");
        if (!a.isMissingNode()) {
            if (!a.isArray()) {
                errors.add(source + ": alone: must be a list of phrases");
            } else {
                Set<String> all = new LinkedHashSet<>();
                intents.values().forEach(all::addAll);
                for (JsonNode p : a) {
                    String phrase = Grammar.normalize(p.asText(""));
                    if (!all.contains(phrase)) {
                        errors.add(source + ": alone: '" + p.asText("") + "' is not a phrase of any intent");
                    } else {
                        alone.add(phrase);
                    }
                }
            }
        }
        return errors.size() == before ? new Grammar(name, intents, dtmf, repeat, alone) : null;
    }

    public Optional<Grammar> find(String name) {
        return Optional.ofNullable(grammars.get(name));
    }

    public Grammar get(String name) {
        Grammar g = grammars.get(name);
        if (g == null) {
            throw new GrammarException("no grammar named '" + name + "' (known: " + String.join(", ",
                    new java.util.TreeSet<>(grammars.keySet())) + ")");
        }
        return g;
    }

    public Map<String, Grammar> all() {
        return grammars;
    }
}
