package io.voicebot.qa;

import io.voicebot.store.CallStore;
import io.voicebot.store.QaStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rules on stored turns: what each kind flags, on which turn, and what it leaves alone. */
class QaCheckerTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final CallStore.CallRecord CALL = CallStore.CallRecord.started("c1", CallStore.Direction.OUTBOUND,
            "payment_reminder", null, "+12025550100", T).withId(1).ended(T.plusSeconds(60), "completed");

    private static CallStore.Turn turn(int seq, long atMs, int promptMs, String prompt, CallStore.InputMode mode,
                                       String heard, String intent, String note, String cutBy, String cutText) {
        return new CallStore.Turn(1, seq, prompt, heard, heard == null ? null : 1.0, intent, mode,
                T.plusMillis(atMs), promptMs, heard == null ? null : 1000, heard == null ? null : 2000, null,
                "step" + seq, note, cutBy, cutText);
    }

    private static QaRules rules(String yaml) throws QaRules.Invalid {
        return QaRules.parse("test", yaml);
    }

    @Test
    void aDisclosureCutByTheEndOfTheCallIsFlaggedAndOnePlayedInFullAnotherTimeIsNot() throws Exception {
        QaRules r = rules("rules: [{name: notice, kind: required_disclosure, text: 'This call is recorded.'}]");
        String notice = "Hello. This call is recorded for quality.";
        List<CallStore.Turn> cut = List.of(turn(1, 0, 4000, notice, CallStore.InputMode.NONE, null, null,
                "caller hung up in state PLAYING_DISCLOSURE", "hangup", notice));
        List<QaStore.Flag> flags = QaChecker.check(CALL, cut, r);
        assertEquals(1, flags.size());
        assertEquals(1, flags.get(0).turnSeq());
        assertEquals("disclosure \"This call is recorded.\" was cut short: the call ended during it",
                flags.get(0).detail());
        List<CallStore.Turn> replayed = List.of(cut.get(0), turn(2, 5000, 4000, notice, CallStore.InputMode.NONE,
                null, null, "non-interruptible prompt played in full", null, null));
        assertEquals(List.of(), QaChecker.check(CALL, replayed, r));
        assertEquals(List.of(new QaStore.Flag("notice", "required_disclosure", null,
                "disclosure \"This call is recorded.\" was never played")), QaChecker.check(CALL, List.of(
                turn(1, 0, 1000, "Hello.", CallStore.InputMode.SPEECH, "yes", "yes", "accepted", null, null)), r));
        // an answering machine is owed no disclosure
        assertEquals(List.of(), QaChecker.check(CALL.ended(T, "machine"), cut, r));
        // a rule for another dialog does not apply
        assertEquals(List.of(), QaChecker.check(CALL, cut, rules("rules: [{name: notice, kind: required_disclosure,"
                + " text: 'This call is recorded', dialogs: [hotline]}]")));
    }

    @Test
    void phrasesSilencesAndRunsOfNoMatch() throws Exception {
        QaRules r = rules("""
                rules:
                  - {name: promises, kind: prohibited_phrase, phrases: ["guaranteed"]}
                  - {name: complaint, kind: caller_words, phrases: ["supervisor"]}
                  - {name: dead_air, kind: long_silence, max_ms: 8000}
                  - {name: lost, kind: repeated_no_match, count: 3}
                """);
        List<CallStore.Turn> turns = List.of(
                turn(1, 0, 3000, "Your rate is Guaranteed!", CallStore.InputMode.SPEECH, "um", null, "no match", null,
                        null),
                turn(2, 6000, 3000, "Sorry?", CallStore.InputMode.SPEECH, "uh", null, "no match", null, null),
                // 6000 - 3000 - 1000 ms of speech: 2 s, fine; then 20 s after the third prompt
                turn(3, 12000, 3000, "Sorry?", CallStore.InputMode.SPEECH, "hm", null, "no match", null, null),
                turn(4, 35000, 3000, "Sorry?", CallStore.InputMode.SPEECH, "get me a supervisor", "agent",
                        "global intent", null, null));
        List<QaStore.Flag> flags = QaChecker.check(CALL, turns, r);
        assertEquals(List.of(
                new QaStore.Flag("promises", "prohibited_phrase", 1,
                        "the robot said \"guaranteed\": \"Your rate is Guaranteed!\""),
                new QaStore.Flag("complaint", "caller_words", 4,
                        "the caller said \"supervisor\": \"get me a supervisor\""),
                new QaStore.Flag("dead_air", "long_silence", 3,
                        "19000 ms without speech after the prompt (more than 8000 ms)"),
                new QaStore.Flag("lost", "repeated_no_match", 3, "3 answers in a row not understood")), flags);
    }
}
