package io.voicebot.sim;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places calls on a voicebot server the way the dialplan of dialplans/extensions_voicebot.conf does: a FastAGI
 * connection to /inbound or /outbound whose audiosocket= parameter tells voicebot where the (simulated)
 * Asterisk reaches its AudioSocket port; the {@link SimulatedCaller} talks on that leg. Works against an
 * embedded server ({@link Simulation}) or a remote one ({@code voicebot simulate-call --server}).
 */
public final class CallPlacer {
    private static final Pattern AUDIOSOCKET_EXEC = Pattern.compile("EXEC \"AudioSocket\" \"([0-9a-fA-F-]{36}),");

    /** A call whose AGI session has ended: voicebot's call id and what the dialplan got back. */
    public record Placed(UUID id, SimulatedCall.Result agi) {}

    private final AgiPeer agi;
    private final String audioSocketAddress;

    public CallPlacer(String host, int agiPort, int audioSocketPort) {
        this.agi = new AgiPeer(host, agiPort);
        this.audioSocketAddress = host + ":" + audioSocketPort;
    }

    /** An inbound call to {@code line} (the dialog of that name) from {@code callerId}; {@code vars} as AGI parameters. */
    public SimulatedCall inbound(String line, Map<String, String> vars, String callerId, SimulatedCaller caller)
            throws IOException {
        return place("/inbound?line=" + encode(line), vars, callerId, caller);
    }

    /** An outbound call the dialplan started with a dialog name and contact variables (no campaign). */
    public SimulatedCall outbound(String dialog, Map<String, String> vars, String number, SimulatedCaller caller)
            throws IOException {
        return place("/outbound?dialog=" + encode(dialog) + "&number=" + encode(number), vars, number, caller);
    }

    /** The voicebot-outbound context after an originated call for a stored attempt was answered. */
    public SimulatedCall attempt(String attemptId, String callerId, SimulatedCaller caller) throws IOException {
        if (attemptId == null || attemptId.isBlank()) {
            throw new IllegalArgumentException("the answered channel carries no call attempt id");
        }
        return place("/outbound?attempt=" + encode(attemptId), Map.of(), callerId, caller);
    }

    private SimulatedCall place(String script, Map<String, String> vars, String callerId, SimulatedCaller caller)
            throws IOException {
        StringBuilder s = new StringBuilder(script);
        vars.forEach((k, v) -> s.append('&').append(encode(k)).append('=').append(encode(v)));
        s.append("&audiosocket=").append(audioSocketAddress);
        return agi.placeCall(s.toString(), Map.of(), callerId, caller::attach);
    }

    /** Waits for the AGI session to end; the call id is the one voicebot gave EXEC AudioSocket. */
    public Placed await(SimulatedCall call, Duration timeout) throws TimeoutException, InterruptedException {
        SimulatedCall.Result result = call.awaitEnd(timeout);
        UUID id = call.commands().stream().map(AUDIOSOCKET_EXEC::matcher).filter(Matcher::find)
                .map(m -> UUID.fromString(m.group(1))).findFirst()
                .orElseThrow(() -> new IllegalStateException("voicebot never ran AudioSocket"
                        + (result.variables().containsKey("VOICEBOT_ERROR") ? ": "
                        + result.variables().get("VOICEBOT_ERROR") : "; AGI commands: " + call.commands())));
        return new Placed(id, result);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
