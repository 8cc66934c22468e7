package io.voicebot.api;

/**
 * A handler's answer: a status and a body, serialized as JSON when {@code contentType} is null (null body: no
 * content), or sent as UTF-8 text of that content type (the body is then a String).
 */
public record ApiResponse(int status, Object body, String contentType) {

    public ApiResponse {
        if (contentType != null && !(body instanceof String) && !(body instanceof java.nio.file.Path)) {
            throw new IllegalArgumentException("a " + contentType + " response needs a String or file body");
        }
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
