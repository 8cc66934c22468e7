package io.voicebot.telephony.ami;

/**
 * What came of an originate. {@code channel} and {@code uniqueId} name the outbound channel (uniqueId is the
 * ChannelId voicebot assigned); {@code reason}, {@code dialStatus} and {@code hangupCause} are what Asterisk
 * reported (null when it did not); {@code detail} explains the outcome in words for logs and the call record.
 */
public record OriginateResult(CallOutcome outcome, String channel, String uniqueId, Integer reason,
                              String dialStatus, Integer hangupCause, String detail) {
    public boolean answered() {
        return outcome == CallOutcome.ANSWERED;
    }
}
