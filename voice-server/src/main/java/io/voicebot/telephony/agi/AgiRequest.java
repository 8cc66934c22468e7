package io.voicebot.telephony.agi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment Asterisk sends when a FastAGI session starts (res_agi.c launch_netscript + setup_env).
 *
 * @param script     the routed path with a leading '/', e.g. "/inbound" for AGI(agi://host/inbound?line=x)
 * @param parameters query parameters of agi_network_script, URL-decoded, in order
 * @param env        every agi_* line with the "agi_" prefix kept, in order
 * @param args       agi_arg_1..N in order
 */
public record AgiRequest(String script, Map<String, String> parameters, Map<String, String> env, List<String> args) {

    /** res_agi.c's AGI_BUF_LEN; no line Asterisk sends is longer. */
    public static final int MAX_LINE = 8192;
    /** setup_env writes 20 lines plus the arguments (at most MAX_ARGS 128). */
    public static final int MAX_LINES = 200;

    public AgiRequest {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        args = List.copyOf(args);
    }

    public String uniqueId() {
        return env.getOrDefault("agi_uniqueid", "");
    }

    public String channel() {
        return env.getOrDefault("agi_channel", "");
    }

    /** Caller number; Asterisk sends "unknown" when there is none. */
    public String callerId() {
        return env.getOrDefault("agi_callerid", "unknown");
    }

    public String callerIdName() {
        return env.getOrDefault("agi_calleridname", "unknown");
    }

    public String dnid() {
        return env.getOrDefault("agi_dnid", "unknown");
    }

    public String context() {
        return env.getOrDefault("agi_context", "");
    }

    public String extension() {
        return env.getOrDefault("agi_extension", "");
    }

    public String request() {
        return env.getOrDefault("agi_request", "");
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * Parses the environment lines (without the terminating blank line).
     *
     * @throws AgiProtocolException naming the offending line number and text
     */
    public static AgiRequest parse(List<String> lines) throws AgiProtocolException {
        Map<String, String> env = new LinkedHashMap<>();
        TreeMap<Integer, String> argsByIndex = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(": ");
            if (!line.startsWith("agi_") || colon < 0) {
                throw new AgiProtocolException("environment line " + (i + 1) + " is not 'agi_<name>: <value>': '"
                        + AgiReply.abbreviate(line) + "'");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            env.put(key, value);
            if (key.startsWith("agi_arg_")) {
                try {
                    argsByIndex.put(Integer.parseInt(key.substring("agi_arg_".length())), value);
                } catch (NumberFormatException e) {
                    throw new AgiProtocolException("environment line " + (i + 1) + ": bad argument name '" + key + "'");
                }
            }
        }
        if (!env.containsKey("agi_request")) {
            throw new AgiProtocolException("environment has no agi_request line (" + lines.size() + " lines)");
        }
        // agi_network_script is the URL part after "host[:port]/"; absent when the URL had no path.
        String netScript = env.getOrDefault("agi_network_script", "");
        String path = netScript;
        String query = "";
        int q = netScript.indexOf('?');
        if (q >= 0) {
            path = netScript.substring(0, q);
            query = netScript.substring(q + 1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(k, v);
            } catch (IllegalArgumentException e) {
                throw new AgiProtocolException("agi_network_script has a malformed query parameter '" + pair + "'");
            }
        }
        List<String> args = new ArrayList<>(argsByIndex.values());
        return new AgiRequest("/" + path, params, env, args);
    }
}
