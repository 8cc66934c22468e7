package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.store.CallStore;
import io.voicebot.store.DecisionStore;
import io.voicebot.store.DncStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialog's actions that only write something down for the call: answers, decisions with their reasons, the
 * do-not-call entry of an opt-out, callbacks and follow-up tasks. Run on the call's serial executor, in the order
 * the dialog returned them.
 */
final class StoredActions {
    private static final Logger log = LoggerFactory.getLogger(StoredActions.class);

    private final CallContext ctx;
    private final CallStore.CallRecord record;

    StoredActions(CallContext ctx, CallStore.CallRecord record) {
        this.ctx = ctx;
        this.record = record;
    }

    /** Stores {@code a} when it is one of these; false for the actions the session performs itself. */
    boolean apply(Action a) {
        if (a instanceof Action.RecordAnswer r) {
            ctx.store().saveAnswer(new CallStore.Answer(record.id(), r.key(), r.value(), r.confidence(),
                    r.confirmed(), ctx.clock().instant()));
        } else if (a instanceof Action.OptOut o) {
            optOut(o);
        } else if (a instanceof Action.Decision d) {
            ctx.store().decisions().insert(new DecisionStore.Decision(record.id(), d.stepId(), d.intent(),
                    d.acted(), d.reason(), ctx.clock().instant()));
        } else if (a instanceof Action.ScheduleCallback cb) {
            ctx.followups().create(record.id(), "callback", cb.at(), cb.text());
        } else if (a instanceof Action.CreateTask t) {
            ctx.followups().create(record.id(), t.type(), null, Json.write(t.details()));
        } else {
            return false;
        }
        return true;
    }

    private void optOut(Action.OptOut o) {
        String phone = record.direction() == CallStore.Direction.OUTBOUND ? record.calledNumber()
                : record.callerNumber();
        if (phone == null || phone.isBlank()) {
            log.warn("opt-out requested but the call has no number to record");
            return;
        }
        // Lenient form: an opt-out is kept even for a number libphonenumber does not consider valid.
        boolean added = ctx.dnc().add(new DncStore.Entry(ctx.phones().canonical(phone), o.reason(), "dialog",
                record.id(), ctx.clock().instant(), null));
        log.info("opt-out recorded{}", added ? "" : " (number was already on the do-not-call list)");
    }
}
