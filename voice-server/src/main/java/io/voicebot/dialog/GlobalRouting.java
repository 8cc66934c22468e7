package io.voicebot.dialog;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A global intent heard anywhere in a {@link DialogRun}: which one was said, and where it goes. A destructive one
 * (opt-out, wrong person, agent) acts at once only when its {@link GlobalPolicy} allows, else {@link Confirmation}
 * asks "Just to be sure: ...?" first; a callback goes to {@link CallbackTime}; a repeat says the last prompt again;
 * a hold ("hang on") waits longer for the answer ({@link Asking#hold}); "i don't know" asks again
 * ({@link Asking#unsure}).
 * Part of one run.
 */
final class GlobalRouting {
    private final DialogRun run;
    private final Dialog dialog;
    private final Confirmation confirmation;
    private final CallbackTime callbacks;

    GlobalRouting(DialogRun run, Dialog dialog, Confirmation confirmation, CallbackTime callbacks) {
        this.run = run;
        this.dialog = dialog;
        this.confirmation = confirmation;
        this.callbacks = callbacks;
    }

    /** The first of the {@code enabled} intents the recognizer's {@code hint} names or {@code text} holds. */
    Optional<GlobalIntent> find(String text, String hint, Set<GlobalIntent> enabled) {
        for (GlobalIntent g : GlobalIntent.values()) {
            if (enabled.contains(g) && g.scriptName().equals(hint)) {
                return Optional.of(g);
            }
        }
        for (GlobalIntent g : GlobalIntent.values()) {
            if (enabled.contains(g) && dialog.globalGrammar(g).intentOf(text).isPresent()) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** {@code keypad}: the intent came by DTMF (key 0 for an agent). */
    void on(GlobalIntent g, String text, double confidence, boolean keypad, Step.Ask ask, List<Action> out) {
        String at = run.state() == DialogRun.State.ASKING_CALLBACK_TIME ? CallbackTime.STEP : ask.id();
        if (GlobalPolicy.DESTRUCTIVE.contains(g)) {
            String why = dialog.globalPolicy(g).actAtOnce(keypad, text, confidence);
            if (why != null) {
                act(g, text, at, why, out);
            } else {
                confirmation.askGlobal(g, text, at, out);
            }
            return;
        }
        switch (g) {
            case CALLBACK -> callbacks.requested(text, ask, out);
            case REPEAT -> {
                Action.Say lastPrompt = run.lastPrompt();
                out.add(run.say(lastPrompt.stepId(), lastPrompt.template(), lastPrompt.bargeIn(), false));
                out.add(run.lastListen());
            }
            case HOLD -> run.asking().hold(ask, out);
            case UNSURE -> run.asking().unsure(ask, out);
            default -> throw new IllegalStateException("destructive intent " + g + " not handled above");
        }
    }

    /** Acts on a destructive global intent; {@code why} is stored with the decision. */
    void act(GlobalIntent g, String text, String at, String why, List<Action> out) {
        Action.Decision decision = new Action.Decision(at, g.scriptName(), true, why);
        switch (g) {
            case OPT_OUT -> {
                // recorded first so that a failure later in the call cannot lose it
                out.add(new Action.OptOut(at, "caller said: " + text + " (" + why + ")"));
                out.add(decision);
                run.end(Outcome.OPTED_OUT, at, dialog.messages().get("opt_out"), out);
            }
            case WRONG_PERSON -> {
                out.add(decision);
                run.end(Outcome.WRONG_PERSON, at, dialog.messages().get("wrong_person"), out);
            }
            case AGENT -> {
                out.add(decision);
                out.add(run.say(at, dialog.messages().get("transfer"), false, false));
                out.add(new Action.Transfer(at, dialog.agentQueue(), "caller asked for an agent"));
                run.finish(Outcome.TRANSFERRED);
            }
            default -> throw new IllegalArgumentException(g + " is not a destructive intent");
        }
    }
}
