package io.voicebot.dialog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Throughput and memory of the dialog engine (run by scripts/bench-dialog.sh, not by the test suite):
 * loading the shipped dialogs, whole survey calls, hotline FAQ turns, and heap per live DialogRun.
 */
public final class DialogBenchmark {
    private static volatile Object sink;

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        report("load and check the 3 shipped dialog scripts", seconds, () -> {
            sink = Fixtures.loader().loadDir(Fixtures.home().resolve("config/dialogs"));
            return 1;
        });
        Dialog survey = Fixtures.builtIn("satisfaction_survey");
        List<Input> answers = List.of(Fixtures.say("yes"), Fixtures.say("no it was not"),
                Fixtures.say("four", 0.3), Fixtures.say("yes"), Fixtures.say("yeah sure"));
        report("satisfaction_survey call (5 inputs, 1 confirmation)", seconds, () -> {
            DialogRun r = Fixtures.run(survey);
            r.start(Map.of("name", "Ann Lee"));
            for (Input in : answers) {
                sink = r.onInput(in);
            }
            if (r.outcome() != Outcome.COMPLETED) {
                throw new IllegalStateException("survey did not complete: " + r.outcome());
            }
            return 1;
        });
        Dialog hotline = Fixtures.builtIn("hotline");
        DialogRun[] h = {null};
        report("hotline FAQ turn (match 8 entries + menu + globals)", seconds, () -> {
            if (h[0] == null || h[0].state() != DialogRun.State.LISTENING
                    || !"main".equals(h[0].currentStep())) {
                h[0] = Fixtures.run(hotline);
                h[0].start(Map.of());
            }
            sink = h[0].onInput(Fixtures.say("what time do you open on saturday"));
            h[0] = null;
            return 1;
        });
        memory(survey);
    }

    private interface Op {
        int run();
    }

    private static void report(String name, int seconds, Op op) {
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) {
            op.run();
        }
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            n += op.run();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-55s %12.0f ops/s %10.1f us/op%n", name, n / secs, secs * 1e6 / n);
    }

    private static void memory(Dialog survey) {
        int count = 10_000;
        Runtime rt = Runtime.getRuntime();
        gc();
        long before = rt.totalMemory() - rt.freeMemory();
        List<DialogRun> live = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DialogRun r = Fixtures.run(survey);
            r.start(Map.of("name", "Ann Lee"));
            r.onInput(Fixtures.say("yes"));
            r.onInput(Fixtures.say("yes"));
            live.add(r);
        }
        gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("%-55s %12d bytes%n", "heap per live survey run (after 2 answers)", (after - before) / count);
        sink = live;
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }
}
