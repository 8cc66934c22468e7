package io.voicebot.telephony.ami;

import java.util.Locale;
import java.util.Map;

/**
 * An AMI event outside this package: Asterisk's event name ("Hangup", "Newchannel", "DialEnd", ...) and its
 * fields. {@link #get} ignores case, '-' and '_', so both "Cause-txt" and "CauseTxt" find the same field.
 */
public record AmiEvent(String name, Map<String, String> fields) {
    public AmiEvent {
        fields = Map.copyOf(fields);
    }

    /** The field's value, or null. */
    public String get(String field) {
        String key = normalize(field);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (normalize(e.getKey()).equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String normalize(String field) {
        return field.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
