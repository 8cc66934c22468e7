package io.voicebot.telephony.ami;

import java.util.Locale;
import java.util.Optional;

/**
 * How an outbound call ended, decided from the three things Asterisk tells about it: the OriginateResponse
 * Reason (a control frame number), the DialEnd DialStatus and the Hangup cause (Q.850).
 */
public enum CallOutcome {
    ANSWERED, BUSY, NO_ANSWER, CONGESTION, FAILED, REJECTED;

    /**
     * The outcome of an originate. Answered wins; otherwise the hangup cause is the most precise (a declined call
     * has DialStatus NOANSWER but cause 21), then the dial status, then the originate reason.
     */
    public static CallOutcome resolve(Integer reason, String dialStatus, Integer hangupCause) {
        if (reason != null && reason == 4) {
            return ANSWERED;
        }
        if (hangupCause != null) {
            Optional<CallOutcome> byCause = fromHangupCause(hangupCause);
            if (byCause.isPresent()) {
                return byCause.get();
            }
        }
        if (dialStatus != null) {
            Optional<CallOutcome> byStatus = fromDialStatus(dialStatus);
            if (byStatus.isPresent() && byStatus.get() != ANSWERED) {
                return byStatus.get();
            }
        }
        return reason == null ? FAILED : fromOriginateReason(reason);
    }

    /**
     * OriginateResponse Reason: 0 no channel/failed, 1 hung up before answer, 3 rang without answer (or ring
     * timeout), 4 answered, 5 busy, 8 congestion (AST_CONTROL_* values from frame.h).
     */
    public static CallOutcome fromOriginateReason(int reason) {
        return switch (reason) {
            case 4 -> ANSWERED;
            case 5 -> BUSY;
            case 3, 2 -> NO_ANSWER;
            case 8 -> CONGESTION;
            case 1 -> REJECTED;
            default -> FAILED;
        };
    }

    /** DialEnd DialStatus; CANCEL (the dial was given up) says nothing about the callee, so it is empty. */
    public static Optional<CallOutcome> fromDialStatus(String dialStatus) {
        return switch (dialStatus.trim().toUpperCase(Locale.ROOT)) {
            case "ANSWER" -> Optional.of(ANSWERED);
            case "BUSY" -> Optional.of(BUSY);
            case "NOANSWER" -> Optional.of(NO_ANSWER);
            case "CONGESTION" -> Optional.of(CONGESTION);
            case "CHANUNAVAIL", "INVALIDARGS" -> Optional.of(FAILED);
            case "DONTCALL", "TORTURE" -> Optional.of(REJECTED);
            default -> Optional.empty();
        };
    }

    /** Q.850 hangup causes that say what happened; 0 and 16 (normal clearing) say nothing and are empty. */
    public static Optional<CallOutcome> fromHangupCause(int cause) {
        return switch (cause) {
            case 17 -> Optional.of(BUSY);
            case 18, 19 -> Optional.of(NO_ANSWER);
            case 21 -> Optional.of(REJECTED);
            case 34, 38, 41, 42, 44, 47 -> Optional.of(CONGESTION);
            case 1, 2, 3, 20, 22, 27, 28, 29, 31, 58, 65, 66, 79, 88, 102, 111, 127 -> Optional.of(FAILED);
            default -> Optional.empty();
        };
    }
}
