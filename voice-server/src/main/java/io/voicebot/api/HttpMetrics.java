package io.voicebot.api;

import io.voicebot.metrics.Metrics;

/**
 * The HTTP families: requests and handling time by method, route template and status class. The route is the
 * template ("/api/calls/{uuid}"), never the raw path, or a fixed word for a request no route took ("unmatched",
 * "invalid", "busy", "error"), so the label set stays bounded whatever clients send.
 */
final class HttpMetrics {
    private final Metrics.Counter requests;
    private final Metrics.Histogram seconds;

    HttpMetrics(Metrics metrics) {
        requests = metrics.counter("voicebot_http_requests_total",
                "HTTP requests by method, route template and status class", "method", "route", "status");
        seconds = metrics.histogram("voicebot_http_request_seconds",
                "HTTP request handling time by method, route template and status class", Metrics.SECONDS,
                "method", "route", "status");
    }

    /** {@code routeKey}: "METHOD /template" of the matched route, or a fixed word; {@code startNanos} 0: untimed. */
    void record(String routeKey, int status, long startNanos) {
        if (routeKey == null) {
            routeKey = "unmatched";
        }
        int sp = routeKey.indexOf(' ');
        String method = sp < 0 ? "none" : routeKey.substring(0, sp);
        String route = sp < 0 ? routeKey : routeKey.substring(sp + 1);
        String statusClass = (status / 100) + "xx";
        requests.incLabels(method, route, statusClass);
        if (startNanos != 0) {
            seconds.observe((System.nanoTime() - startNanos) / 1e9, method, route, statusClass);
        }
    }
}
