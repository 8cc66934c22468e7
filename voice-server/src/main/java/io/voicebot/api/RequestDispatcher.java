package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.Role;
import io.voicebot.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One request to its reply, on a worker thread: the fixed paths (health, readiness, metrics, the API description),
 * static files, then the route with its token check, the handler and the audit entry; every failure becomes a JSON
 * error (503 with Retry-After while the database is down). {@link HttpApiHandler} owns the connection around it.
 */
final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;
    private final ApiAuth auth;
    private final Metrics metrics;
    private final HealthChecks health;
    private final ObjectMapper json;
    private final ApiAudit audit; // null: changes are not audited (unit tests of the pipeline)

    RequestDispatcher(Router router, ApiAuth auth, Metrics metrics, HealthChecks health, ObjectMapper json,
                      ApiAudit audit) {
        this.router = router;
        this.auth = auth;
        this.metrics = metrics;
        this.health = health;
        this.json = json;
        this.audit = audit;
    }

    HttpReply handle(String method, String uri, Map<String, String> headers, byte[] body, Path bodyFile) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        String path = q.path();
        if (ApiDescription.FIXED_PATHS.contains(path)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                HttpReply r = error(405, "method " + method + " not allowed on " + path, "unmatched");
                r.headers().put("Allow", "GET, HEAD");
                return r;
            }
            return switch (path) {
                case "/health" -> health();
                case "/ready" -> ready();
                case "/metrics" -> new HttpReply(200, Metrics.CONTENT_TYPE,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8), new HashMap<>(), "GET " + path);
                case "/openapi.json" -> new HttpReply(200, "application/json", ApiDescription.json(), new HashMap<>(),
                        "GET " + path);
                default -> new HttpReply(200, "text/html; charset=utf-8", ApiDescription.page(), new HashMap<>(),
                        "GET " + path);
            };
        }
        StaticFileReplies.Answer staticFile = StaticFileReplies.answer(router.files, method, path);
        if (staticFile != null) {
            return reply(staticFile);
        }
        Router.Match m = router.find(method, path);
        if (m.route() == null) {
            if (m.allowed().isEmpty()) {
                return error(404, "no such resource: " + path, "unmatched");
            }
            HttpReply r = error(405, "method " + method + " not allowed on " + path, "unmatched");
            r.headers().put("Allow", String.join(", ", m.allowed()));
            return r;
        }
        String route = m.route().method() + " " + m.route().pattern();
        // a route without a role is public (the agent page's static files); everything else needs a token
        ApiAuth.Verdict verdict = m.route().role() == null
                ? new ApiAuth.Verdict(new Principal(0, "anonymous", Role.AGENT), 0, null, null)
                : auth.check(headers.get("authorization"), method, path, m.route().role());
        if (!verdict.allowed()) {
            HttpReply r = error(verdict.status(), verdict.message(), route);
            if (verdict.challenge() != null) {
                r.headers().put("WWW-Authenticate", verdict.challenge());
            }
            return r;
        }
        Principal who = verdict.principal();
        if (m.route().upload() != (bodyFile != null)) {
            // An upload route's body arrives through UploadSpooler; any other route's through the aggregator.
            throw new IllegalStateException("route " + route + " got its body the wrong way");
        }
        ApiRequest request = new ApiRequest(method, path, m.params(), q.parameters(), headers, body, bodyFile, who,
                json);
        try {
            ApiResponse resp = m.route().handler().handle(request);
            if (audit != null) {
                audit.changed(who, method, path, route, m.params(), resp);
            }
            if (resp.body() instanceof Path file) {
                try {
                    return new HttpReply(resp.status(), resp.contentType(), new byte[0], new HashMap<>(), route,
                            java.nio.channels.FileChannel.open(file), null);
                } catch (IOException e) {
                    return error(404, "cannot read " + file.getFileName() + ": " + e.getMessage(), route);
                }
            }
            if (resp.body() instanceof ApiResponse.Streamed st) {
                return new HttpReply(resp.status(), resp.contentType() + "; charset=utf-8", new byte[0], new HashMap<>(),
                        route, null, st);
            }
            if (resp.contentType() != null) {
                return new HttpReply(resp.status(), resp.contentType() + "; charset=utf-8",
                        ((String) resp.body()).getBytes(StandardCharsets.UTF_8), new HashMap<>(), route);
            }
            byte[] out = resp.body() == null ? new byte[0] : json.writeValueAsBytes(resp.body());
            return new HttpReply(resp.status(), resp.body() == null ? null : "application/json", out, new HashMap<>(),
                    route);
        } catch (ApiException e) {
            HttpReply r = error(e.status(), e.getMessage(), route);
            if (!e.orderedDetails().isEmpty()) {
                ObjectNode n = json.createObjectNode();
                n.put("error", e.getMessage());
                n.put("status", e.status());
                e.orderedDetails().forEach((k, v) -> n.set(k, json.valueToTree(v)));
                return new HttpReply(r.status(), r.contentType(), bytes(n), r.headers(), route);
            }
            return r;
        } catch (StoreException e) {
            return storeFailure(method, path, e, route);
        } catch (Exception e) {
            log.error("HTTP {} {} failed (token {})", method, path, who.name(), e);
            return error(500, "internal error", route);
        }
    }

    private HttpReply reply(StaticFileReplies.Answer a) {
        if (a.error() == null) {
            return new HttpReply(a.status(), a.contentType(), a.body(), a.headers(), a.route());
        }
        HttpReply r = error(a.status(), a.error(), a.route());
        r.headers().putAll(a.headers());
        return r;
    }

    /** The database is down: 503 with the reason, so clients retry; any other store failure is a 500. */
    HttpReply storeFailure(String method, String path, StoreException e, String route) {
        if (e.databaseUnavailable()) {
            log.warn("HTTP {} {}: database unavailable ({})", method, path, e.getMessage());
            HttpReply r = error(503, "database unavailable, try again later", route);
            r.headers().put("Retry-After", "5");
            return r;
        }
        log.error("HTTP {} {} failed", method, path, e);
        return error(500, "internal error", route);
    }

    private HttpReply health() {
        HealthChecks.Report r = health.check();
        ObjectNode n = json.createObjectNode();
        n.put("status", r.status());
        n.put("database", r.database());
        ObjectNode ls = n.putObject("listeners");
        r.listeners().forEach(ls::put);
        if (!r.reasons().isEmpty()) {
            ObjectNode why = n.putObject("reasons");
            r.reasons().forEach(why::put);
        }
        return new HttpReply(r.healthy() ? 200 : 503, "application/json", bytes(n), new HashMap<>(), "GET /health");
    }

    private HttpReply ready() {
        HealthChecks.Readiness r = health.ready();
        ObjectNode n = json.createObjectNode();
        n.put("status", r.status());
        n.put("database", r.database());
        r.parts().forEach(n::put);
        return new HttpReply(r.ready() ? 200 : 503, "application/json", bytes(n), new HashMap<>(), "/ready");
    }

    HttpReply error(int status, String message, String route) {
        ObjectNode n = json.createObjectNode();
        n.put("error", message);
        n.put("status", status);
        return new HttpReply(status, "application/json", bytes(n), new HashMap<>(), route);
    }

    private byte[] bytes(ObjectNode n) {
        try {
            return json.writeValueAsBytes(n);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}
