package io.voicebot.api;

/**
 * A handler's answer: a status and a body, serialized as JSON when {@code contentType} is null (null body: no
 * content), or sent as UTF-8 text of that content type (the body is then a String), or streamed in chunks as the
 * {@link Streamed} body writes it.
 */
public record ApiResponse(int status, Object body, String contentType) {

    /**
     * A body too large to hold: written to {@code out} on the API worker thread while the client reads it
     * (chunked transfer encoding), with at most two chunks buffered. An IOException from {@code out} means the
     * client went away; any failure after the first chunk ends the connection, so the client sees a cut body.
     */
    public interface Streamed {
        void writeTo(java.io.OutputStream out) throws Exception;

        /** Called instead of {@link #writeTo} when the body will never be written (say the connection closed). */
        default void abandon() {
        }
    }

    public ApiResponse {
        if (contentType != null && !(body instanceof String) && !(body instanceof Streamed)
                && !(body instanceof java.nio.file.Path)) {
            throw new IllegalArgumentException("a " + contentType + " response needs a String, Streamed or file body");
        }
    }

    /** 200 with a body written as it is produced (a CSV export). */
    public static ApiResponse streamed(String contentType, Streamed body) {
        return new ApiResponse(200, body, contentType);
    }

    public ApiResponse(int status, Object body) {
        this(status, body, null);
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }

    /** 200 with the file's bytes as the body, sent from the file as it is read (a recording). */
    public static ApiResponse file(String contentType, java.nio.file.Path file) {
        return new ApiResponse(200, file, contentType);
    }

    /** 200 with {@code text} as the body, e.g. a dialog script as application/yaml. */
    public static ApiResponse text(String contentType, String text) {
        return new ApiResponse(200, text, contentType);
    }
}
