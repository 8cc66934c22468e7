package io.voicebot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the robot understood under load: each call's spoken turns as voicebot stored them (GET /api/calls/{uuid},
 * transcript per turn) against what the caller said, in order. Early endpointing decides on partial audio, and
 * a load run should show that it still hears the callers right, not only that it answers fast.
 */
final class Understood {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Understood() {
    }

    /** One line for the report: answers heard as said, of all answers said whole, and the misheard ones. */
    static String check(ServerUnderTest server, Map<String, List<String>> spoken) throws Exception {
        if (server.api == null) {
            return "understood: not checked (a --target server's API token is unknown)";
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int said = 0;
        int right = 0;
        Map<String, Integer> misheard = new TreeMap<>();
        for (Map.Entry<String, List<String>> call : spoken.entrySet()) {
            List<String> heard = heard(client, server, call.getKey());
            List<String> answers = call.getValue();
            for (int i = 0; i < answers.size(); i++) {
                said++;
                String h = i < heard.size() ? heard.get(i) : "(nothing)";
                if (h.equals(answers.get(i))) {
                    right++;
                } else {
                    misheard.merge("\"" + answers.get(i) + "\" as \"" + h + "\"", 1, Integer::sum);
                }
            }
        }
        return String.format(Locale.ROOT, "understood: %d of %d answers heard as said (%.1f%%)%s", right, said,
                said == 0 ? 0.0 : 100.0 * right / said, misheard.isEmpty() ? "" : "; misheard: " + misheard);
    }

    /** The transcripts of the call's spoken turns, in order. */
    private static List<String> heard(HttpClient client, ServerUnderTest server, String callId) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.api + "/api/calls/" + callId))
                .header("Authorization", "Bearer " + server.apiToken).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/calls/" + callId + ": " + r.statusCode() + " " + r.body());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode turn : JSON.readTree(r.body()).path("turns")) {
            if ("speech".equals(turn.path("inputMode").asText())) {
                out.add(turn.path("transcript").asText("").toLowerCase(Locale.ROOT).trim());
            }
        }
        return out;
    }
}
