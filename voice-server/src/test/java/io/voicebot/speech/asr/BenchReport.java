package io.voicebot.speech.asr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/** The understanding benchmark's Markdown tables and raw CSV (under voice-server/target/). */
final class BenchReport {
    /** Results that ask the same question again and record nothing: "not sure", a repeat, a wait ("hang on"). */
    static final Set<String> ASKED_AGAIN = Set.of("unsure", "repeat", "hold");

    private static final double[] THRESHOLDS = {0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};

    private BenchReport() {}

    static void write(Path target, UnderstandingBenchmark.Options o, List<UnderstandingBenchmark.Row> rows,
                      Collection<String> voices, double seconds) throws IOException {
        Files.createDirectories(target);
        String suffix = (o.flat() ? "-flat" : "") + (o.garbagePrior() > 0 ? "-garbage" + o.garbagePrior() : "")
                + (o.rate() != 8000 ? "-" + o.rate() / 1000 + "khz" : "");
        StringBuilder csv = new StringBuilder("task,step,voice,condition,kind,spoken,heard,confidence,right,result,"
                + "destructive_global,acted_at_once,destructive_outcome,decode_ms\n");
        for (var r : rows) {
            csv.append(String.join(",", r.task(), r.step(), r.voice(), r.condition(), r.kind(), q(r.spoken()),
                    q(r.heard()), String.format(Locale.ROOT, "%.3f", r.confidence()), String.valueOf(r.right()),
                    r.result(), String.valueOf(r.destructiveGlobal()), String.valueOf(r.actedAtOnce()),
                    String.valueOf(r.destructiveOutcome()), String.valueOf(r.decodeMs()))).append('\n');
        }
        Files.writeString(target.resolve("bench-understanding" + suffix + ".csv"), csv);
        // answers in other words are reported apart: they are neither the step's phrases nor unrelated speech
        List<UnderstandingBenchmark.Row> wordy = rows.stream().filter(r -> r.kind().equals("wordy")).toList();
        StringBuilder md = new StringBuilder(markdown(o, rows.stream().filter(r -> !r.kind().equals("wordy"))
                .toList(), voices, seconds));
        if (!wordy.isEmpty()) {
            handlingRows(md, wordy, o.conditions(), "Answers in other words (--wordy: \"i'd say four\"; % of n)");
        }
        Files.writeString(target.resolve("bench-understanding" + suffix + ".md"), md);
        System.out.println(md);
        System.out.println("written: " + target.resolve("bench-understanding" + suffix + ".md") + " and .csv");
    }

    /** The voices, with the human recordings' speakers and takes summed up ("fsdd: 6 speakers x 10 takes"). */
    static String voiceList(Collection<String> voices) {
        List<String> out = new ArrayList<>();
        java.util.Map<String, Integer> takes = new java.util.TreeMap<>();
        for (String v : voices) {
            if (v.startsWith(HumanDigits.PREFIX)) {
                takes.merge(v.substring(HumanDigits.PREFIX.length(), v.lastIndexOf('-')), 1, Integer::sum);
            } else {
                out.add(v);
            }
        }
        if (!takes.isEmpty()) {
            out.add(String.format(Locale.ROOT, "fsdd (human) %s: %d takes each", String.join("/", takes.keySet()),
                    takes.values().stream().mapToInt(Integer::intValue).max().orElse(0)));
        }
        return String.join(", ", out);
    }

    static String markdown(UnderstandingBenchmark.Options o, List<UnderstandingBenchmark.Row> rows,
                           Collection<String> voices, double seconds) {
        StringBuilder b = new StringBuilder();
        List<String> conds = new ArrayList<>(o.conditions());
        b.append(String.format(Locale.ROOT, "grammar: %s; reject below %.2f; margin %s; unexplained %s; other answers prior %s; garbage loop prior %s; "
                + "out-of-grammar set: %s; "
                + "voices: %s; %d "
                + "utterances decoded in %.0f s (%.0f ms median decode; in-grammar %.0f ms, out-of-grammar %.0f ms)"
                + "%n%n", o.flat() ? "flat list (before)" : "step first (after)", o.rejectBelow(),
                o.marginNats() > 0 ? String.format(Locale.ROOT, "%.0f nats", o.marginNats()) : "off",
                o.unexplainedMs() > 0 ? o.unexplainedMs() + " ms" : "off",
                o.otherPrior() > 0 && !o.otherAnswers().isEmpty() ? GarbageLoop.jsgfWeight(o.otherPrior()) + " ("
                        + String.join(" ", o.otherAnswers()) + ")" : "off",
                o.garbagePrior() > 0 ? GarbageLoop.jsgfWeight(o.garbagePrior()) + " over " + o.garbageWords()
                        + " words" : "off", o.human() != null ? "the digits" : o.shortOog() ? "short replies"
                        : "sentences", voiceList(voices),
                rows.size(), seconds, median(rows), median(rows.stream().filter(r -> !r.kind().equals("oog")).toList()),
                median(rows.stream().filter(r -> r.kind().equals("oog")).toList())));
        b.append("### Intent accuracy, in-grammar answers (% right; n per cell)\n\n| task |");
        conds.forEach(c -> b.append(' ').append(c).append(" |"));
        b.append("\n|---|").append("---|".repeat(conds.size())).append('\n');
        LinkedHashSet<String> tasks = new LinkedHashSet<>();
        rows.forEach(r -> tasks.add(r.task()));
        // the totals and the confidence table: the step's answers and the globals, as before the "unsure" phrases
        Predicate<UnderstandingBenchmark.Row> inGrammar = r -> r.kind().equals("in") || r.kind().equals("global");
        for (String t : tasks) {
            accuracyRow(b, t, rows, conds, r -> !r.kind().equals("oog") && r.task().equals(t));
        }
        accuracyRow(b, "**all answers (no globals)**", rows, conds, r -> r.kind().equals("in"));
        accuracyRow(b, "**all, with globals**", rows, conds, inGrammar);

        digitRows(b, rows, conds);
        handlingRows(b, rows.stream().filter(inGrammar).toList(), conds);
        List<UnderstandingBenchmark.Row> unsure = rows.stream().filter(r -> r.kind().equals("unsure")).toList();
        if (!unsure.isEmpty()) {
            handlingRows(b, unsure, conds, "\"Not sure\" at the identity, rating, one-digit and date questions (the"
                    + " yes/no grammar's and the unsure global's phrases; right: asked again with the unsure message;"
                    + " % of n)");
        }
        List<UnderstandingBenchmark.Row> hold = rows.stream().filter(r -> r.kind().equals("hold")).toList();
        if (!hold.isEmpty()) {
            handlingRows(b, hold, conds, "\"Hang on\" at the identity, rating and one-digit questions (right: the"
                    + " robot says it will wait; % of n)");
        }

        b.append("\n### Out-of-grammar speech at steps (").append(rows.stream().filter(r -> r.kind().equals("oog"))
                        .map(UnderstandingBenchmark.Row::spoken).distinct().count())
                .append(" distinct utterances per voice)\n\n")
                .append("| condition | n | false acceptance (any answer, read-back or question) | accepted at once |"
                        + " read back | \"just to be sure\" | no-match | asked again as unsure | question repeated |"
                        + " waited (hold) |"
                        + " destructive global recognized | destructive acted without confirmation |"
                        + " call ended/transferred at once |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        LinkedHashSet<String> oogConds = new LinkedHashSet<>();
        rows.stream().filter(r -> r.kind().equals("oog")).forEach(r -> oogConds.add(r.condition()));
        List<String> oogRows = new ArrayList<>(oogConds);
        oogRows.add("all");
        for (String c : oogRows) {
            List<UnderstandingBenchmark.Row> x = rows.stream().filter(r -> r.kind().equals("oog")
                    && (c.equals("all") || r.condition().equals(c))).toList();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %d |%n", c,
                    x.size(), pct(x, BenchReport::taken), pct(x, r -> r.result().equals("accepted")),
                    pct(x, r -> r.result().equals("read-back")), pct(x, r -> r.result().equals("confirm-global")),
                    pct(x, r -> r.result().equals("no-match")), pct(x, r -> r.result().equals("unsure")),
                    pct(x, r -> r.result().equals("repeat")), pct(x, r -> r.result().equals("hold")),
                    count(x, r -> r.destructiveGlobal()),
                    count(x, r -> r.actedAtOnce()), count(x, r -> r.destructiveOutcome())));
        }
        b.append("\nFalse acceptance per step (all OOG conditions):\n\n| step | n | false acceptance | accepted at once |"
                + " destructive recognized | acted without confirmation |\n|---|---|---|---|---|---|\n");
        LinkedHashSet<String> steps = new LinkedHashSet<>();
        rows.stream().filter(r -> r.kind().equals("oog")).forEach(r -> steps.add(r.step()));
        for (String s : steps) {
            List<UnderstandingBenchmark.Row> x = rows.stream().filter(r -> r.kind().equals("oog")
                    && r.step().equals(s)).toList();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %d | %d |%n", s, x.size(),
                    pct(x, BenchReport::taken), pct(x, r -> r.result().equals("accepted")),
                    count(x, r -> r.destructiveGlobal()), count(x, r -> r.actedAtOnce())));
        }

        b.append("\n### Confidence separation (in-grammar answers and globals with a non-empty result, all "
                + "conditions; OOG with a non-empty result)\n\n| read back below | in-grammar read back |"
                + " accuracy of accepted | wrong answers accepted | OOG accepted |\n|---|---|---|---|---|\n");
        List<UnderstandingBenchmark.Row> heard = rows.stream().filter(r -> inGrammar.test(r)
                && !r.heard().isBlank()).toList();
        List<UnderstandingBenchmark.Row> wrong = heard.stream().filter(r -> !r.right()).toList();
        List<UnderstandingBenchmark.Row> oog = rows.stream().filter(r -> r.kind().equals("oog")
                && !r.heard().isBlank()).toList();
        for (double t : THRESHOLDS) {
            List<UnderstandingBenchmark.Row> acc = heard.stream().filter(r -> r.confidence() >= t).toList();
            b.append(String.format(Locale.ROOT, "| %.2f | %s | %s | %s | %s |%n", t,
                    pct(heard, r -> r.confidence() < t), pct(acc, r -> r.right()),
                    pct(wrong, r -> r.confidence() >= t), pct(oog, r -> r.confidence() >= t)));
        }
        b.append(String.format(Locale.ROOT, "%nMedian confidence: right %.2f, wrong %.2f, out-of-grammar %.2f "
                        + "(in-grammar rejected by the recognizer: %s)%n",
                medianConf(heard.stream().filter(r -> r.right()).toList()), medianConf(wrong), medianConf(oog),
                pct(rows.stream().filter(inGrammar).toList(), r -> r.heard().isBlank())));
        return b.toString();
    }

    /**
     * What the run did with the in-grammar answers (globals included): a wrong answer accepted at once is the error
     * a caller never gets to correct; a read-back or question costs a turn.
     */
    private static void handlingRows(StringBuilder b, List<UnderstandingBenchmark.Row> rows, List<String> conds) {
        handlingRows(b, rows, conds, "What the run did with the answers (in-grammar and globals; % of n)");
    }

    private static void handlingRows(StringBuilder b, List<UnderstandingBenchmark.Row> rows, List<String> conds,
                                     String title) {
        b.append("\n### ").append(title).append("\n\n| condition | n |"
                + " right, at once | right, read back or asked | wrong, at once | wrong, read back or asked |"
                + " no-match |\n|---|---|---|---|---|---|---|\n");
        List<String> cs = new ArrayList<>(conds);
        cs.add("all");
        for (String c : cs) {
            List<UnderstandingBenchmark.Row> x = rows.stream().filter(r -> !r.kind().equals("oog")
                    && (c.equals("all") || r.condition().equals(c))).toList();
            // "not sure" asked again, "what" repeated, "hang on" waited for: the right thing done at once; else
            // asked again is a no-match
            Predicate<UnderstandingBenchmark.Row> atOnce = r -> r.result().equals("accepted")
                    || ASKED_AGAIN.contains(r.result()) && r.right();
            Predicate<UnderstandingBenchmark.Row> asked = r -> r.result().equals("read-back")
                    || r.result().equals("confirm-global");
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", c, x.size(),
                    pct(x, r -> r.right() && atOnce.test(r)), pct(x, r -> r.right() && asked.test(r)),
                    pct(x, r -> !r.right() && atOnce.test(r)), pct(x, r -> !r.right() && asked.test(r)),
                    pct(x, r -> !atOnce.test(r) && !asked.test(r))));
        }
    }

    /**
     * Digit tasks (every label a digit sequence): aligned digits right / digits said, next to the whole sequences
     * right (a sequence counts only when every digit does).
     */
    private static void digitRows(StringBuilder b, List<UnderstandingBenchmark.Row> rows, List<String> conds) {
        LinkedHashSet<String> tasks = new LinkedHashSet<>();
        rows.stream().filter(r -> r.kind().equals("in") && DigitScore.isDigits(r.spoken()))
                .forEach(r -> tasks.add(r.task()));
        tasks.removeIf(t -> rows.stream().anyMatch(r -> r.task().equals(t) && r.kind().equals("in")
                && !DigitScore.isDigits(r.spoken())));
        if (tasks.isEmpty()) {
            return;
        }
        b.append("\n### Digits: per digit (aligned digits right / digits said) and whole sequences right\n\n| task |");
        conds.forEach(c -> b.append(' ').append(c).append(" per digit | ").append(c).append(" sequences |"));
        b.append("\n|---|").append("---|---|".repeat(conds.size())).append('\n');
        for (String t : tasks) {
            b.append("| ").append(t).append(" |");
            for (String c : conds) {
                List<UnderstandingBenchmark.Row> x = rows.stream().filter(r -> r.task().equals(t)
                        && r.kind().equals("in") && r.condition().equals(c)).toList();
                int said = x.stream().mapToInt(r -> DigitScore.digits(r.spoken()).size()).sum();
                int right = x.stream().mapToInt(r -> DigitScore.hits(r.spoken(), r.heard())).sum();
                b.append(said == 0 ? " – |" : String.format(Locale.ROOT, " %.1f%% (%d/%d) |", 100.0 * right / said,
                        right, said));
                b.append(' ').append(x.isEmpty() ? "–" : pct(x, r -> r.right()) + " (" + x.size() + ")").append(" |");
            }
            b.append('\n');
        }
    }

    private static void accuracyRow(StringBuilder b, String name, List<UnderstandingBenchmark.Row> rows,
                                    List<String> conds, Predicate<UnderstandingBenchmark.Row> p) {
        b.append("| ").append(name).append(" |");
        for (String c : conds) {
            List<UnderstandingBenchmark.Row> x = rows.stream().filter(r -> p.test(r) && r.condition().equals(c))
                    .toList();
            b.append(' ').append(x.isEmpty() ? "–" : pct(x, r -> r.right()) + " (" + x.size() + ")").append(" |");
        }
        b.append('\n');
    }

    /**
     * Taken as something: an answer, a read-back or a "just to be sure" question, an action. Not when asked again:
     * a no-match, "not sure", the question repeated, or a wait for the answer ("hang on"): the same question,
     * nothing recorded or done.
     */
    static boolean taken(UnderstandingBenchmark.Row r) {
        return !r.result().equals("no-match") && !ASKED_AGAIN.contains(r.result());
    }

    private static String pct(List<UnderstandingBenchmark.Row> x, Predicate<UnderstandingBenchmark.Row> p) {
        return x.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * count(x, p) / x.size());
    }

    private static long count(List<UnderstandingBenchmark.Row> x, Predicate<UnderstandingBenchmark.Row> p) {
        return x.stream().filter(p).count();
    }

    private static double median(List<UnderstandingBenchmark.Row> rows) {
        List<Long> ms = rows.stream().map(UnderstandingBenchmark.Row::decodeMs).sorted().toList();
        return ms.isEmpty() ? 0 : ms.get(ms.size() / 2);
    }

    private static double medianConf(List<UnderstandingBenchmark.Row> rows) {
        List<Double> c = rows.stream().map(UnderstandingBenchmark.Row::confidence).sorted().toList();
        return c.isEmpty() ? 0 : c.get(c.size() / 2);
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
