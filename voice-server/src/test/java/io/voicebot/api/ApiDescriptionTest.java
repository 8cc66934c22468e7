package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI description against the route table of a real server with every feature on: a route the server
 * registers that the description lacks, a described route the server does not have, or a role that differs fails
 * the test, naming each one. Also: /openapi.json and /api-docs are served without a token.
 */
class ApiDescriptionTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");
    private static TestDatabase tdb;
    private static VoicebotServer server;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        server = ApiServer.start(tdb, Map.of("campaign.enabled", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.shutdown();
        }
        tdb.close();
    }

    /** "METHOD /path" → role id, from the served description. */
    private static Map<String, String> described(JsonNode doc) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(),
                            op.getValue().path("x-voicebot-role").asText("(none given)"));
                }
            }
        }
        return out;
    }

    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedRouteExists() throws Exception {
        HttpResponse<String> r = ApiServer.send(server.httpPort(), "GET", "/openapi.json", null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = ApiServer.json(r);
        assertTrue(doc.path("openapi").asText().startsWith("3."), "an OpenAPI 3 document");
        Map<String, String> described = described(doc);

        Map<String, String> registered = new TreeMap<>();
        for (HttpApi.RouteInfo route : server.http().routes()) {
            // a route without a role is public (the /agent page)
            registered.put(route.method() + " " + route.pattern(), route.role() == null ? "none" : route.role().id());
        }
        for (String fixed : ApiDescription.FIXED_PATHS) {
            registered.put("GET " + fixed, "none");
        }
        assertTrue(registered.size() > 40, "the server registered its routes: " + registered.keySet());

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : registered.entrySet()) {
            String role = described.get(e.getKey());
            if (role == null) {
                problems.add("route " + e.getKey() + " (role " + e.getValue() + ") is missing from "
                        + "voice-server/src/main/resources/io/voicebot/api/openapi.yaml: add it under paths");
            } else if (!role.equals(e.getValue())) {
                problems.add("route " + e.getKey() + " has role " + e.getValue() + " but openapi.yaml says "
                        + "x-voicebot-role: " + role);
            }
        }
        for (String d : described.keySet()) {
            if (!registered.containsKey(d)) {
                problems.add("openapi.yaml describes " + d + " but the server has no such route: remove it");
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " difference(s) between the routes and the OpenAPI description:\n  "
                    + String.join("\n  ", problems));
        }
    }

    @Test
    void everyOperationHasItsErrorsAndEveryReferenceResolves() throws Exception {
        JsonNode doc = ApiServer.json(ApiServer.send(server.httpPort(), "GET", "/openapi.json", null, null, null));
        Set<String> ids = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String where = op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey();
                JsonNode o = op.getValue();
                assertTrue(ids.add(o.path("operationId").asText()), "operationId unique: " + where);
                assertFalse(o.path("summary").asText().isBlank(), "summary of " + where);
                JsonNode responses = o.path("responses");
                if (p.getKey().startsWith("/api/")) {
                    assertTrue(responses.has("401"), where + " describes 401");
                    if (!o.path("x-voicebot-role").asText().equals("agent")) {
                        assertTrue(responses.has("403"), where + " describes 403 (role " + o.path("x-voicebot-role")
                                + ")");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> rs = responses.fields(); rs.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = rs.next();
                        String ref = e.getValue().path("$ref").asText("");
                        if (!ref.isEmpty()) {
                            String name = ref.substring(ref.lastIndexOf('/') + 1);
                            assertTrue(doc.path("components").path("responses").has(name), where + ": " + ref);
                        }
                    }
                }
                for (JsonNode param : p.getValue().path("parameters")) {
                    assertTrue(p.getKey().contains("{" + param.path("name").asText() + "}"),
                            where + ": path parameter " + param.path("name") + " is in the path");
                }
            }
        }
        JsonNode error = doc.path("components").path("schemas").path("Error");
        assertEquals("[\"error\",\"status\"]", error.path("required").toString());
    }

    @Test
    void theDescriptionAndItsPageAreServedWithoutAToken() throws Exception {
        HttpResponse<String> page = ApiServer.send(server.httpPort(), "GET", "/api-docs", null, null, null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("fetch('/openapi.json')"), "the page renders the description");
        assertFalse(page.body().contains("https://"), "no CDN: the page loads nothing from elsewhere");
        HttpResponse<String> post = ApiServer.send(server.httpPort(), "POST", "/openapi.json", null, null, "{}");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
    }
}
