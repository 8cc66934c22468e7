package io.voicebot.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ends a request with this HTTP status and a JSON {"error": message, "status": N} body; {@link #details()} are
 * extra fields of that body (e.g. "problems": every problem of a rejected upload).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> details;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, Object> details) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 4xx or 5xx, got " + status);
        }
        if (details.containsKey("error") || details.containsKey("status")) {
            throw new IllegalArgumentException("details may not replace the error or status field");
        }
        this.status = status;
        this.details = new LinkedHashMap<>(details);
    }

    public int status() {
        return status;
    }

    /** Extra fields of the error body, in order. */
    public Map<String, Object> details() {
        return Map.copyOf(details);
    }

    /** Keeps the insertion order of {@link #details()} for the response body. */
    Map<String, Object> orderedDetails() {
        return details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** A 400 whose body lists every problem, e.g. each "file: step 'id': field: what" of a rejected script. */
    public static ApiException invalid(String message, List<String> problems) {
        return new ApiException(400, message, Map.of("problems", List.copyOf(problems)));
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
