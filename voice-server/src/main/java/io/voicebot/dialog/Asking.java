package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.time.Duration;
import java.util.List;

/**
 * An ask step's question for one {@link DialogRun}: asked with what the recognizer listens for, asked again after
 * a failure (no input, no match) with the step's escalating reprompts, and given up after its {@code max_failures}
 * (to its {@code fallback}, or the end of the call).
 */
final class Asking {
    /** How long the robot waits for the answer after "hang on". */
    static final Duration HOLD_WAIT = Duration.ofSeconds(20);
    /** "Hang on"s at one question that count as no failure; after them each counts, so a call cannot hold forever. */
    static final int FREE_HOLDS = 3;

    private final DialogRun run;
    private final Dialog dialog;
    /** Failures at the current question since it was asked from the start. */
    private int failures;
    private int holds;
    /** The caller said "hang on" and has said nothing since: silence then asks the question again, no failure. */
    private boolean held;

    Asking(DialogRun run, Dialog dialog) {
        this.run = run;
        this.dialog = dialog;
    }

    /** Asks {@code ask}'s question from the start: on entering the step, and again after an FAQ answer. */
    void ask(Step.Ask ask, List<Action> out) {
        failures = 0;
        holds = 0;
        held = false;
        out.add(run.prompt(run.say(ask.id(), ask.prompt(), ask.bargeIn(), false)));
        out.add(listen(ask));
    }

    /** The caller said nothing ({@code noInput}) or nothing the step takes: reprompt, or give up. */
    void failed(Step.Ask ask, boolean noInput, List<Action> out) {
        if (noInput && held) {
            // the caller asked us to wait and the wait ran out: the question itself again, no failure
            held = false;
            run.moveTo(DialogRun.State.LISTENING);
            reprompt(ask, List.of(), out);
            return;
        }
        if (gaveUp(ask, out)) {
            return;
        }
        List<String> reprompts = noInput ? ask.noInput() : ask.noMatch();
        if (reprompts.isEmpty()) {
            out.add(run.say(ask.id(), dialog.messages().get(noInput ? "no_input" : "no_match"), true, false));
        }
        reprompt(ask, reprompts, out);
    }

    /**
     * The caller has no answer yet ("not sure"): the "unsure" message, then the question as after a no-match. It
     * counts as a failure, so that "i don't know" said again and again ends as unanswered questions do.
     */
    void unsure(Step.Ask ask, List<Action> out) {
        if (gaveUp(ask, out)) {
            return;
        }
        out.add(run.say(ask.id(), dialog.messages().get("unsure"), true, false));
        reprompt(ask, ask.noMatch(), out);
    }

    /**
     * "Hang on": the "hold" message, then the same listen (the question's, or a read-back's) with a longer wait. Not
     * a failure the first {@link #FREE_HOLDS} times at a question.
     */
    void hold(Step.Ask ask, List<Action> out) {
        if (++holds > FREE_HOLDS) {
            DialogRun.State was = run.state();
            if (gaveUp(ask, out)) {
                return;
            }
            run.moveTo(was);
        }
        held = true;
        out.add(run.say(ask.id(), dialog.messages().get("hold"), true, false));
        Action.Listen l = run.lastListen();
        // not remembered as the last listen: a "repeat" after the wait listens as the question did
        out.add(l.withNoInputTimeout(l.noInputTimeout().compareTo(HOLD_WAIT) > 0 ? l.noInputTimeout() : HOLD_WAIT));
    }

    /** Counts one more failure, which ends any hold; after the step's last, goes to its fallback or ends the call. */
    private boolean gaveUp(Step.Ask ask, List<Action> out) {
        failures++;
        held = false;
        run.moveTo(DialogRun.State.LISTENING);
        if (failures < ask.maxFailures()) {
            return false;
        }
        if (ask.fallback() != null) {
            run.enterStep(ask.fallback(), out);
        } else {
            run.end(run.gaveUp(), ask.id(), dialog.messages().get("give_up"), out);
        }
        return true;
    }

    /** The question again: the n-th failure gets the n-th of {@code reprompts}, the last repeats; none: the ask. */
    private void reprompt(Step.Ask ask, List<String> reprompts, List<Action> out) {
        String text = reprompts.isEmpty() ? ask.prompt()
                : reprompts.get(Math.min(failures - 1, reprompts.size() - 1));
        out.add(run.prompt(run.say(ask.id(), text, ask.bargeIn(), false)));
        out.add(listen(ask));
    }

    private Action.Listen listen(Step.Ask ask) {
        Grammar g = dialog.grammarOf(ask.id());
        StepPhrases sp = dialog.phrases();
        List<String> phrases = sp.listen(ask.id());
        boolean sequence = sp.sequence(ask.id()) && !ask.secret();
        Action.Listen.EarlyEndHints earlyEnd = new Action.Listen.EarlyEndHints(sp.meanings(phrases, g),
                ask.confirmBelow(), sequence ? sp.minLength(ask.id()) : 0, sequence ? sp.maxLength(ask.id()) : 0);
        return run.listening(new Action.Listen(ask.id(), g == null ? null : g.name(), phrases, sequence, ask.slot(),
                Duration.ofMillis(ask.noInputTimeoutMs()), ask.dtmf(), ask.dtmf() ? ask.maxDigits() : 0,
                sp.globals(ask.id()), earlyEnd));
    }
}
