package io.voicebot.sim;

import java.util.Map;

/**
 * A call the {@link AmiPeer} answered after an Originate: what a demo needs to start the AGI leg into voicebot
 * (the dialled number, the channel and uniqueid Asterisk would use, the dialplan target and channel variables).
 */
public record OriginatedCall(String number, String channel, String uniqueId, String context, String exten,
                             int priority, String callerId, Map<String, String> variables) {
    public OriginatedCall {
        variables = Map.copyOf(variables);
    }
}
