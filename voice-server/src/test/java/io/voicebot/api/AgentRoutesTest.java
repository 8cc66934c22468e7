package io.voicebot.api;

import io.voicebot.VoicebotServer;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent screen-pop routes' access rules: public page, token for the data, queues per agent token. */
class AgentRoutesTest {
    private static TestDatabase tdb;
    private static VoicebotServer server;
    private static String anna;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        server = ApiServer.start(tdb, Map.of("transfer.agent.queues", "anna=hotline-agents card-services",
                "transfer.stream.max.clients", "1"));
        anna = new ApiTokenStore(server.database(), Clock.systemUTC()).create("anna", Role.AGENT).secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutdown();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    @Test
    void pageIsPublicDataNeedsAToken() throws Exception {
        HttpResponse<String> page = ApiServer.send(server.httpPort(), "GET", "/agent", null, null, null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("sessionStorage"), "the page keeps the token in sessionStorage");
        assertEquals(401, ApiServer.send(server.httpPort(), "GET", "/api/agent/stream", null, null, null)
                .statusCode());
        assertEquals(401, ApiServer.send(server.httpPort(), "GET", "/api/agent/calls/123e4567-e89b-12d3-a456-"
                + "426614174000", null, null, null).statusCode());
    }

    @Test
    void badCallIdAndUnknownCallAreClearErrors() throws Exception {
        HttpResponse<String> bad = ApiServer.send(server.httpPort(), "GET", "/api/agent/calls/42", anna, null, null);
        assertEquals(400, bad.statusCode());
        assertTrue(ApiServer.json(bad).toString().contains("call id must be a UUID"), bad.body());
        HttpResponse<String> none = ApiServer.send(server.httpPort(), "GET",
                "/api/agent/calls/123e4567-e89b-12d3-a456-426614174000", anna, null, null);
        assertEquals(404, none.statusCode());
    }

    @Test
    void anAgentWatchesOnlyItsQueues() throws Exception {
        HttpResponse<String> other = ApiServer.send(server.httpPort(), "GET", "/api/agent/stream?queue=collections",
                anna, null, null);
        assertEquals(403, other.statusCode());
        assertTrue(other.body().contains("queue 'collections' is not one of this agent's queues"), other.body());
    }
}
