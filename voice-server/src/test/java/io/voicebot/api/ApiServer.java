package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.VoicebotServer;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Test helper: a real VoicebotServer on the selected test database with loopback ports 0, and an HTTP client. */
final class ApiServer {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Path home() {
        return Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize();
    }

    static VoicebotServer start(TestDatabase tdb) throws Exception {
        return start(tdb, Map.of());
    }

    /** With {@code extra} configuration keys on top of the test defaults. */
    static VoicebotServer start(TestDatabase tdb, Map<String, String> extra) throws Exception {
        Map<String, String> o = new HashMap<>(tdb.overrides());
        for (String k : new String[] {"http", "agi", "audiosocket"}) {
            o.put(k + ".bind", "127.0.0.1");
            o.put(k + ".port", "0");
        }
        o.put("shutdown.drain.timeout.s", "2");
        o.putAll(extra);
        VoicebotServer s = new VoicebotServer(VoicebotConfig.defaults(home(), o));
        s.start();
        return s;
    }

    static String token(VoicebotServer s, Role role) {
        return new ApiTokenStore(s.database(), Clock.systemUTC()).create("test-" + role.id(), role).secret();
    }

    /** {@code body} null: no body; {@code contentType} null: none sent. */
    static HttpResponse<String> send(int port, String method, String path, String token, String contentType,
                                     String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private ApiServer() {}
}
