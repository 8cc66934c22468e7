package io.voicebot.speech.asr;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.grammar.Grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark utterance through the call's path: a run at the task's step, its listen as a vocabulary (as
 * CallSession builds it), the recognizer, and the run's reaction to what was heard.
 */
final class Probe {
    private Probe() {}

    static List<Action> pastDisclosure(DialogRun run, List<Action> a) {
        for (Action x : a) {
            if (x instanceof Action.Say s && s.nonInterruptible()) {
                return pastDisclosure(run, run.onInput(new Input.PlaybackFinished(s.stepId(), true)));
            }
        }
        return a;
    }

    static Action.Listen listen(List<Action> a) {
        Action.Listen l = null;
        for (Action x : a) {
            if (x instanceof Action.Listen y) {
                l = y;
            }
        }
        return l;
    }

    /** Fails when a label is not a phrase the step listens for: the labelled set must be in-grammar. */
    static void check(Dialog d, UnderstandingBenchmark.Task t) {
        DialogRun run = UnderstandingBenchmark.runAt(d, t);
        Action.Listen l = listenOf(d, t);
        List<String> labels = new java.util.ArrayList<>(t.spoken());
        labels.addAll(BenchUtterances.WORDY.getOrDefault(t.name(), java.util.Map.of()).values());
        for (String s : labels) {
            String n = Grammar.normalize(s);
            boolean in = l.phrases().contains(n) || l.repeat() && List.of(n.split(" ")).stream()
                    .allMatch(l.phrases()::contains);
            if (!in) {
                throw new IllegalStateException(t.name() + ": '" + s + "' is not a phrase of step " + t.step()
                        + " (" + l.phrases() + ")");
            }
        }
        run.state();
    }

    /**
     * The recognizer's vocabulary at a task's step, as Listening.listen() builds it (its meanings only steer early
     * endpointing, not the recognizer); {@code flat}: the step's and the global phrases as one list.
     */
    static Vocabulary vocabulary(Dialog d, UnderstandingBenchmark.Task t, boolean flat) {
        Action.Listen l = listenOf(d, t);
        return (flat ? new Vocabulary(l.phrases(), l.repeat()) : new Vocabulary(l.phrases(), l.repeat(),
                l.secondary())).withLength(l.earlyEnd().minLength(), l.earlyEnd().maxLength());
    }

    static Action.Listen listenOf(Dialog d, UnderstandingBenchmark.Task t) {
        DialogRun run = d.newRun(UnderstandingBenchmark.CLOCK, UnderstandingBenchmark.ZONE);
        List<Action> a = pastDisclosure(run, run.start(java.util.Map.of("name", "John Smith", "amount", "120.50",
                "due_date", "2026-02-20")));
        for (Input in : t.path()) {
            a = pastDisclosure(run, run.onInput(in));
        }
        return listen(a);
    }

    /**
     * {@code spoken} by the benchmark's espeak-ng US voice (espeak-us) under {@code condition}, answered at the
     * step of the task named {@code taskName}: the tests' way to put one labelled answer through the call's path.
     */
    static UnderstandingBenchmark.Row say(Recognizer rec, java.util.Map<String, Dialog> dialogs, BenchAudio audio,
                                          String taskName, String spoken, String condition) throws Exception {
        UnderstandingBenchmark.Task t = UnderstandingBenchmark.task(taskName);
        short[] line = audio.apply(audio.espeak("en-us", 150, 50).speak(spoken), condition, 1);
        return run(rec, dialogs.get(t.dialog()), t, "espeak-us", condition, spoken, "in", line, false);
    }

    static UnderstandingBenchmark.Row run(Recognizer rec, Dialog d, UnderstandingBenchmark.Task t, String voice,
                                          String condition, String spoken, String kind, short[] pcm, boolean flat)
            throws Exception {
        return run(rec, d, t, voice, condition, spoken, kind, pcm, flat, 8000);
    }

    static UnderstandingBenchmark.Row run(Recognizer rec, Dialog d, UnderstandingBenchmark.Task t, String voice,
                                          String condition, String spoken, String kind, short[] pcm, boolean flat,
                                          int rate) throws Exception {
        Vocabulary v = vocabulary(d, t, flat);
        long t0 = System.nanoTime();
        RecognitionResult r = recognize(rec, v, pcm, rate);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        double conf = Math.max(0, Math.min(1, r.confidence()));
        // What it means: the run's reaction to the heard text vs to the true text, both at 0.9 (no read-back,
        // every destructive global asked), so that only the meaning is compared.
        boolean right = !kind.equals("oog") && !r.text().isBlank()
                && meaning(d, t, r.text(), 0.9).equals(meaning(d, t, BenchUtterances.meant(t, kind, spoken), 0.9));
        DialogRun run = UnderstandingBenchmark.runAt(d, t);
        List<Action> a = run.onInput(new Input.Speech(r.text(), conf));
        String result = result(d, t, run, a, r.text());
        boolean global = a.stream().anyMatch(x -> x instanceof Action.Decision)
                || run.state() == DialogRun.State.CONFIRMING_GLOBAL;
        boolean acted = UnderstandingBenchmark.destructive(run.outcome());
        if (flat && global) {
            acted = true; // before the confirmation, every destructive global acted at once
        }
        return new UnderstandingBenchmark.Row(t.name(), t.dialog() + "." + t.step(), voice, condition, kind, spoken,
                r.text(), conf, right, result, global, acted && global, UnderstandingBenchmark.destructive(run.outcome()), ms);
    }

    /**
     * no-match | unsure (asked again with the "unsure" message) | repeat (the question said again, as for "repeat")
     * | hold (the robot waits, as for "hang on") | read-back | confirm-global | accepted (an answer, an intent or an
     * action).
     */
    private static String result(Dialog d, UnderstandingBenchmark.Task t, DialogRun run, List<Action> a,
                                 String heard) {
        if (run.state() == DialogRun.State.CONFIRMING_GLOBAL) {
            return "confirm-global";
        }
        if (run.state() == DialogRun.State.CONFIRMING) {
            return "read-back";
        }
        for (String message : List.of("unsure", "hold")) { // asked again / waited for, with its message
            if (run.outcome() == null && a.stream().anyMatch(x -> x instanceof Action.Say s
                    && s.template().equals(d.messages().get(message)))) {
                return message;
            }
        }
        if (run.outcome() == null && !heard.isBlank() && listenOf(d, t).phrases().contains("repeat")
                && meaning(d, t, heard, 0.9).equals(meaning(d, t, "repeat", 0.9))) {
            return "repeat";
        }
        List<String> noMatch = UnderstandingBenchmark.noMatch(d, t.step());
        boolean reprompt = a.stream().anyMatch(x -> x instanceof Action.Say s && noMatch.contains(s.template()))
                && run.outcome() == null;
        if (reprompt) {
            return "no-match";
        }
        return "accepted";
    }

    /**
     * What the run does with {@code text}: answers, callbacks, questions, where it listens next, how it ends. A
     * read-back is followed by the caller's "yes", so that a wrong answer read back ("sunday" heard as "monday":
     * the same question, another date) counts as the wrong answer it would record.
     */
    static String meaning(Dialog d, UnderstandingBenchmark.Task t, String text, double conf) {
        DialogRun run = UnderstandingBenchmark.runAt(d, t);
        List<Action> a = run.onInput(new Input.Speech(text, conf));
        StringBuilder b = new StringBuilder();
        describe(a, b);
        if (run.state() == DialogRun.State.CONFIRMING) {
            b.append(" confirmed: ");
            describe(run.onInput(new Input.Speech("yes", 0.99)), b);
        }
        return b + " state " + run.state() + " outcome " + run.outcome() + " answers " + run.answers();
    }

    private static void describe(List<Action> a, StringBuilder b) {
        for (Action x : a) {
            if (x instanceof Action.RecordAnswer r) {
                b.append("answer ").append(r.key()).append('=').append(r.value()).append(';');
            } else if (x instanceof Action.ScheduleCallback c) {
                b.append("callback ").append(c.at()).append(';');
            } else if (x instanceof Action.Say s) {
                b.append("say ").append(s.template()).append(';');
            } else if (x instanceof Action.Listen l) {
                b.append("listen ").append(l.stepId()).append('/').append(l.grammar()).append(';');
            } else if (x instanceof Action.Transfer tr) {
                b.append("transfer ").append(tr.queue()).append(';');
            }
        }
    }

    static RecognitionResult recognize(Recognizer r, Vocabulary v, short[] pcm) throws Exception {
        return recognize(r, v, pcm, 8000);
    }

    static RecognitionResult recognize(Recognizer r, Vocabulary v, short[] pcm, int rate) throws Exception {
        CompletableFuture<RecognitionResult> f = new CompletableFuture<>();
        RecognitionStream s = r.open(rate, v, new RecognitionListener() {
            @Override
            public void onPartial(RecognitionResult p) {}

            @Override
            public void onFinal(RecognitionResult result) {
                f.complete(result);
            }

            @Override
            public void onError(Exception error) {
                f.completeExceptionally(error);
            }
        });
        for (short[] frame : TestAudio.frames(pcm, rate)) {
            s.accept(frame, 0, frame.length);
        }
        s.finish();
        return f.get(120, TimeUnit.SECONDS);
    }
}
