package io.voicebot.sim;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process stand-in for Asterisk's FastAGI client (res_agi.c): each {@link #placeCall} opens a TCP
 * connection to voicebot's FastAGI port, sends the environment and answers commands like Asterisk would.
 */
public final class AgiPeer {
    private final String host;
    private final int port;
    private final AtomicLong sequence = new AtomicLong(1);
    private volatile Map<String, Integer> sounds = Map.of();
    private final long epoch = System.currentTimeMillis() / 1000;

    public AgiPeer(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sound files STREAM FILE can find, with their length in samples; any other file is missing (-1). */
    public AgiPeer withSounds(Map<String, Integer> sounds) {
        this.sounds = Map.copyOf(sounds);
        return this;
    }

    /**
     * Starts a call that runs AGI(agi://host:port/&lt;script&gt;): e.g. script "/inbound?line=hotline".
     *
     * @param vars     channel variables set before the AGI starts (e.g. VOICEBOT_ATTEMPT)
     * @param callerId the caller's number (agi_callerid), or null for "unknown"
     */
    public SimulatedCall placeCall(String script, Map<String, String> vars, String callerId) throws IOException {
        return placeCall(script, vars, callerId, List.of());
    }

    /** As {@link #placeCall(String, Map, String)} with AGI application arguments (agi_arg_1..N). */
    public SimulatedCall placeCall(String script, Map<String, String> vars, String callerId, List<String> args)
            throws IOException {
        long n = sequence.getAndIncrement();
        String uniqueId = epoch + "." + n;
        String channel = String.format("PJSIP/trunk-%08x", n);
        return SimulatedCall.start(host, port, script, vars, callerId, args, uniqueId, channel, sounds, c -> { });
    }

    /** As {@link #placeCall(String, Map, String)}; {@code setup} runs before the call reaches voicebot. */
    public SimulatedCall placeCall(String script, Map<String, String> vars, String callerId,
                                   java.util.function.Consumer<SimulatedCall> setup) throws IOException {
        long n = sequence.getAndIncrement();
        return SimulatedCall.start(host, port, script, vars, callerId, List.of(), epoch + "." + n,
                String.format("PJSIP/trunk-%08x", n), sounds, setup);
    }
}
