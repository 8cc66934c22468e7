package io.voicebot.dialog;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One call's way through a {@link Dialog}: feed it {@link Input}s, perform the {@link Action}s it returns in
 * order. Pure and single-threaded: no I/O, no clocks other than the injected one; the caller serializes calls.
 * The states and steps are here; asking a question (and again, and giving up) is {@link Asking}'s, what an answer
 * means {@link AnswerRouting}'s, where a global intent goes {@link GlobalRouting}'s.
 */
public final class DialogRun {

    /** Where the run is waiting. */
    public enum State {
        /** {@link #start} not called yet. */
        NEW,
        /** A non-interruptible prompt is playing; waiting for its {@link Input.PlaybackFinished}. */
        PLAYING_DISCLOSURE,
        /** Waiting for the answer to an ask step. */
        LISTENING,
        /** Waiting for yes/no to "I heard X, is that right?". */
        CONFIRMING,
        /** Waiting for yes/no to "Just to be sure: you want us to stop calling this number?". */
        CONFIRMING_GLOBAL,
        /** The caller asked to be called later without saying when; waiting for the time. */
        ASKING_CALLBACK_TIME,
        /** Waiting for {@link Input.WebhookResult}. */
        AWAITING_WEBHOOK,
        /** Finished; {@link #outcome()} says how. Further input is ignored. */
        ENDED
    }

    private static final int MAX_HOPS = 200;

    private final Dialog dialog;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final Map<String, String> answers = new LinkedHashMap<>();
    private final List<Turn> turns = new ArrayList<>();
    private final AnswerValues values;
    private final Confirmation confirmation;
    private final CallbackTime callbacks;
    private final SecretAsk secrets;
    private final GlobalRouting globals;
    private final AnswerRouting answering;
    private final Asking asking;

    private State state = State.NEW;
    private Outcome outcome;
    private String current;
    private int disclosureRetries;
    private boolean anyInput;
    private Action.Say lastPrompt;
    private Action.Listen lastListen;

    DialogRun(Dialog dialog, Clock clock, ZoneId zone) {
        this.dialog = dialog;
        this.clock = clock;
        this.zone = zone;
        this.values = new AnswerValues(dialog, clock, zone);
        this.asking = new Asking(this, dialog);
        this.confirmation = new Confirmation(this, dialog);
        this.callbacks = new CallbackTime(this, dialog, clock, zone);
        this.secrets = new SecretAsk(this, values);
        this.globals = new GlobalRouting(this, dialog, confirmation, callbacks);
        this.answering = new AnswerRouting(this, dialog, values, confirmation, secrets, globals);
    }

    /** Starts the dialog with the contact's fields (name, amount, due_date...); returns the first actions. */
    public List<Action> start(Map<String, String> contactVars) {
        if (state != State.NEW) {
            throw new IllegalStateException("dialog run already started");
        }
        vars.putAll(dialog.vars());
        vars.putAll(contactVars);
        List<Action> out = new ArrayList<>();
        enter(dialog.start(), out);
        return List.copyOf(out);
    }

    /** Feeds one input; returns what to do next (often nothing, e.g. for playback notices). */
    public List<Action> onInput(Input input) {
        if (state == State.NEW) {
            throw new IllegalStateException("call start() before onInput()");
        }
        if (state == State.ENDED) {
            return List.of();
        }
        List<Action> out = new ArrayList<>();
        if (input instanceof Input.Hangup) {
            callerHungUp();
            return List.of();
        }
        switch (state) {
            case PLAYING_DISCLOSURE -> onDisclosure(input, out);
            case LISTENING -> answering.onInput(input, (Step.Ask) dialog.step(current), out);
            case CONFIRMING -> confirmation.onAnswer(input, (Step.Ask) dialog.step(current), out);
            case CONFIRMING_GLOBAL -> confirmation.onGlobal(input, out);
            case ASKING_CALLBACK_TIME -> callbacks.onInput(input, out);
            case AWAITING_WEBHOOK -> onWebhook(input, out);
            default -> throw new IllegalStateException("unexpected state " + state);
        }
        return List.copyOf(out);
    }

    public State state() {
        return state;
    }

    /** How the run ended; null while it runs. */
    public Outcome outcome() {
        return outcome;
    }

    /** The step the run waits in (ask, webhook, disclosure), or the last one. */
    public String currentStep() {
        return current;
    }

    /** Answers stored so far, by key. */
    public Map<String, String> answers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** All variables: script defaults, contact fields, answers, webhook results. */
    public Map<String, String> vars() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /** The dialog log so far. */
    public List<Turn> turns() {
        return List.copyOf(turns);
    }

    // ---- stepping --------------------------------------------------------------------------------------

    private void enter(String stepId, List<Action> out) {
        String id = stepId;
        int hops = 0;
        while (id != null) {
            if (++hops > MAX_HOPS) {
                // a script looping through steps that never wait for the caller
                log(id, Turn.Mode.PLAYBACK, null, 0, null, "step loop without input; giving up");
                end(Outcome.FAILED, id, null, out);
                return;
            }
            Step s = dialog.step(id);
            current = id;
            s.set().forEach((k, v) -> vars.put(k, Template.fill(v, vars)));
            if (s instanceof Step.Say say) {
                Action.Say a = say(id, say.text(), say.bargeIn() && !say.nonInterruptible(), say.nonInterruptible());
                out.add(a);
                if (say.nonInterruptible()) {
                    lastPrompt = a;
                    disclosureRetries = 0;
                    state = State.PLAYING_DISCLOSURE;
                    return;
                }
                id = say.next();
            } else if (s instanceof Step.Ask ask) {
                confirmation.reset();
                asking.ask(ask, out);
                state = State.LISTENING;
                return;
            } else if (s instanceof Step.Branch b) {
                String next = b.otherwise();
                for (Step.Rule r : b.rules()) {
                    if (r.when().test(vars)) {
                        next = r.next();
                        break;
                    }
                }
                id = next;
            } else if (s instanceof Step.SetVars sv) {
                id = sv.next();
            } else if (s instanceof Step.Webhook w) {
                Map<String, String> payload = new LinkedHashMap<>();
                Map<String, String> withSecrets = secrets.withSecrets(vars);
                w.payload().forEach((k, v) -> payload.put(k, Template.fill(v, withSecrets)));
                out.add(new Action.Webhook(id, Template.fill(w.url(), vars), payload));
                state = State.AWAITING_WEBHOOK;
                return;
            } else if (s instanceof Step.Transfer t) {
                if (t.decision() != null) {
                    out.add(new Action.Decision(id, t.reason(), true, t.decision()));
                }
                if (t.say() != null) {
                    out.add(say(id, t.say(), false, false));
                }
                String queue = t.queue().isEmpty() ? dialog.agentQueue() : Template.fill(t.queue(), vars);
                out.add(new Action.Transfer(id, queue, t.reason()));
                finish(Outcome.TRANSFERRED);
                return;
            } else if (s instanceof Step.Callback c) {
                String text = Template.fill(c.when(), vars);
                Instant at = callbacks.parseWhen(text);
                if (at != null) {
                    vars.put("callback_time", callbacks.speakable(at.atZone(zone)));
                }
                out.add(new Action.ScheduleCallback(id, at, text));
                id = c.next();
            } else if (s instanceof Step.Task t) {
                Map<String, String> details = new LinkedHashMap<>();
                t.details().forEach((k, v) -> details.put(k, Template.fill(v, vars)));
                out.add(new Action.CreateTask(id, t.type(), details));
                id = t.next();
            } else if (s instanceof Step.Hangup h) {
                end(h.outcome(), id, h.say(), out);
                return;
            }
        }
    }

    Action.Say say(String stepId, String template, boolean bargeIn, boolean nonInterruptible) {
        return new Action.Say(stepId, template, vars, bargeIn, nonInterruptible);
    }

    // ---- inputs ----------------------------------------------------------------------------------------

    private void onDisclosure(Input input, List<Action> out) {
        if (!(input instanceof Input.PlaybackFinished pf) || !pf.stepId().equals(current)) {
            // nothing interrupts a legal disclosure; the session should not even listen during it
            return;
        }
        Step.Say say = (Step.Say) dialog.step(current);
        if (pf.completed()) {
            log(current, Turn.Mode.PLAYBACK, null, 0, null, "non-interruptible prompt played in full");
            enter(say.next(), out);
        } else if (disclosureRetries++ < 1) {
            log(current, Turn.Mode.PLAYBACK, null, 0, null, "non-interruptible prompt cut short; playing again");
            out.add(say(current, say.text(), false, true));
        } else {
            log(current, Turn.Mode.PLAYBACK, null, 0, null, "non-interruptible prompt could not be played in full");
            end(Outcome.FAILED, current, null, out);
        }
    }

    private void onWebhook(Input input, List<Action> out) {
        if (!(input instanceof Input.WebhookResult r) || !r.stepId().equals(current)) {
            return;
        }
        Step.Webhook w = (Step.Webhook) dialog.step(current);
        r.values().forEach((k, v) -> vars.put(w.resultPrefix().isEmpty() ? k : w.resultPrefix() + "." + k, v));
        log(current, Turn.Mode.WEBHOOK, null, 0, r.ok() ? "ok" : "error", r.ok() ? "webhook answered"
                : "webhook failed");
        enter(r.ok() || w.onError() == null ? w.next() : w.onError(), out);
    }

    private void callerHungUp() {
        log(current, Turn.Mode.HANGUP, null, 0, null, "caller hung up in state " + state);
        finish(answers.isEmpty() ? Outcome.HUNG_UP : Outcome.PARTIAL);
    }

    // ---- answers ---------------------------------------------------------------------------------------

    /** The destructive end {@code value} leads to, if any: worked out once per answer. */
    Optional<GlobalIntent> risk(Step.Ask ask, String value) {
        return DestructiveAnswer.of(dialog, ask.on().getOrDefault(value, ask.next()),
                DestructiveAnswer.after(vars, ask, value));
    }

    /**
     * {@code risky}: {@link #risk} of this answer; {@code why}: how the answer became certain, stored when it leads
     * to a destructive step.
     */
    void accept(Step.Ask ask, String value, double confidence, boolean confirmed,
                        Optional<GlobalIntent> risky, String why, List<Action> out) {
        String target = ask.on().getOrDefault(value, ask.next());
        risky.ifPresent(g ->
                out.add(new Action.Decision(ask.id(), DestructiveAnswer.decisionName(g), true,
                        "answer '" + value + "' " + why)));
        if (ask.key() != null) {
            vars.put(ask.key(), value);
            answers.put(ask.key(), value);
            out.add(new Action.RecordAnswer(ask.id(), ask.key(), value, confidence, confirmed));
        }
        vars.put("last_answer", value);
        enter(target, out);
    }

    // ---- package-private hooks for the run's parts (Asking, Confirmation, CallbackTime, SecretAsk, the routings)

    GlobalRouting globals() {
        return globals;
    }

    Asking asking() {
        return asking;
    }

    /** How the run ends when a question gets no answer: no input at all, nothing answered, or a partial call. */
    Outcome gaveUp() {
        return !anyInput ? Outcome.NO_INPUT : answers.isEmpty() ? Outcome.FAILED : Outcome.PARTIAL;
    }

    void moveTo(State s) {
        state = s;
    }

    /** Goes on to {@code stepId} (after an answer handled elsewhere). */
    void enterStep(String stepId, List<Action> out) {
        enter(stepId, out);
    }

    void putVar(String key, String value) {
        vars.put(key, value);
    }

    void markInput() {
        anyInput = true;
    }

    Action.Say lastPrompt() {
        return lastPrompt;
    }

    Action.Listen lastListen() {
        return lastListen;
    }

    /** {@code p} is what a "repeat" says again; returns it. */
    Action.Say prompt(Action.Say p) {
        lastPrompt = p;
        return p;
    }

    /** {@code l} is what a "repeat" listens with again; returns it. */
    Action.Listen listening(Action.Listen l) {
        lastListen = l;
        return l;
    }

    void logTurn(String stepId, Turn.Mode mode, String transcript, double confidence, String intent, String note) {
        log(stepId, mode, transcript, confidence, intent, note);
    }

    // ---- ending ----------------------------------------------------------------------------------------

    void end(Outcome o, String stepId, String goodbye, List<Action> out) {
        if (goodbye != null) {
            out.add(say(stepId, goodbye, false, false));
        }
        out.add(new Action.Hangup(stepId, o));
        finish(o);
    }

    void finish(Outcome o) {
        outcome = o;
        state = State.ENDED;
    }

    private void log(String stepId, Turn.Mode mode, String transcript, double confidence, String intent,
                     String note) {
        turns.add(new Turn(turns.size() + 1, clock.instant(), stepId, lastPrompt == null ? null
                : lastPrompt.template(), mode, transcript, confidence, intent, note));
    }
}
