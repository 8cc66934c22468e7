package io.voicebot.api;

/** Handles one API request; runs on the API worker pool, so it may do JDBC. Throw {@link ApiException} to fail. */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
