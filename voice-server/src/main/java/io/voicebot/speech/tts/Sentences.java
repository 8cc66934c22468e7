package io.voicebot.speech.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A prompt's sentences, each rendered and cached on its own. MaryTTS synthesizes text sentence by sentence and ends
 * each one with its pause, so the sentences' audio joined end to end is the prompt as a whole would sound; but a
 * sentence without the caller's name or amount ("Hello, this is an automated survey from Example Bank ...") is then
 * rendered once for every call instead of once per call.
 * <p>
 * A sentence ends at '.', '?' or '!' followed by a space and a capital letter or digit, unless the word before is a
 * title ("Mr.", "Dr.") or a single letter (an initial: "Philippa J. Quennell"). Splitting a sentence too little
 * only costs a synthesis; splitting it where a speaker would not pause would be heard, hence the caution.
 */
public final class Sentences {
    private static final Set<String> TITLES = Set.of("mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs",
            "etc", "inc", "ltd", "co", "corp", "mt", "ave", "approx", "dept", "est", "fig", "jan", "feb", "mar", "apr",
            "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");

    private Sentences() {}

    /** The sentences of {@code text} (whitespace already normalized), in order; one element when it has one. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 2 < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '.' || c == '?' || c == '!') && text.charAt(i + 1) == ' ' && startsSentence(text.charAt(i + 2))
                    && (c != '.' || !abbreviation(text, start, i))) {
                out.add(text.substring(start, i + 1));
                start = i + 2;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    /** The sentences' audio end to end (each already ends with the synthesizer's pause). */
    public static short[] join(List<short[]> parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static boolean startsSentence(char c) {
        return Character.isUpperCase(c) || Character.isDigit(c);
    }

    /** Whether the word ending at {@code dot} is a title or an initial, whose dot does not end the sentence. */
    private static boolean abbreviation(String text, int from, int dot) {
        int w = dot;
        while (w > from && Character.isLetter(text.charAt(w - 1))) {
            w--;
        }
        String word = text.substring(w, dot);
        return word.length() == 1 || TITLES.contains(word.toLowerCase(java.util.Locale.ROOT));
    }
}
