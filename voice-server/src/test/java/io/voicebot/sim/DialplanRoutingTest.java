package io.voicebot.sim;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where dialplans/extensions_voicebot.conf sends a call after the AGI, as the simulator reports it. */
class DialplanRoutingTest {
    private static String next(boolean outbound, Map<String, String> vars) {
        return new SimulatedCall.Result("SUCCESS", false, vars, outbound).dialplanNext();
    }

    @Test
    void inboundGoesToTheAgentsUnlessVoicebotSaysHangup() {
        assertEquals("queue:voicebot-agents", next(false, Map.of()), "voicebot down: the caller still reaches agents");
        assertEquals("queue:voicebot-agents", next(false, Map.of("VOICEBOT_NEXT", "queue", "VOICEBOT_QUEUE", "")));
        assertEquals("queue:card-services", next(false, Map.of("VOICEBOT_NEXT", "queue",
                "VOICEBOT_QUEUE", "card-services")));
        assertEquals("hangup", next(false, Map.of("VOICEBOT_NEXT", "hangup")));
    }

    @Test
    void outboundHangsUpUnlessVoicebotSaysQueue() {
        // A failed outbound call (VOICEBOT_ERROR, no VOICEBOT_NEXT) ends in voicebot-outbound's Hangup().
        assertEquals("hangup", next(true, Map.of("VOICEBOT_ERROR", "unknown attempt", "VOICEBOT_QUEUE", "")));
        assertEquals("hangup", next(true, Map.of("VOICEBOT_NEXT", "hangup")));
        assertEquals("queue:collections", next(true, Map.of("VOICEBOT_NEXT", "queue", "VOICEBOT_QUEUE", "collections")));
        assertEquals("hangup", new SimulatedCall.Result("HANGUP", true, Map.of("VOICEBOT_NEXT", "queue"), true)
                .dialplanNext(), "the caller hung up");
    }
}
