package io.voicebot.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers requests under a static-file prefix ({@link HttpApi#serveFiles}, the web console): GET/HEAD only, the
 * bare prefix redirects to its folder so the pages' relative links resolve, and files go out with a strict
 * Content-Security-Policy. {@link HttpApiHandler} turns the answer into its reply.
 */
final class StaticFileReplies {
    /**
     * A status with a body, or with {@code error} set: the message of the JSON error body. {@code headers} is
     * mutable; {@code route} is the prefix, the label the request is counted under.
     */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers, String route,
                  String error) {}

    private StaticFileReplies() {
    }

    /** The answer when one of {@code files} covers {@code path}; null when none does. */
    static Answer answer(List<StaticFiles> files, String method, String path) {
        for (StaticFiles f : files) {
            if (f.covers(path)) {
                return answer(f, method, path);
            }
        }
        return null;
    }

    private static Answer answer(StaticFiles f, String method, String path) {
        Map<String, String> h = new HashMap<>();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            h.put("Allow", "GET, HEAD");
            return new Answer(405, null, null, h, f.prefix(), "method " + method + " not allowed on " + path);
        }
        if (path.equals(f.prefix())) {
            h.put("Location", f.prefix() + "/");
            return new Answer(301, null, new byte[0], h, f.prefix(), null);
        }
        StaticFiles.Asset a = f.find(path);
        if (a == null) {
            return new Answer(404, null, null, h, f.prefix(), "no such page: " + path);
        }
        // Only our own scripts; recordings play from blob: URLs fetched with the token.
        h.put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
                + "frame-ancestors 'none'");
        h.put("X-Content-Type-Options", "nosniff");
        // HEAD: the codec sends the head with this length and drops the body, as for /health.
        return new Answer(200, a.contentType(), a.body(), h, f.prefix(), null);
    }
}
