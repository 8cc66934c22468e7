package io.voicebot.api;

import java.nio.channels.FileChannel;
import java.util.Map;

/**
 * What the worker produced, written back on the event loop; {@code file} (opened by the worker) is sent
 * instead of {@code body} when set; {@code stream} is written by the worker itself.
 */
record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers, String route,
                 FileChannel file, ApiResponse.Streamed stream) {
    HttpReply(int status, String contentType, byte[] body, Map<String, String> headers, String route) {
        this(status, contentType, body, headers, route, null, null);
    }
}
