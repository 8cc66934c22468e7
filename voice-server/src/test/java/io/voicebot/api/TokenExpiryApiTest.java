package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiring tokens and their last use, through POST/GET /api/tokens and requests made with them. */
class TokenExpiryApiTest {
    static TestDatabase tdb;
    static HttpApi api;
    static ApiTokenStore tokens;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        tokens = new ApiTokenStore(tdb.database(), Clock.systemUTC());
        api = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, 1 << 20, 1 << 20), tokens, new Metrics(),
                new HealthChecks(() -> true, () -> false), new ObjectMapper(), 2,
                Files.createTempDirectory("voicebot-uploads-"));
        api.start();
        admin = tokens.create("root", Role.ADMIN).secret();
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.stop(Duration.ofSeconds(2));
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    static HttpResponse<String> post(String body) throws Exception {
        return ApiServer.send(api.port(), "POST", "/api/tokens", admin, "application/json", body);
    }

    static JsonNode listed(long id) throws Exception {
        HttpResponse<String> r = ApiServer.send(api.port(), "GET", "/api/tokens", admin, null, null);
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode t : ApiServer.json(r).path("tokens")) {
            if (t.path("id").asLong() == id) {
                return t;
            }
        }
        throw new AssertionError("token " + id + " not listed: " + r.body());
    }

    @Test
    void aTokenCreatedWithExpiresInWorksUntilThenAndShowsItsExpiryAndLastUse() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> r = post("{\"role\": \"agent\", \"name\": \"temp\", \"expires_in\": \"12h\"}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode created = ApiServer.json(r);
        Instant expires = Instant.parse(created.path("expiresAt").asText());
        assertTrue(!expires.isBefore(before.plus(Duration.ofHours(12)).minusSeconds(1))
                && expires.isBefore(Instant.now().plus(Duration.ofHours(12)).plusSeconds(1)), r.body());
        long id = created.path("id").asLong();
        assertTrue(listed(id).path("lastUsedAt").isNull(), "never used yet");

        HttpResponse<String> who = ApiServer.send(api.port(), "GET", "/api/whoami", created.path("token").asText(),
                null, null);
        assertEquals(200, who.statusCode(), who.body());
        JsonNode after = listed(id);
        assertEquals(expires.toString(), after.path("expiresAt").asText());
        Instant used = Instant.parse(after.path("lastUsedAt").asText());
        assertTrue(!used.isBefore(before.minusSeconds(1)) && !used.isAfter(Instant.now()), after.toString());

        HttpResponse<String> at = post("{\"role\": \"operator\", \"expires_at\": \"2099-01-01T00:00:00Z\"}");
        assertEquals(400, at.statusCode(), "more than ten years ahead: " + at.body());
        Instant soon = Instant.now().plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        HttpResponse<String> ok = post("{\"role\": \"operator\", \"expires_at\": \"" + soon + "\"}");
        assertEquals(201, ok.statusCode(), ok.body());
        assertEquals(soon.toString(), ApiServer.json(ok).path("expiresAt").asText());
    }

    @Test
    void anExpiredTokenIsRefusedWith401NamingTheExpiryWithOrWithoutABody() throws Exception {
        // made by a clock an hour behind, valid for 30 minutes of it: expired half an hour ago
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        ApiTokenStore.Created c = new ApiTokenStore(tdb.database(), Clock.fixed(hourAgo, ZoneOffset.UTC))
                .create("old-crm", Role.ADMIN, hourAgo.plus(Duration.ofMinutes(30)));
        String expiry = c.token().expiresAt().toString();

        HttpResponse<String> get = ApiServer.send(api.port(), "GET", "/api/whoami", c.secret(), null, null);
        assertEquals(401, get.statusCode(), get.body());
        assertEquals("token 'old-crm' (id " + c.token().id() + ") expired at " + expiry,
                ApiServer.json(get).path("error").asText());
        assertTrue(get.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));

        HttpResponse<String> withBody = ApiServer.send(api.port(), "POST", "/api/tokens", c.secret(),
                "application/json", "{\"role\": \"admin\"}");
        assertEquals(401, withBody.statusCode(), withBody.body());
        assertTrue(ApiServer.json(withBody).path("error").asText().contains("expired at " + expiry),
                withBody.body());
        assertTrue(listed(c.token().id()).path("lastUsedAt").isNull(), "a refused request is no use");
    }

    @Test
    void badExpiriesAre400NamingTheField() throws Exception {
        HttpResponse<String> word = post("{\"role\": \"agent\", \"expires_in\": \"soon\"}");
        assertEquals(400, word.statusCode());
        assertTrue(ApiServer.json(word).path("error").asText().startsWith("field 'expires_in' must be a positive "
                + "duration"), word.body());
        HttpResponse<String> past = post("{\"role\": \"agent\", \"expires_at\": \"2001-01-01T00:00:00Z\"}");
        assertEquals(400, past.statusCode());
        assertEquals("field 'expires_at' (2001-01-01T00:00:00Z) is not in the future",
                ApiServer.json(past).path("error").asText());
        HttpResponse<String> garbled = post("{\"role\": \"agent\", \"expires_at\": \"tomorrow\"}");
        assertEquals(400, garbled.statusCode());
        assertTrue(ApiServer.json(garbled).path("error").asText().startsWith("field 'expires_at' must be an "
                + "ISO-8601 time"), garbled.body());
        HttpResponse<String> both = post("{\"role\": \"agent\", \"expires_at\": \"2030-01-01T00:00:00Z\", "
                + "\"expires_in\": \"1d\"}");
        assertEquals(400, both.statusCode());
        assertEquals("give either 'expires_at' or 'expires_in', not both", ApiServer.json(both).path("error")
                .asText());
    }
}
