package io.voicebot.speech.asr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-digit scoring of a digit sequence: the heard digits aligned to the said ones by edit distance, and the
 * digits of that alignment that match. A sequence is right only if every digit is, which hides whether a decoder
 * is one digit off or lost; this counts the digits.
 */
final class DigitScore {
    private static final Map<String, String> DIGITS = Map.ofEntries(Map.entry("zero", "0"), Map.entry("oh", "0"),
            Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"),
            Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"),
            Map.entry("nine", "9"));

    private DigitScore() {}

    /** The words of {@code text} as digits ("one oh two" → 1,0,2); a word that is no digit stays as it is. */
    static List<String> digits(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(DIGITS.getOrDefault(w, w));
            }
        }
        return out;
    }

    /** Whether every word of {@code text} is a digit word. */
    static boolean isDigits(String text) {
        List<String> words = List.of(text.trim().split("\\s+"));
        return !text.isBlank() && words.stream().allMatch(DIGITS::containsKey);
    }

    /**
     * The said digits that the heard ones get right in a minimal edit-distance alignment (hits = said - substituted
     * - deleted); among alignments of equal distance, the one with the most hits.
     */
    static int hits(String said, String heard) {
        List<String> s = digits(said);
        List<String> h = digits(heard);
        // cost[i][j]: edits for s[0..i) vs h[0..j); hit[i][j]: most matches at that cost
        int[][] cost = new int[s.size() + 1][h.size() + 1];
        int[][] hit = new int[s.size() + 1][h.size() + 1];
        for (int i = 0; i <= s.size(); i++) {
            for (int j = 0; j <= h.size(); j++) {
                if (i == 0 || j == 0) {
                    cost[i][j] = i + j;
                    continue;
                }
                boolean same = s.get(i - 1).equals(h.get(j - 1));
                int c = cost[i - 1][j - 1] + (same ? 0 : 1);
                int m = hit[i - 1][j - 1] + (same ? 1 : 0);
                for (int[] prev : new int[][] {{i - 1, j}, {i, j - 1}}) {
                    int pc = cost[prev[0]][prev[1]] + 1;
                    int pm = hit[prev[0]][prev[1]];
                    if (pc < c || pc == c && pm > m) {
                        c = pc;
                        m = pm;
                    }
                }
                cost[i][j] = c;
                hit[i][j] = m;
            }
        }
        return hit[s.size()][h.size()];
    }
}
