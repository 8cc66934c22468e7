package io.voicebot.dialog.grammar;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may say at one turn: intents, each with the phrases that express it, and the DTMF keys that
 * stand for an intent ("press 1 or say yes"). {@code repeat} means an utterance is a sequence of phrases
 * (digits: "four one two"), whose intents are joined with no separator. An intent named {@link #UNSURE} is
 * not an answer: the caller has none yet ("not sure", "i don't know"), and a step asks again unless it routes it.
 * {@code alone}: phrases (normalized) that count only as the whole utterance, never found inside longer words:
 * "what" asks for the question again, "what time do you open" does not.
 */
public record Grammar(String name, Map<String, List<String>> intents, Map<Character, String> dtmf, boolean repeat,
                      Set<String> alone) {

    /**
     * The intent of phrases that answer nothing ("not sure", "maybe"). Listened for so that "not sure" is not
     * heard as "sure" (a yes), and asked again with the "unsure" message instead of taken.
     */
    public static final String UNSURE = "unsure";

    public Grammar {
        intents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intents));
        dtmf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dtmf));
        alone = Set.copyOf(alone);
    }

    /** A grammar whose phrases all count inside longer words too. */
    public Grammar(String name, Map<String, List<String>> intents, Map<Character, String> dtmf, boolean repeat) {
        this(name, intents, dtmf, repeat, Set.of());
    }

    /** Every phrase of every intent, lower case, in file order, no duplicates: what a recognizer is biased to. */
    public List<String> phrases() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        intents.values().forEach(ps -> ps.forEach(p -> all.add(normalize(p))));
        return List.copyOf(all);
    }

    /** A grammar of loose phrases where each phrase is its own intent. */
    public static Grammar ofPhrases(String name, List<String> phrases) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String p : phrases) {
            String n = normalize(p);
            if (!n.isEmpty()) {
                m.put(n, List.of(n));
            }
        }
        return new Grammar(name, m, Map.of(), false);
    }

    /**
     * The intent that {@code text} expresses, if any: an exact phrase wins, then the longest phrase found as
     * whole words inside the text (not one of {@link #alone}). With {@code repeat}, every word run must be a phrase.
     */
    public Optional<String> intentOf(String text) {
        String t = normalize(text);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        if (repeat) {
            return sequence(t);
        }
        String best = null;
        int bestLen = -1;
        for (Map.Entry<String, List<String>> e : intents.entrySet()) {
            for (String p : e.getValue()) {
                String np = normalize(p);
                if (np.equals(t)) {
                    return Optional.of(e.getKey());
                }
                if (np.length() > bestLen && !alone.contains(np) && containsWords(t, np)) {
                    best = e.getKey();
                    bestLen = np.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Each phrase (normalized, in file order) with its intent; a phrase listed twice keeps its first intent. */
    public Map<String, String> intentByPhrase() {
        Map<String, String> intentOfPhrase = new LinkedHashMap<>();
        intents.forEach((intent, ps) -> ps.forEach(p -> intentOfPhrase.putIfAbsent(normalize(p), intent)));
        return intentOfPhrase;
    }

    private Optional<String> sequence(String t) {
        Map<String, String> intentOfPhrase = intentByPhrase();
        return sequenceOf(t, intentOfPhrase.keySet())
                .map(phrases -> String.join("", phrases.stream().map(intentOfPhrase::get).toList()));
    }

    /**
     * {@code text} (normalized words) read as a sequence of {@code phrases} (normalized), the longest phrase that
     * starts at each word first: the phrases in order, or empty when some word starts none of them.
     */
    public static Optional<List<String>> sequenceOf(String text, Collection<String> phrases) {
        String t = text.trim();
        if (t.isEmpty()) {
            return Optional.of(List.of());
        }
        String[] words = t.split("\\s+");
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < words.length) {
            String longest = null;
            int matched = 0;
            for (String p : phrases) {
                String[] pw = p.split(" ");
                if (pw.length > matched && startsWith(words, i, pw)) {
                    matched = pw.length;
                    longest = p;
                }
            }
            if (longest == null) {
                return Optional.empty();
            }
            out.add(longest);
            i += matched;
        }
        return Optional.of(out);
    }

    private static boolean startsWith(String[] words, int at, String[] phrase) {
        if (at + phrase.length > words.length) {
            return false;
        }
        for (int k = 0; k < phrase.length; k++) {
            if (!words[at + k].equals(phrase[k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsWords(String text, String phrase) {
        return (" " + text + " ").contains(" " + phrase + " ");
    }

    /** The intent a DTMF key stands for; with {@code repeat} the key itself when it is one of the intents. */
    public Optional<String> intentOfDtmf(char key) {
        String i = dtmf.get(key);
        if (i != null) {
            return Optional.of(i);
        }
        if (repeat && intents.containsKey(String.valueOf(key))) {
            return Optional.of(String.valueOf(key));
        }
        return Optional.empty();
    }

    /** Lower case, letters/digits/apostrophes only, single spaces. */
    public static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        boolean space = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '\'') {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(c);
                space = false;
            } else {
                space = true;
            }
        }
        return sb.toString();
    }

    /** Intents in file order. */
    public List<String> intentNames() {
        return new ArrayList<>(intents.keySet());
    }
}
