package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.Outcome;
import io.voicebot.dialog.SlotType;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.store.CallStore;
import io.voicebot.transfer.QueueCheck;
import io.voicebot.transfer.TransferDesk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The robot's last words before a warm transfer, after the dialog asked for one: once the queue check is back,
 * either the expected wait (played to its end) and the hand-over, or, when nobody is free, a callback offer
 * (yes: a callback through the dialer on a campaign call, else a follow-up task; no: goodbye). Driven by the
 * call's serial executor like the dialog; returns actions for {@link CallSession} to perform.
 */
final class TransferHandoff {
    static final String STEP = "transfer_check";
    private static final int TRIES = 2;

    static final String WAIT_SAY = "An agent will be with you in %s. Please stay on the line.";
    static final String OFFER_SAY = "I am sorry, all our agents are busy right now. Would you like an agent to call "
            + "you back? Please say yes or no.";
    static final String OFFER_AGAIN = "Would you like an agent to call you back? Please say yes or no, or press one "
            + "for yes and two for no.";
    static final String CALLBACK_SAY = "Thank you. An agent will call you back as soon as possible. Goodbye.";
    static final String NO_NUMBER_SAY = "I am sorry, all our agents are busy right now. Please call us again later. "
            + "Goodbye.";
    static final String NO_CALLBACK_SAY = "All right. You can call us again at any time. Goodbye.";

    /** Where the call layer stores a turn of the offer: the caller's answer and how it was understood. */
    interface TurnSink {
        void turn(String transcript, Double confidence, String intent, CallStore.InputMode mode, String note);
    }

    private enum State { CHECKING, ANNOUNCING, OFFERING, DONE }

    private final TransferDesk desk;
    private final TransferDesk.CallInfo call;
    private final Action.Transfer transfer;
    private final String queue;
    private final Grammar yesNo;
    private final TurnSink turns;
    private final java.time.Clock clock;
    private State state = State.CHECKING;
    private QueueCheck check;
    private TransferDesk.Ticket ticket;
    private int tries;

    TransferHandoff(TransferDesk desk, TransferDesk.CallInfo call, Action.Transfer transfer, String queue,
                    Grammar yesNo, TurnSink turns, java.time.Clock clock) {
        this.desk = desk;
        this.call = call;
        this.transfer = transfer;
        this.queue = queue;
        this.yesNo = yesNo;
        this.turns = turns;
        this.clock = clock;
    }

    /**
     * The hand-over a call's dialog asked for, before its queue check: the call's details for the desk (who, which
     * number, the answers so far, whether a campaign dialed it).
     */
    static TransferHandoff forCall(TransferDesk desk, UUID id, CallStore.CallRecord record, String dialog,
                                   Map<String, String> vars, Map<String, String> answers, Action.Transfer transfer,
                                   String queue, Grammar yesNo, TurnSink turns, java.time.Clock clock) {
        boolean outbound = record.direction() == CallStore.Direction.OUTBOUND;
        TransferDesk.CallInfo info = new TransferDesk.CallInfo(record.id(), id, dialog, vars.get("name"),
                outbound ? record.calledNumber() : record.callerNumber(), answers, record.attemptId() != null);
        return new TransferHandoff(desk, info, transfer, queue, yesNo, turns, clock);
    }

    /** The recorded hand-over, once decided; null when the caller was not handed over. */
    TransferDesk.Ticket ticket() {
        return ticket;
    }

    List<Action> onChecked(QueueCheck c) {
        if (state != State.CHECKING) {
            return List.of();
        }
        check = c;
        List<Action> out = new ArrayList<>();
        if (c.verdict() != QueueCheck.Verdict.NOBODY) {
            out.add(new Action.Decision(STEP, "transfer", true, c.reason()));
            ticket = desk.handingOver(call, c, transfer.reason());
            if (c.verdict() == QueueCheck.Verdict.UNCHECKED) {
                state = State.DONE;
                out.add(handOver());
                return out;
            }
            state = State.ANNOUNCING;
            // not interruptible: the caller hears the whole announcement before the queue takes over
            out.add(new Action.Say(STEP, String.format(WAIT_SAY, c.spokenWait()), Map.of(), false, true));
            return out;
        }
        if (!TransferDesk.callbackPossible(call.phone())) {
            // a withheld number cannot be called back: no offer that nobody could keep
            state = State.DONE;
            String why = "caller's number is withheld or unknown: no callback possible";
            desk.notHandedOver(call, c, transfer.reason(), false, why);
            out.add(new Action.Decision(STEP, "callback", false, why + "; " + c.reason()));
            out.add(new Action.Say(STEP, NO_NUMBER_SAY, Map.of(), false, false));
            out.add(new Action.Hangup(STEP, Outcome.PARTIAL));
            return out;
        }
        state = State.OFFERING;
        out.add(new Action.Say(STEP, OFFER_SAY, Map.of(), true, false));
        out.add(listen());
        return out;
    }

    List<Action> onInput(Input input) {
        if (state == State.ANNOUNCING) {
            if (input instanceof Input.PlaybackFinished pf && pf.stepId().equals(STEP)) {
                state = State.DONE;
                return List.of(handOver());
            }
            return List.of();
        }
        if (state != State.OFFERING) {
            return List.of();
        }
        Optional<String> yn = Optional.empty();
        if (input instanceof Input.Speech sp) {
            if ("yes".equals(sp.intentHint()) || "no".equals(sp.intentHint())) {
                yn = Optional.of(sp.intentHint());
            } else if (!Grammar.normalize(sp.text()).isEmpty()) {
                yn = yesNo.intentOf(sp.text());
            }
            turns.turn(sp.text(), sp.confidence(), yn.orElse(null), CallStore.InputMode.SPEECH, "callback offer");
        } else if (input instanceof Input.Dtmf d) {
            yn = yesNo.intentOfDtmf(d.digits().charAt(0));
            turns.turn(d.digits(), 1.0, yn.orElse(null), CallStore.InputMode.DTMF, "callback offer");
        } else if (input instanceof Input.NoInput) {
            turns.turn(null, null, null, CallStore.InputMode.NONE, "callback offer: no input");
        } else {
            return List.of();
        }
        List<Action> out = new ArrayList<>();
        if (yn.isPresent() && yn.get().equals("yes")) {
            callback("caller accepted a callback", out);
        } else if (yn.isPresent() && yn.get().equals("no")) { // "not sure" is no answer: offered again
            state = State.DONE;
            desk.notHandedOver(call, check, transfer.reason(), false, "caller declined a callback");
            out.add(new Action.Decision(STEP, "callback", false, "caller declined a callback: " + check.reason()));
            out.add(new Action.Say(STEP, NO_CALLBACK_SAY, Map.of(), false, false));
            out.add(new Action.Hangup(STEP, Outcome.PARTIAL));
        } else if (++tries < TRIES) {
            out.add(new Action.Say(STEP, OFFER_AGAIN, Map.of(), true, false));
            out.add(listen());
        } else {
            // No clear answer: nobody is dialled automatically, but a person gets a task to decide.
            state = State.DONE;
            desk.notHandedOver(call, check, transfer.reason(), true, "no clear answer to the callback offer");
            desk.followUp(call, queue, "asked for an agent, none free; no clear answer to the callback offer");
            out.add(new Action.Decision(STEP, "callback", false, "no clear answer to the callback offer after "
                    + TRIES + " tries: a follow-up task for a person"));
            out.add(new Action.Say(STEP, NO_CALLBACK_SAY, Map.of(), false, false));
            out.add(new Action.Hangup(STEP, Outcome.PARTIAL));
        }
        return out;
    }

    private void callback(String why, List<Action> out) {
        state = State.DONE;
        desk.notHandedOver(call, check, transfer.reason(), true, why);
        if (call.campaignCall()) {
            // the dialer places the callback: the attempt ends as callback_requested at this time
            Instant at = clock.instant().plus(desk.settings().callbackDelay());
            out.add(new Action.ScheduleCallback(STEP, at, "no agent free in " + queue + ": " + check.reason()));
            out.add(new Action.Decision(STEP, "callback", true, why + "; dialer callback at " + at));
        } else {
            long task = desk.followUp(call, queue, why + "; " + check.reason());
            out.add(new Action.Decision(STEP, "callback", true, why + "; follow-up task " + task));
        }
        out.add(new Action.Say(STEP, CALLBACK_SAY, Map.of(), false, false));
        out.add(new Action.Hangup(STEP, Outcome.CALLBACK_REQUESTED));
    }

    /**
     * The caller hung up while the warm transfer was under way. During the announcement the hand-over was already
     * recorded (the call layer marks it abandoned once the AGI is done). During the callback offer the caller had
     * not accepted one: the transfer is recorded as not handed over and abandoned, with no callback and no task
     * (docs/transfer.md). Before the queue check came back nothing was decided and nothing is recorded.
     * Returns the decision to store, if any.
     */
    Optional<Action.Decision> callerHungUp() {
        State was = state;
        state = State.DONE;
        if (was == State.ANNOUNCING) {
            return Optional.of(new Action.Decision(STEP, "transfer", false,
                    "caller hung up during the wait announcement, before the hand-over: " + check.reason()));
        }
        if (was == State.OFFERING) {
            String why = "caller hung up during the callback offer";
            long id = desk.notHandedOver(call, check, transfer.reason(), false, why);
            desk.store().endedBeforeHandOver(id, clock.instant());
            return Optional.of(new Action.Decision(STEP, "callback", false, why + ": " + check.reason()));
        }
        return Optional.empty();
    }

    private Action.Transfer handOver() {
        return new Action.Transfer(STEP, queue, transfer.reason());
    }

    private Action.Listen listen() {
        return new Action.Listen(STEP, yesNo.name(), yesNo.phrases(), false, SlotType.YES_NO, Duration.ofSeconds(6),
                true, 1);
    }
}
