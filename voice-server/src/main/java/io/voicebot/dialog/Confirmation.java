package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The caller's yes or no before the robot acts on doubt: "I heard X, is that right?" for an answer heard with low
 * confidence or one that leads to something that cannot be undone ({@link DestructiveAnswer}), and "Just to be sure:
 * ...?" after a destructive global intent. Yes acts; no goes back to the question; anything else ("not sure" too)
 * asks again (a global intent twice at most) and then goes back: the robot never acts on a doubtful confirmation,
 * and every decision is stored with its reason. Part of one {@link DialogRun}.
 */
final class Confirmation {
    /** Answers to "Just to be sure" that are neither yes nor no before giving up on the intent. */
    static final int TRIES = 2;

    /** An answer waiting for the caller's yes; {@code risky}: the destructive end it leads to, if any. */
    private record Pending(String value, double confidence, String heard, Optional<GlobalIntent> risky) {}

    /** A destructive global intent waiting for the caller's yes; what to go back to on a no. */
    private record PendingGlobal(GlobalIntent intent, String text, String at, DialogRun.State resume,
                                 Action.Say prompt, Action.Listen listen) {}

    private final DialogRun run;
    private final Dialog dialog;
    private Pending pending;
    private PendingGlobal pendingGlobal;
    private int globalTries;

    Confirmation(DialogRun run, Dialog dialog) {
        this.run = run;
        this.dialog = dialog;
    }

    /** A new ask step: no answer waits for a yes. */
    void reset() {
        pending = null;
    }

    // ---- an answer ---------------------------------------------------------------------------------------

    /** Reads back {@code heard} and asks whether it is right. */
    void askAnswer(Step.Ask ask, String value, double confidence, String heard, Optional<GlobalIntent> risky,
                   List<Action> out) {
        pending = new Pending(value, confidence, heard, risky);
        run.putVar("heard", heard);
        run.moveTo(DialogRun.State.CONFIRMING);
        out.add(run.prompt(run.say(ask.id(), ask.confirmPrompt() != null ? ask.confirmPrompt()
                : dialog.messages().get("confirm"), true, false)));
        List<String> phrases = dialog.phrases().confirm(ask.id());
        out.add(run.listening(new Action.Listen(ask.id(), dialog.yesNo().name(), phrases, false, SlotType.YES_NO,
                Duration.ofMillis(ask.noInputTimeoutMs()), true, 1, dialog.phrases().confirmGlobals(ask.id()),
                new Action.Listen.EarlyEndHints(dialog.phrases().meanings(phrases, dialog.yesNo())))));
    }

    /** The caller's yes or no to the read-back; a global intent instead is handled as at the question. */
    void onAnswer(Input input, Step.Ask ask, List<Action> out) {
        Optional<String> yn = Optional.empty();
        String transcript = null;
        Turn.Mode mode;
        double conf = 1;
        if (input instanceof Input.Speech sp && !Grammar.normalize(sp.text()).isEmpty()) {
            run.markInput();
            mode = Turn.Mode.SPEECH;
            transcript = sp.text();
            conf = sp.confidence();
            if (!dialog.phrases().yesNo().contains(Grammar.normalize(sp.text()))) {
                Optional<GlobalIntent> global = run.globals().find(sp.text(), sp.intentHint(), ask.globals());
                if (global.isPresent()) {
                    run.logTurn(ask.id(), mode, transcript, conf, global.get().scriptName(), "global intent");
                    run.globals().on(global.get(), sp.text(), conf, false, ask, out);
                    return;
                }
            }
            yn = dialog.yesNo().intentOf(sp.text());
        } else if (input instanceof Input.Dtmf d) {
            run.markInput();
            mode = Turn.Mode.DTMF;
            transcript = d.digits();
            yn = dialog.yesNo().intentOfDtmf(d.digits().charAt(0));
        } else if (input instanceof Input.Speech sp) {
            mode = Turn.Mode.SPEECH; // rejected speech: a no-match
            transcript = sp.text();
            conf = sp.confidence();
        } else if (input instanceof Input.NoInput) {
            mode = Turn.Mode.NO_INPUT;
        } else {
            return;
        }
        Pending p = pending;
        pending = null;
        if (yn.isPresent() && yn.get().equals("yes")) {
            run.logTurn(ask.id(), mode, transcript, conf, "yes", "confirmed " + p.value());
            run.accept(ask, p.value(), p.confidence(), true, p.risky(),
                    mode == Turn.Mode.DTMF ? "confirmed by keypad" : "confirmed by voice", out);
        } else {
            run.logTurn(ask.id(), mode, transcript, conf, yn.orElse(null), "not confirmed");
            p.risky().ifPresent(g -> out.add(new Action.Decision(ask.id(), DestructiveAnswer.decisionName(g), false,
                    "answer '" + p.value() + "' not confirmed")));
            run.moveTo(DialogRun.State.LISTENING);
            if (yn.isPresent() && yn.get().equals(Grammar.UNSURE)) {
                run.asking().unsure(ask, out);
            } else {
                run.asking().failed(ask, mode == Turn.Mode.NO_INPUT, out);
            }
        }
    }

    // ---- a destructive global intent ---------------------------------------------------------------------

    /** "Just to be sure: ...?" before acting on {@code intent}, heard as {@code text} at step {@code at}. */
    void askGlobal(GlobalIntent intent, String text, String at, List<Action> out) {
        pendingGlobal = new PendingGlobal(intent, text, at, run.state(), run.lastPrompt(), run.lastListen());
        globalTries = 0;
        run.moveTo(DialogRun.State.CONFIRMING_GLOBAL);
        askGlobalAgain(null, out);
    }

    /** Yes (or the same intent again) acts, no goes back to what was interrupted, anything else asks once more. */
    void onGlobal(Input input, List<Action> out) {
        GlobalIntent intent = pendingGlobal.intent();
        String at = pendingGlobal.at();
        Optional<String> yn = Optional.empty();
        Turn.Mode mode;
        String transcript = null;
        double conf = 1;
        if (input instanceof Input.Speech sp) {
            if (!Grammar.normalize(sp.text()).isEmpty()) {
                run.markInput();
            }
            mode = Turn.Mode.SPEECH;
            transcript = sp.text();
            conf = sp.confidence();
            if (!Grammar.normalize(sp.text()).isEmpty()) {
                if (intent.scriptName().equals(sp.intentHint())
                        || dialog.globalGrammar(intent).intentOf(sp.text()).isPresent()
                        && !dialog.phrases().yesNo().contains(Grammar.normalize(sp.text()))) {
                    yn = Optional.of("yes"); // the same request again: "stop calling me" -> "yes, stop calling"
                } else if ("yes".equals(sp.intentHint()) || "no".equals(sp.intentHint())) {
                    yn = Optional.of(sp.intentHint());
                } else {
                    yn = dialog.yesNo().intentOf(sp.text());
                }
            }
        } else if (input instanceof Input.Dtmf d) {
            run.markInput();
            mode = Turn.Mode.DTMF;
            transcript = d.digits();
            yn = dialog.yesNo().intentOfDtmf(d.digits().charAt(0));
        } else if (input instanceof Input.NoInput) {
            mode = Turn.Mode.NO_INPUT;
        } else {
            return; // playback notices change nothing
        }
        if (yn.isPresent() && yn.get().equals("yes")) {
            run.logTurn(at, mode, transcript, conf, "yes", "confirmed " + intent.scriptName());
            String text = pendingGlobal.text();
            pendingGlobal = null;
            run.globals().act(intent, text, at, mode == Turn.Mode.DTMF ? "confirmed by keypad" : "confirmed by voice",
                    out);
        } else if (yn.isPresent() && yn.get().equals("no")) {
            run.logTurn(at, mode, transcript, conf, "no", "not confirmed; back to the step");
            resumeAfterGlobal(mode == Turn.Mode.DTMF ? "caller pressed no" : "caller said no", out);
        } else {
            // "not sure" is no yes: asked once more like anything else, never acted on
            boolean noInput = mode == Turn.Mode.NO_INPUT;
            run.logTurn(at, mode, transcript, conf, yn.orElse(null), noInput ? "no input"
                    : yn.isPresent() ? "not sure" : "no match");
            if (++globalTries >= TRIES) {
                resumeAfterGlobal("not confirmed after " + TRIES + " tries", out);
            } else {
                askGlobalAgain(noInput ? "no_input" : yn.isPresent() ? "unsure" : "no_match", out);
            }
        }
    }

    /** "Just to be sure: ...?", after {@code before} (a no-match / no-input message key) when given. */
    private void askGlobalAgain(String before, List<Action> out) {
        PendingGlobal pg = pendingGlobal;
        if (before != null) {
            out.add(run.say(pg.at(), dialog.messages().get(before), true, false));
        }
        out.add(run.prompt(run.say(pg.at(), dialog.messages().get("confirm_" + pg.intent().scriptName()), true,
                false)));
        Step.Ask ask = (Step.Ask) dialog.step(run.currentStep());
        out.add(run.listening(new Action.Listen(pg.at(), dialog.yesNo().name(), dialog.yesNo().phrases(), false,
                SlotType.YES_NO, Duration.ofMillis(ask.noInputTimeoutMs()), true, 1, List.of(),
                new Action.Listen.EarlyEndHints(dialog.phrases().meanings(dialog.yesNo().phrases(), dialog.yesNo())))));
    }

    /** The caller did not confirm: note it and ask again what was interrupted. */
    private void resumeAfterGlobal(String why, List<Action> out) {
        PendingGlobal pg = pendingGlobal;
        pendingGlobal = null;
        out.add(new Action.Decision(pg.at(), pg.intent().scriptName(), false, why));
        run.moveTo(pg.resume());
        out.add(run.say(pg.at(), dialog.messages().get("confirm_global_no"), true, false));
        out.add(run.prompt(run.say(pg.prompt().stepId(), pg.prompt().template(), pg.prompt().bargeIn(), false)));
        out.add(run.listening(pg.listen()));
    }
}
