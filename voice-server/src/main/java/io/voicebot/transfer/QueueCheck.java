package io.voicebot.transfer;

/**
 * What voicebot found out about the target queue before handing a caller over. {@code verdict}: HAND_OVER (an
 * agent is free and the expected wait is within the limit), NOBODY (no free agent, or the wait is too long: offer a
 * callback), UNCHECKED (AMI off, not connected, no answer, or a queue Asterisk does not report: hand over as before,
 * the dialplan's own fallbacks apply). The counts are null when unknown.
 */
public record QueueCheck(String queue, Verdict verdict, Integer loggedIn, Integer available, Integer waiting,
                         Integer expectedWaitS, String reason) {
    public enum Verdict { HAND_OVER, NOBODY, UNCHECKED }

    /** "about two minutes", "less than a minute": the wait as the caller hears it. */
    public String spokenWait() {
        int s = expectedWaitS == null ? 0 : expectedWaitS;
        if (s < 60) {
            return "less than a minute";
        }
        int m = (s + 30) / 60;
        return m == 1 ? "about one minute" : "about " + m + " minutes";
    }
}
