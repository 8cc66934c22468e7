package io.voicebot.sim;

import java.util.List;

/**
 * Queue state the {@link AmiPeer} reports through QueueSummary and QueueStatus, in app_queue.c's terms.
 * Member status is Asterisk's device state: 0 unknown, 1 not in use, 2 in use, 3 busy, 4 invalid,
 * 5 unavailable, 6 ringing.
 */
public record AmiQueue(String name, String strategy, int max, int holdTime, int talkTime, int completed,
                       int abandoned, int serviceLevel, int weight, List<Member> members, List<Caller> callers) {

    public record Member(String name, String location, int status, boolean paused, boolean inCall) {}

    public record Caller(String channel, String uniqueId, String callerIdNum, String callerIdName, long waitSeconds) {}

    public AmiQueue {
        members = List.copyOf(members);
        callers = List.copyOf(callers);
    }

    public static AmiQueue of(String name, int holdTime, List<Member> members, List<Caller> callers) {
        return new AmiQueue(name, "ringall", 0, holdTime, 0, 0, 0, 0, 0, members, callers);
    }

    /** app_queue.c counts a member as logged in unless its device is unavailable or invalid. */
    int loggedIn() {
        return (int) members.stream().filter(m -> m.status() != 5 && m.status() != 4).count();
    }

    /** ... and as available when logged in, not paused and its device is not in use or unknown. */
    int available() {
        return (int) members.stream()
                .filter(m -> m.status() != 5 && m.status() != 4)
                .filter(m -> (m.status() == 1 || m.status() == 0) && !m.paused())
                .count();
    }

    long longestHoldTime() {
        return callers.stream().mapToLong(Caller::waitSeconds).max().orElse(0);
    }
}
