package io.voicebot.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One AMI message as received by the {@link AmiPeer}: the "Name: value" headers in wire order. Names repeat
 * (Originate's "Variable"), so this is a list, not a map; look-ups ignore case like Asterisk's astman_get_header.
 */
public record AmiMessage(List<Map.Entry<String, String>> headers) {
    public AmiMessage {
        headers = List.copyOf(headers);
    }

    /** The first value of {@code name}, or "" when absent (manager.c returns "" too). */
    public String get(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return "";
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.add(h.getValue());
            }
        }
        return out;
    }

    public String action() {
        return get("Action");
    }

    public boolean isAction(String name) {
        return action().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }
}
