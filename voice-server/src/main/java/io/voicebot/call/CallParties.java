package io.voicebot.call;

import io.voicebot.store.AttemptStore;
import io.voicebot.store.CallStore;
import io.voicebot.telephony.agi.AgiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who a call is between, as stored with it: {@code caller} for inbound calls, {@code called} for outbound. */
record CallParties(String caller, String called) {
    private static final Logger log = LoggerFactory.getLogger(CallParties.class);

    /** {@code attempt}: the campaign attempt the call is, null if none. */
    static CallParties of(AgiRequest req, CallStore.Direction direction, AttemptStore.AttemptContext attempt) {
        if (attempt != null) {
            return new CallParties(null, attempt.phone());
        }
        if (direction == CallStore.Direction.OUTBOUND) {
            // An originated channel has no dialled number of its own (agi_dnid is "unknown" and agi_callerid is
            // whatever caller id was sent): the dialplan passes the customer's number as number=.
            String called = req.parameter("number").filter(n -> !n.isBlank()).orElse(null);
            if (called == null) {
                log.warn("outbound call with dialog= and no number=: the number is unknown, so an opt-out on this "
                        + "call cannot be recorded");
            }
            return new CallParties(null, called);
        }
        return new CallParties(req.callerId(), req.dnid());
    }
}
