package io.voicebot.speech.asr;

import edu.cmu.sphinx.result.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSGF grammar files Sphinx4 decodes with: one .gram file per distinct vocabulary in a temporary directory of
 * this recognizer, named after a hash of its rule so equal vocabularies share one compiled grammar. Words missing
 * from the bundled dictionary are refused here, before a decoder tries to compile them.
 */
final class SphinxGrammars {
    private static final Logger log = LoggerFactory.getLogger(SphinxGrammars.class);
    /**
     * Prior of the global phrases against the step's (linear, before the language weight): the global must fit the
     * audio clearly better to win. Measured in SphinxStepFirstTest and docs/understanding.md.
     */
    static final String SECONDARY_PRIOR = "0.01";

    private final Path dir;
    private final Set<String> dictionaryWords;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    /** The vocabulary of each grammar name, to tell a result of the garbage loop from an answer. */
    private final Map<String, Vocabulary> vocabularies = new ConcurrentHashMap<>();
    private final GarbageLoop garbage;
    private final OtherAnswers others;

    SphinxGrammars() {
        this(0, 1, 0, List.of());
    }

    /**
     * {@code garbagePrior}: the out-of-grammar word loop's prior, 0 for none; {@code garbageWords}: its size
     * ({@link GarbageLoop}); {@code otherPrior}, {@code otherAnswers}: the branch of answers to other questions,
     * prior 0 for none ({@link OtherAnswers}).
     */
    SphinxGrammars(double garbagePrior, int garbageWords, double otherPrior, List<String> otherAnswers) {
        try {
            dir = Files.createTempDirectory("voicebot-jsgf");
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new AsrException("cannot create a temporary directory for JSGF grammars: " + e.getMessage(), e);
        }
        dictionaryWords = loadDictionaryWords();
        garbage = new GarbageLoop(garbagePrior, garbageWords, dictionaryWords);
        others = new OtherAnswers(otherPrior, otherAnswers, dictionaryWords);
    }

    /**
     * First letter of the name of a sequence grammar (digits said one after another), which the decoder compiles
     * with a stronger word insertion penalty (SphinxDecoder).
     */
    static final String SEQUENCE_PREFIX = "s";

    /** Where the .gram files are (Sphinx4's grammar path). */
    Path dir() {
        return dir;
    }

    /** The JSGF grammar name for a vocabulary, writing its .gram file the first time (cached by content). */
    String nameFor(Vocabulary v) {
        List<String> unknown = unknownWords(v);
        if (!unknown.isEmpty()) {
            throw new AsrException("the Sphinx dictionary (cmudict-en-us) has no pronunciation for "
                    + String.join(", ", unknown.stream().map(w -> "'" + w + "'").toList()) + " in phrases "
                    + v.phrases() + "; use other words or spell numbers as words");
        }
        String body = jsgfBody(v, garbage, others);
        String grammar = names.computeIfAbsent(body, b -> {
            String name = (v.sequence() ? SEQUENCE_PREFIX : "g") + sha1(b).substring(0, 16);
            // The rule is named after the grammar: a decoder's grammar manager keeps every grammar it has loaded.
            String text = "#JSGF V1.0;\ngrammar " + name + ";\npublic <" + name + "> = " + b + ";\n";
            try {
                Files.writeString(dir.resolve(name + ".gram"), text, StandardCharsets.UTF_8);
                dir.resolve(name + ".gram").toFile().deleteOnExit();
            } catch (IOException e) {
                throw new AsrException("cannot write JSGF grammar to " + dir + ": " + e.getMessage(), e);
            }
            return name;
        });
        vocabularies.putIfAbsent(grammar, v);
        return grammar;
    }

    /**
     * Why {@code result} (of grammar {@code name}) is not an answer: its words came through the garbage loop or the
     * branch of other questions' answers; null when it may be one.
     */
    String outsidePhrases(String name, Result result) {
        Vocabulary v = name == null ? null : vocabularies.get(name);
        String text = result == null ? "" : SphinxResults.clean(result.getBestFinalResultNoFiller());
        if (v == null || text.isEmpty()) {
            return null;
        }
        List<String> words = java.util.Arrays.asList(text.split(" "));
        String why = garbage.heard(v, words) ? GarbageLoop.REASON : others.heard(v, words) ? OtherAnswers.REASON
                : null;
        if (why != null) {
            log.debug("Sphinx4 rejected '{}': {}", v.sequence() ? words.size() + " words" : text, why);
        }
        return why;
    }

    /** The words of {@code v} the dictionary has no pronunciation for, in order, each once. */
    List<String> unknownWords(Vocabulary v) {
        List<String> unknown = new ArrayList<>();
        for (String w : v.words()) {
            if (!dictionaryWords.contains(w) && !unknown.contains(w)) {
                unknown.add(w);
            }
        }
        return unknown;
    }

    /**
     * The JSGF rule body: the phrases as alternatives, repeatable for a sequence. Secondary phrases (global
     * intents) are one weighted alternative of their own, {@link #SECONDARY_PRIOR} against the step's phrases, and
     * never part of a sequence.
     */
    static String jsgfBody(Vocabulary v) {
        return jsgfBody(v, null, null);
    }

    /**
     * As {@link #jsgfBody(Vocabulary)}, with the garbage loop and the other questions' answers as further
     * alternatives when they are on.
     */
    static String jsgfBody(Vocabulary v, GarbageLoop garbage, OtherAnswers others) {
        String primary = alternatives(v.primary()) + (v.sequence() ? "+" : "");
        String loop = garbage == null ? "" : garbage.alternative(v);
        String other = others == null ? "" : others.alternative(v);
        if (v.secondary().isEmpty() && loop.isEmpty() && other.isEmpty()) {
            return primary;
        }
        StringBuilder b = new StringBuilder("( /1/ ").append(primary);
        if (!v.secondary().isEmpty()) {
            b.append(" | /").append(SECONDARY_PRIOR).append("/ ").append(alternatives(v.secondary()));
        }
        if (!loop.isEmpty()) {
            b.append(" | ").append(loop);
        }
        if (!other.isEmpty()) {
            b.append(" | ").append(other);
        }
        return b.append(" )").toString();
    }

    private static String alternatives(List<String> phrases) {
        return "( " + String.join(" | ", phrases) + " )";
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> loadDictionaryWords() {
        Set<String> words = new HashSet<>(200_000);
        try (InputStream in = SphinxGrammars.class.getResourceAsStream("/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict")) {
            if (in == null) {
                throw new AsrException("the Sphinx4 en-US model is not on the classpath "
                        + "(net.sf.phat:sphinx4-data must be in the jar)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    continue;
                }
                String w = line.substring(0, sp);
                int paren = w.indexOf('(');
                words.add(paren > 0 ? w.substring(0, paren) : w);
            }
        } catch (IOException e) {
            throw new AsrException("cannot read the Sphinx dictionary: " + e.getMessage(), e);
        }
        return words;
    }

    /** The compiled .gram files are only for this recognizer; deleteOnExit alone misses a JVM that is killed. */
    void delete() {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log.debug("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
