package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.List;
import java.util.Optional;

/**
 * What the caller said or pressed at an ask step (the run is {@code LISTENING}): the step's answer, accepted or read
 * back for a yes first ({@link Confirmation}); a global intent ({@link GlobalRouting}); a question the step's FAQ
 * answers; a secret's keys ({@link SecretAsk}); or a failure, which reprompts. Part of one {@link DialogRun}.
 */
final class AnswerRouting {
    private static final String UNSURE_NOTE = "not sure; asking again";
    private final DialogRun run;
    private final Dialog dialog;
    private final AnswerValues values;
    private final Confirmation confirmation;
    private final SecretAsk secrets;
    private final GlobalRouting globals;

    AnswerRouting(DialogRun run, Dialog dialog, AnswerValues values, Confirmation confirmation, SecretAsk secrets,
                  GlobalRouting globals) {
        this.run = run;
        this.dialog = dialog;
        this.values = values;
        this.confirmation = confirmation;
        this.secrets = secrets;
        this.globals = globals;
    }

    /** The caller's answer to the question of {@code ask}, or no input. */
    void onInput(Input input, Step.Ask ask, List<Action> out) {
        if (input instanceof Input.NoInput) {
            run.logTurn(ask.id(), Turn.Mode.NO_INPUT, null, 0, null, "no input");
            run.asking().failed(ask, true, out);
        } else if (input instanceof Input.Speech sp) {
            if (Grammar.normalize(sp.text()).isEmpty()) {
                // speech the recognizer rejected: "I did not understand", not "I did not hear you" (the outcome
                // stays no_input if nothing else was ever understood)
                run.logTurn(ask.id(), Turn.Mode.SPEECH, ask.secret() ? SecretAsk.MASK : sp.text(), sp.confidence(),
                        null, sp.rejection() == null ? "rejected: no match" : "rejected: no match (" + sp.rejection()
                                + ")");
                run.asking().failed(ask, false, out);
                return;
            }
            run.markInput();
            if (ask.secret()) {
                secrets.onSpeech(sp, ask, out);
                return;
            }
            onSpeech(sp, ask, out);
        } else if (input instanceof Input.Dtmf d) {
            run.markInput();
            onDtmf(d, ask, out);
        }
        // playback notices and stray webhook results change nothing here
    }

    private void onSpeech(Input.Speech sp, Step.Ask ask, List<Action> out) {
        Grammar g = dialog.grammarOf(ask.id());
        String text = sp.text();
        String hint = sp.intentHint();
        Optional<String> value = Optional.empty();
        if (hint != null && g != null && g.intents().containsKey(hint)) {
            value = Optional.of(hint);
        } else if (dialog.phrases().answers(ask.id()).contains(Grammar.normalize(text))) {
            // an exact answer to the question beats a global phrase hidden in it
            value = g.intentOf(text);
        }
        if (value.isEmpty()) {
            Optional<GlobalIntent> global = globals.find(text, hint, ask.globals());
            if (global.isPresent()) {
                run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), global.get().scriptName(),
                        global.get() == GlobalIntent.UNSURE ? UNSURE_NOTE : "global intent");
                globals.on(global.get(), text, sp.confidence(), false, ask, out);
                return;
            }
            value = values.extract(ask, g, text);
        }
        boolean unsure = value.isPresent() && value.get().equals(Grammar.UNSURE)
                && !ask.on().containsKey(Grammar.UNSURE);
        if (value.isPresent() && !unsure && !values.valid(ask, value.get())) {
            run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), value.get(), "out of range");
            run.asking().failed(ask, false, out);
            return;
        }
        Optional<Knowledge.Entry> faq = ask.faq() ? dialog.knowledge().match(text) : Optional.empty();
        if (faq.isPresent() && value.isPresent() && (g == null
                || dialog.phrases().answers(ask.id()).contains(Grammar.normalize(text))
                || !g.intents().containsKey(value.get())
                || AnswerValues.longest(faq.get().phrases(), text)
                <= AnswerValues.longest(g.intents().get(value.get()), text))) {
            faq = Optional.empty(); // the step's answer is at least as specific as the question
        }
        if (faq.isPresent()) {
            run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), "faq:" + faq.get().id(), "answered");
            answerFaq(ask, faq.get(), out);
            return;
        }
        if (unsure) {
            // no answer yet: asked again, never taken as one (the step's on: may route it instead)
            run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), Grammar.UNSURE, UNSURE_NOTE);
            run.asking().unsure(ask, out);
            return;
        }
        if (value.isEmpty()) {
            run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), null, "no match");
            run.asking().failed(ask, false, out);
            return;
        }
        Optional<GlobalIntent> risky = run.risk(ask, value.get());
        String clear = risky.map(r -> dialog.globalPolicy(r).actAtOnce(false, text, sp.confidence())).orElse(null);
        boolean weekday = AnswerValues.readBackWeekday(ask, text);
        boolean negation = NegationTwins.hasTwin(g, text);
        if (sp.confidence() < ask.confirmBelow() || weekday || negation || risky.isPresent() && clear == null) {
            run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), value.get(),
                    sp.confidence() < ask.confirmBelow() ? "low confidence; confirming"
                    : weekday ? "weekday; confirming"
                    : negation ? "a negation away from another answer; confirming"
                    : "leads to " + DestructiveAnswer.decisionName(risky.get()) + "; confirming");
            confirmation.askAnswer(ask, value.get(), sp.confidence(), AnswerValues.heard(ask, value.get(), text),
                    risky, out);
            return;
        }
        run.logTurn(ask.id(), Turn.Mode.SPEECH, text, sp.confidence(), value.get(), "accepted");
        run.accept(ask, value.get(), sp.confidence(), false, risky, clear, out);
    }

    private void onDtmf(Input.Dtmf d, Step.Ask ask, List<Action> out) {
        String keys = d.digits();
        if (ask.secret()) {
            secrets.onDtmf(keys, ask, out);
            return;
        }
        Optional<String> value = ask.dtmf() ? values.dtmfValue(ask, keys) : Optional.empty();
        if (value.isEmpty() && keys.equals("0") && ask.globals().contains(GlobalIntent.AGENT)) {
            run.logTurn(ask.id(), Turn.Mode.DTMF, keys, 1, GlobalIntent.AGENT.scriptName(), "global intent");
            globals.on(GlobalIntent.AGENT, keys, 1, true, ask, out);
            return;
        }
        if (value.isEmpty() || !values.valid(ask, value.get())) {
            run.logTurn(ask.id(), Turn.Mode.DTMF, keys, 1, value.orElse(null),
                    ask.dtmf() ? "no match" : "keys not accepted");
            run.asking().failed(ask, false, out);
            return;
        }
        run.logTurn(ask.id(), Turn.Mode.DTMF, keys, 1, value.get(), "accepted");
        run.accept(ask, value.get(), 1.0, false, run.risk(ask, value.get()), "keypad", out);
    }

    private void answerFaq(Step.Ask ask, Knowledge.Entry e, List<Action> out) {
        run.putVar("last_faq", e.id());
        out.add(run.say(ask.id(), e.answer(), true, false));
        if (ask.faqNext() != null) {
            run.enterStep(ask.faqNext(), out);
        } else {
            run.asking().ask(ask, out);
        }
    }
}
