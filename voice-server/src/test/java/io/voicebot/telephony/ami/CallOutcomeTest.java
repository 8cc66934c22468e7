package io.voicebot.telephony.ami;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallOutcomeTest {

    @ParameterizedTest(name = "reason {0}, dial status {1}, cause {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        "4, ANSWER, -, ANSWERED",
        "4, -, 16, ANSWERED",
        "5, BUSY, 17, BUSY",
        "0, -, 17, BUSY",
        "3, CANCEL, 16, NO_ANSWER",
        "3, NOANSWER, 19, NO_ANSWER",
        "8, CONGESTION, 34, CONGESTION",
        "0, CHANUNAVAIL, -, FAILED",
        "0, -, -, FAILED",
        "1, NOANSWER, 21, REJECTED",
        "1, -, 16, REJECTED",
        "0, DONTCALL, -, REJECTED",
        "-, BUSY, -, BUSY",
        "-, -, -, FAILED"})
    void resolvesFromReasonDialStatusAndCause(Integer reason, String dialStatus, Integer cause, CallOutcome expected) {
        assertEquals(expected, CallOutcome.resolve(reason, dialStatus, cause));
    }

    @Test
    void requestRejectsHeaderInjectionAndBadNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OriginateRequest.toNumber(
                "PJSIP/${number}@trunk", "555 1234", "ctx", "", Duration.ofSeconds(30), "a"));
        assertTrue(e.getMessage().contains("phone number"), e.getMessage());
        assertFalse(e.getMessage().contains("555 1234"), "number must be masked: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OriginateRequest("PJSIP/1@t", "ctx\r\nAction: Hangup",
                "s", 1, "", Duration.ofSeconds(1), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> OriginateRequest.toNumber("PJSIP/${number}@trunk",
                "5551234", "ctx", "", Duration.ofSeconds(30), "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> new OriginateRequest("nochannel", "ctx", "s", 1, "",
                Duration.ofSeconds(1), Map.of()));
        OriginateRequest ok = OriginateRequest.toNumber("PJSIP/${number}@trunk", "+15551234567", "ctx",
                "Voicebot <0000>", Duration.ofSeconds(30), "attempt-1").withVariable("VOICEBOT_CAMPAIGN", "c1");
        assertEquals("PJSIP/+15551234567@trunk", ok.channel());
        assertEquals(Map.of("VOICEBOT_ATTEMPT", "attempt-1", "VOICEBOT_CAMPAIGN", "c1"), ok.variables());
        assertFalse(ok.toString().contains("15551234567"), ok.toString());
    }
}
