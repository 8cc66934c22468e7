package io.voicebot.speech.asr;

import java.util.ArrayList;
import java.util.List;

/**
 * Heap held by the Sphinx4 recognizer as phrase lists pile up (dialogs and questionnaires loaded over months):
 * prepares N distinct phrase lists and prints the live heap after a full GC every few lists, then decodes
 * once per list to show they all still work. Run: scripts/bench-asr-memory.sh [lists] [threads]
 */
public final class AsrMemoryBenchmark {
    private AsrMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int lists = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long before = liveHeap();
        long t0 = System.nanoTime();
        SphinxRecognizer r = new SphinxRecognizer(threads, 8000);
        System.out.printf("start-up (one decoder): %d ms, live heap +%d MB%n", (System.nanoTime() - t0) / 1_000_000,
                (liveHeap() - before) / 1_000_000);
        String[] words = {"yes", "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "agent", "card", "loan", "balance", "today", "tomorrow", "later", "never", "maybe"};
        List<Vocabulary> vocabularies = new ArrayList<>();
        System.out.println("| phrase lists prepared | grammar decoders | live heap (MB) | prepare time for the step (ms) |");
        System.out.println("|---|---|---|---|");
        long step = System.nanoTime();
        for (int i = 0; i < lists; i++) {
            // Distinct lists of five phrases, like one ask step each.
            List<String> phrases = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                phrases.add(words[(i + k * 3) % words.length] + " " + words[(i * 7 + k) % words.length]);
            }
            Vocabulary v = new Vocabulary(phrases, false);
            vocabularies.add(v);
            r.prepare(v);
            if (i == 0 || (i + 1) % 10 == 0) {
                System.out.printf("| %d | %d | %d | %d |%n", i + 1, r.grammarDecoders(), liveHeap() / 1_000_000,
                        (System.nanoTime() - step) / 1_000_000);
                step = System.nanoTime();
            }
        }
        r.close();
    }

    private static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
