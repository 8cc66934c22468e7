package io.voicebot.campaign;

import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.DialQueueStore.EntryState;
import io.voicebot.store.DialQueueStore.Next;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What happens to a contact after an attempt: done (the dialog reached an end that needs no more calls), a retry
 * after the campaign's delay for that outcome, a callback at the time the person asked for, or exhausted when the
 * attempts are used up. Pure; the gate still checks the window and caps when the retry comes due.
 */
final class Settlement {
    /** Outcomes after which the contact is not called again by this campaign. */
    static final Set<String> FINAL = Set.of("completed", "partial", "transferred", "opted_out", "wrong_person",
            "voicemail");
    /** Callbacks are honoured beyond max_attempts (the person asked for them), up to this many extra attempts. */
    static final int EXTRA_CALLBACKS = 2;
    /** A callback sooner than this or further away than this is not a usable time: the retry policy decides. */
    static final Duration CALLBACK_MIN = Duration.ofMinutes(1);
    static final Duration CALLBACK_MAX = Duration.ofDays(30);

    private Settlement() {}

    /**
     * {@code attemptNo}: the attempt that just ended; {@code callbackAt}: the time a callback step scheduled during
     * the call, or null.
     */
    static Next next(Campaign campaign, String outcome, int attemptNo, Instant callbackAt, Instant now) {
        String o = outcome == null ? "failed" : outcome;
        if (FINAL.contains(o)) {
            return new Next(EntryState.DONE, now, null, "ended with " + o);
        }
        if (o.equals("callback_requested")) {
            boolean usable = callbackAt != null && !callbackAt.isBefore(now.plus(CALLBACK_MIN))
                    && callbackAt.isBefore(now.plus(CALLBACK_MAX))
                    && (campaign.endsAt() == null || callbackAt.isBefore(campaign.endsAt()));
            if (usable && attemptNo < campaign.maxAttempts() + EXTRA_CALLBACKS) {
                return new Next(EntryState.PENDING, callbackAt, "callback", "callback requested for " + callbackAt);
            }
            if (attemptNo >= campaign.maxAttempts()) {
                return new Next(EntryState.EXHAUSTED, now, null, "callback requested but no attempts are left");
            }
            Instant at = now.plus(campaign.retryDelay());
            return new Next(EntryState.PENDING, at, "retry", "callback requested "
                    + (callbackAt == null ? "without a usable time" : "for an unusable time " + callbackAt)
                    + "; retry after " + campaign.retryDelay());
        }
        if (attemptNo >= campaign.maxAttempts()) {
            return new Next(EntryState.EXHAUSTED, now, null, "all " + campaign.maxAttempts()
                    + " attempts used; last ended " + o);
        }
        Duration delay = campaign.retryDelayFor(o);
        return new Next(EntryState.PENDING, now.plus(delay), "retry", o + ": retry after " + delay);
    }
}
