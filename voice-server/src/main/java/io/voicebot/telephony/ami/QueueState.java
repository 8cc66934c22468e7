package io.voicebot.telephony.ami;

import java.time.Duration;
import java.util.List;

/**
 * A queue as app_queue reports it. {@code loggedIn} counts members whose device is not unavailable/invalid,
 * {@code available} those of them not paused and not in use; {@code holdTime} is the queue's average hold time,
 * {@code longestHoldTime} the longest wait of a caller now waiting. {@code members} is filled by QueueStatus only.
 */
public record QueueState(String queue, int loggedIn, int available, int callersWaiting, Duration holdTime,
                         Duration longestHoldTime, List<Member> members) {
    public QueueState {
        members = List.copyOf(members);
    }

    /** A queue member; {@code status} is Asterisk's device state (1 not in use, 2 in use, 5 unavailable, ...). */
    public record Member(String name, String location, int status, boolean paused, boolean inCall) {}

    /** True when a warm transfer into this queue can expect an agent soon. */
    public boolean hasAvailableAgent() {
        return available > 0;
    }
}
