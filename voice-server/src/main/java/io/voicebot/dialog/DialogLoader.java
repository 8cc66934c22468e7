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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads and checks dialog scripts (YAML or JSON; see docs/dialogs.md). The whole script is checked and every
 * problem is reported at once as "source: step 'id': field: what is wrong"; a script with problems is never
 * half-loaded. Non-fatal findings (unreachable steps) end up in {@link Dialog#warnings()}.
 */
public final class DialogLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
        return new DialogCompiler(source, grammars, knowledge).compile(root);
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
}
