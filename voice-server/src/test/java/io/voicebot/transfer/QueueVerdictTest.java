package io.voicebot.transfer;

import io.voicebot.telephony.ami.QueueState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-over decision from a queue's state, and the summary's spoken form. */
class QueueVerdictTest {
    private static final Duration LIMIT = Duration.ofSeconds(300);

    private static QueueState state(int loggedIn, int available, int waiting, int holdS) {
        return new QueueState("q", loggedIn, available, waiting, Duration.ofSeconds(holdS), Duration.ZERO, List.of());
    }

    @Test
    void freeAgentAndShortWaitHandsOver() {
        QueueCheck c = TransferDesk.verdict("q", state(2, 2, 1, 40), LIMIT);
        assertEquals(QueueCheck.Verdict.HAND_OVER, c.verdict());
        assertEquals(0, c.expectedWaitS());
        assertEquals("less than a minute", c.spokenWait());
        QueueCheck busy = TransferDesk.verdict("q", state(3, 1, 2, 50), LIMIT);
        assertEquals(QueueCheck.Verdict.HAND_OVER, busy.verdict());
        assertEquals(150, busy.expectedWaitS());
        assertEquals("about 3 minutes", busy.spokenWait());
    }

    @Test
    void nobodyLoggedInPausedOrWaitTooLongOffersCallback() {
        QueueCheck none = TransferDesk.verdict("q", state(0, 0, 0, 0), LIMIT);
        assertEquals(QueueCheck.Verdict.NOBODY, none.verdict());
        assertEquals("no agent logged in to q", none.reason());
        QueueCheck paused = TransferDesk.verdict("q", state(2, 0, 0, 0), LIMIT);
        assertEquals(QueueCheck.Verdict.NOBODY, paused.verdict());
        assertTrue(paused.reason().contains("all busy or paused"), paused.reason());
        QueueCheck slow = TransferDesk.verdict("q", state(1, 1, 9, 60), LIMIT);
        assertEquals(QueueCheck.Verdict.NOBODY, slow.verdict());
        assertEquals("expected wait 600 s is over the limit of 300 s", slow.reason());
        assertEquals(QueueCheck.Verdict.UNCHECKED, TransferDesk.verdict("q", null, LIMIT).verdict());
    }

    @Test
    void summaryIsShortSpokenTextWithoutTheFullNumber() {
        String s = TransferSummary.of("payment_reminder", "Ann \"Lee\"", "+1 555 010-0001", "needs_agent",
                Map.of("identity_confirmed", "yes"));
        assertEquals("Ann Lee, number ending 0 0 0 1, from the payment reminder call. Reason: needs agent. "
                + "Collected: identity confirmed yes.", s);
        assertEquals("Caller, from the hotline call. Reason: caller asked for an agent.",
                TransferSummary.of("hotline", null, null, null, Map.of()));
    }
}
