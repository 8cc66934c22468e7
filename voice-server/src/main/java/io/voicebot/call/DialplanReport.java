package io.voicebot.call;

import io.voicebot.telephony.agi.AgiCall;
import io.voicebot.telephony.agi.AgiException;
import io.voicebot.transfer.TransferDesk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AGI side of a call's end, once its result is stored: a warm transfer is handed over (or released, when the
 * caller left), and the dialplan gets VOICEBOT_OUTCOME, VOICEBOT_NEXT, VOICEBOT_QUEUE and VOICEBOT_ERROR.
 */
final class DialplanReport {
    private static final Logger log = LoggerFactory.getLogger(DialplanReport.class);

    private DialplanReport() {}

    /** {@code ticket}: the call's warm transfer, null if none; {@code transfers} is then its desk. */
    static void report(AgiCall call, TransferDesk.Ticket ticket, TransferDesk transfers, CallSession.Result r)
            throws AgiException {
        if (ticket != null) {
            try {
                if (!call.isHungUp() && "queue".equals(r.next())) {
                    transfers.handOver(call, ticket);
                } else {
                    transfers.callerLeft(ticket);
                }
            } catch (AgiException | RuntimeException e) {
                log.warn("transfer not completed: {}", e.getMessage());
            }
        }
        if (!call.isHungUp()) {
            call.setVariable("VOICEBOT_OUTCOME", r.outcome().scriptName());
            call.setVariable("VOICEBOT_NEXT", r.next());
            call.setVariable("VOICEBOT_QUEUE", r.queue() == null ? "" : r.queue());
            if (r.error() != null) {
                // a code for the dialplan; the text (an exception's, perhaps) stays in voicebot's log
                String code = errorCode(r.error());
                if (!code.equals(r.error())) {
                    log.warn("call ended with an error ({}): {}", code, r.error());
                }
                call.setVariable("VOICEBOT_ERROR", code);
            }
        }
    }

    /**
     * What VOICEBOT_ERROR says for a call that ended in error: a short code, never exception text (which may
     * carry internals, and which a dialplan cannot route on).
     */
    static String errorCode(String error) {
        if (error.matches("[a-z_]{1,40}")) {
            return error;
        }
        if (error.startsWith("AudioSocket(")) {
            return "audiosocket_unreachable";
        }
        if (error.startsWith("AGI: ")) {
            return "agi_failed";
        }
        return "call_failed";
    }
}
