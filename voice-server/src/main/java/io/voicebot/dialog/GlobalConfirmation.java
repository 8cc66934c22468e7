package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.List;
import java.util.Optional;

/**
 * The caller's answer to "Just to be sure: ...?" after a destructive global intent: yes (or the same intent again)
 * acts, no goes back to what was interrupted, anything else asks once more and then goes back: the robot never acts
 * on a doubtful confirmation.
 */
final class GlobalConfirmation {
    /** Answers that are neither yes nor no before giving up on the intent. */
    static final int TRIES = 2;

    private GlobalConfirmation() {}

    static void onInput(DialogRun run, Input input, List<Action> out) {
        Dialog dialog = run.dialog();
        GlobalIntent intent = run.pendingGlobalIntent();
        String at = run.pendingGlobalStep();
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
                        && !dialog.yesNoPhrases().contains(Grammar.normalize(sp.text()))) {
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
            run.actOnGlobal(intent, run.pendingGlobalText(), at,
                    mode == Turn.Mode.DTMF ? "confirmed by keypad" : "confirmed by voice", out);
        } else if (yn.isPresent()) {
            run.logTurn(at, mode, transcript, conf, "no", "not confirmed; back to the step");
            run.resumeAfterGlobal(mode == Turn.Mode.DTMF ? "caller pressed no" : "caller said no", out);
        } else {
            boolean noInput = mode == Turn.Mode.NO_INPUT;
            run.logTurn(at, mode, transcript, conf, null, noInput ? "no input" : "no match");
            if (run.nextGlobalTry() >= TRIES) {
                run.resumeAfterGlobal("not confirmed after " + TRIES + " tries", out);
            } else {
                run.askGlobalConfirmation(noInput ? "no_input" : "no_match", out);
            }
        }
    }
}
