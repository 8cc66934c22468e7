package io.voicebot.telephony.ami;

import io.voicebot.log.PhoneMask;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An outbound call to place: Asterisk dials {@code channel} (e.g. "PJSIP/5551234@trunk") for at most
 * {@code timeout}, and on answer runs the dialplan at {@code context}/{@code exten}/{@code priority}, where the
 * {@code variables} are set on the channel (VOICEBOT_ATTEMPT and friends).
 */
public record OriginateRequest(String channel, String context, String exten, int priority, String callerId,
                               Duration timeout, Map<String, String> variables) {

    /** Variable carrying the campaign attempt id into the dialplan and the AGI session. */
    public static final String ATTEMPT_VARIABLE = "VOICEBOT_ATTEMPT";

    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_()]*");

    public OriginateRequest {
        requireLine("channel", channel);
        if (channel.indexOf('/') <= 0 || channel.endsWith("/")) {
            throw new IllegalArgumentException("originate channel '" + PhoneMask.mask(channel)
                    + "' must look like TECH/resource, e.g. PJSIP/5551234@trunk");
        }
        requireLine("context", context);
        requireLine("exten", exten);
        if (priority < 1) {
            throw new IllegalArgumentException("originate priority must be >= 1, was " + priority);
        }
        if (callerId == null) {
            callerId = "";
        }
        noLineBreak("callerId", callerId);
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMinutes() > 10) {
            throw new IllegalArgumentException("originate timeout must be between 1 ms and 10 minutes, was " + timeout);
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (!VARIABLE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("originate variable name '" + e.getKey() + "' is not valid");
            }
            String v = e.getValue() == null ? "" : e.getValue();
            noLineBreak("variable " + e.getKey(), v);
            // Asterisk splits one Variable header at ',' into several assignments
            if (v.indexOf(',') >= 0) {
                throw new IllegalArgumentException("originate variable " + e.getKey() + " must not contain ','");
            }
            vars.put(e.getKey(), v);
        }
        variables = Collections.unmodifiableMap(vars);
    }

    /**
     * The usual campaign call: {@code trunkTemplate} with ${number} replaced (campaign.trunk.template), into
     * {@code context} at exten "s" priority 1, with VOICEBOT_ATTEMPT set.
     */
    public static OriginateRequest toNumber(String trunkTemplate, String number, String context, String callerId,
                                            Duration timeout, String attemptId) {
        if (number == null || !NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException("phone number '" + PhoneMask.mask(number)
                    + "' must be 1-32 digits, '*' or '#', optionally after '+'");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put(ATTEMPT_VARIABLE, attemptId);
        return new OriginateRequest(trunkTemplate.replace("${number}", number), context, "s", 1, callerId, timeout,
                vars);
    }

    public OriginateRequest withVariable(String name, String value) {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        vars.put(name, value);
        return new OriginateRequest(channel, context, exten, priority, callerId, timeout, vars);
    }

    /** The channel with the dialled number masked, for logs. */
    public String maskedChannel() {
        return PhoneMask.mask(channel);
    }

    @Override
    public String toString() {
        return "OriginateRequest[channel=" + maskedChannel() + ", context=" + context + ", exten=" + exten
                + ", priority=" + priority + ", timeout=" + timeout + ", variables=" + variables.keySet() + "]";
    }

    private static void requireLine(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("originate " + field + " must not be empty");
        }
        noLineBreak(field, value);
    }

    /** A CR or LF would end the AMI header and let the value inject headers or actions. */
    static void noLineBreak(String field, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(field + " must not contain a line break");
        }
    }
}
