package io.voicebot.speech.asr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The out-of-grammar branch of a step's JSGF grammar: a loop over a few hundred frequent English words
 * ({@code garbage-words.txt}) that competes with the step's phrases and the global intents. Speech the step does not
 * expect fits a string of ordinary words better than any phrase; a result whose best path went through the loop is
 * rejected (a no-match). The step's own words and the globals' words are left out of the loop, so a word of the
 * result that is in the loop can only have come through it. A prior of 0 turns the branch off
 * (speech.sphinx.garbage.prior, docs/understanding.md).
 */
final class GarbageLoop {
    private static final String RESOURCE = "/io/voicebot/speech/asr/garbage-words.txt";
    /** The turn log's reason for a result through the loop. */
    static final String REASON = "words outside the step's phrases";

    private final double prior;
    private final List<String> words;

    /**
     * The loop over the first {@code maxWords} words of the bundled list (most frequent first) that
     * {@code dictionary} can pronounce. Decoding time grows fast with the loop's size (every word can follow every
     * word): 40 words cost about 10x a plain step grammar, 373 words about 80x (BENCHMARKS.md).
     */
    GarbageLoop(double prior, int maxWords, Set<String> dictionary) {
        if (!(prior >= 0 && prior <= 1)) {
            throw new AsrException("speech.sphinx.garbage.prior must be within 0..1, got " + prior);
        }
        if (maxWords < 1) {
            throw new AsrException("speech.sphinx.garbage.words must be at least 1, got " + maxWords);
        }
        this.prior = prior;
        List<String> known = new ArrayList<>();
        for (String w : load()) {
            if (dictionary.contains(w) && known.size() < maxWords) {
                known.add(w);
            }
        }
        this.words = List.copyOf(known);
    }

    boolean enabled() {
        return prior > 0 && !words.isEmpty();
    }

    double prior() {
        return prior;
    }

    /** The loop's words at a step: the list without any word of {@code v}'s phrases (primary or secondary). */
    List<String> wordsFor(Vocabulary v) {
        Set<String> own = new HashSet<>(v.words());
        return words.stream().filter(w -> !own.contains(w)).toList();
    }

    /** The JSGF alternative for {@code v}: {@code /prior/ ( w1 | w2 | ... )+}, or empty when off. */
    String alternative(Vocabulary v) {
        if (!enabled()) {
            return "";
        }
        return "/" + jsgfWeight(prior) + "/ ( " + String.join(" | ", wordsFor(v)) + " )+";
    }

    /** JSGF weights are plain decimals (Sphinx4's parser does not read 1e-3). */
    static String jsgfWeight(double w) {
        return new BigDecimal(Double.toString(w)).stripTrailingZeros().toPlainString();
    }

    /**
     * Whether a result's words went through the loop at a step listening for {@code v}: any word that is in the
     * loop (so not one of the step's or the globals' words).
     */
    boolean heard(Vocabulary v, List<String> resultWords) {
        if (!enabled()) {
            return false;
        }
        Set<String> loop = new HashSet<>(wordsFor(v));
        return resultWords.stream().anyMatch(loop::contains);
    }

    private static List<String> load() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        try (InputStream in = GarbageLoop.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new AsrException("the garbage word list " + RESOURCE + " is not on the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.trim();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    out.add(w);
                }
            }
        } catch (IOException e) {
            throw new AsrException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }
}
