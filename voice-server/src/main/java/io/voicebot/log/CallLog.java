package io.voicebot.log;

import org.slf4j.MDC;

/** The call id on every log line of a call: {@code try (var ignored = CallLog.call(id)) { ... }}. */
public final class CallLog implements AutoCloseable {
    public static final String KEY = "call";

    private final String previous;

    private CallLog(String callId) {
        previous = MDC.get(KEY);
        MDC.put(KEY, callId);
    }

    public static CallLog call(String callId) {
        return new CallLog(callId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
