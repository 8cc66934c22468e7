package io.voicebot.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scrapes /metrics over HTTP while the in-process Asterisk runs a spoken call and a campaign, and checks that the
 * families move: calls in progress and ended, turn latency, ASR decode, TTS render, prompt cache, AMI state, dialer
 * attempts, gate blocks, campaign progress, HTTP requests, JVM and Hikari pool.
 */
class MetricsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DIALOG = """
            name: metrics_check
            description: one question, answered by voice
            steps:
              - id: ask
                ask: "Hello, this is a metrics test. Is this a good time to talk?"
                slot: yes_no
                key: good_time
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;

    private static SimulationFixture fixture;
    private static Simulation sim;
    private static String operator;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("metrics-test", Map.of("metrics_check", DIALOG), (dir, o) -> {
            Files.writeString(dir.resolve("compliance.yaml"),
                    "default: {weekdays: \"00:00-24:00\", saturday: \"00:00-24:00\", sunday: \"00:00-24:00\"}\n");
            o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
            o.put("campaign.tick.ms", "200");
            o.put("tts.cache.dir", dir.resolve("prompt-cache").toString()); // empty: the prompts are synthesized
        });
        sim = fixture.simulation();
        operator = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("ops", Role.OPERATOR)
                .secret();
        sim.answerWith(oc -> new SimulatedCaller(List.of(new SimulatedCaller.Reply.Keys("1"))));
        // the server renders the dialog's prompts at start into the empty cache: each miss is a timed synthesis
        await("the dialog's prompts to be rendered", Duration.ofSeconds(180), () -> {
            String t = scrape();
            double misses = value(t, "voicebot_prompt_cache_requests_total", "result=\"miss\"");
            return misses >= 2 && value(t, "voicebot_tts_render_seconds_count", null) == misses;
        });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aSpokenCallMovesTheCallSpeechAndHttpFamilies() throws Exception {
        String before = scrape();
        assertTrue(before.contains("# TYPE jvm_memory_used_bytes gauge"), "JVM memory");
        assertTrue(before.contains("# TYPE jvm_gc_pause_seconds") || before.contains("jvm_gc_"), "JVM GC");
        assertTrue(before.contains("jvm_threads_live_threads "), "JVM threads");
        assertTrue(value(before, "hikaricp_connections_max", "pool=\"voicebot-db\"") > 0, "Hikari pool");
        assertEquals(1.0, value(before, "voicebot_ami_connected", null), "AMI is up");
        double ended = value(before, "voicebot_calls_ended_total", "dialog=\"metrics_check\",outcome=\"completed\"");
        double decodes = value(before, "voicebot_asr_decode_seconds_count", null);

        SimulatedCaller caller = new SimulatedCaller(sim.replies(List.of("yes")));
        CompletableFuture<Simulation.CallReport> call = CompletableFuture.supplyAsync(() -> {
            try {
                return sim.outbound("metrics_check", Map.of(), "+15550100042", caller, Duration.ofSeconds(90));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // during the call
        await("the call to show as in progress", () -> value(scrape(), "voicebot_calls_active", null) == 1.0);

        Simulation.CallReport report = call.get();
        assertEquals("completed", report.outcome(), Simulation.transcript("metrics call", report));
        await("the call to end in the metrics", () -> value(scrape(), "voicebot_calls_ended_total",
                "dialog=\"metrics_check\",outcome=\"completed\"") == ended + 1);
        HttpResponse<String> detail = api("GET", "/api/calls/" + report.id(), null);
        assertEquals(200, detail.statusCode(), detail.body());
        String after = scrape();
        assertEquals(0.0, value(after, "voicebot_calls_active", null));
        assertEquals(1.0, value(after, "voicebot_http_requests_total",
                "method=\"GET\",route=\"/api/calls/{uuid}\",status=\"2xx\""), "counted under its route template");
        assertTrue(value(after, "voicebot_turn_latency_seconds_count", "dialog=\"metrics_check\"") >= 1, after);
        assertTrue(value(after, "voicebot_asr_decode_seconds_count", null) > decodes, "a decode was timed");
        assertTrue(after.contains("voicebot_asr_decode_seconds_bucket{engine="), "decode histogram buckets");
        assertTrue(value(after, "voicebot_tts_render_seconds_count", null) >= 1, "prompts were synthesized");
        double cache = value(after, "voicebot_prompt_cache_requests_total", "result=\"miss\"")
                + value(after, "voicebot_prompt_cache_requests_total", "result=\"memory_hit\"")
                + value(after, "voicebot_prompt_cache_requests_total", "result=\"disk_hit\"");
        assertTrue(cache >= 2, "the cache served the call's prompts");
        assertTrue(value(after, "voicebot_prompt_cache_requests_total", "result=\"miss\"") >= 1, "misses counted");
        assertTrue(value(after, "voicebot_http_requests_total", "method=\"GET\",route=\"/metrics\",status=\"2xx\"")
                >= 2, "scrapes are counted under the route");
        assertFalse(after.contains("+15550100042") || after.contains("15550100042"), "no phone number in labels");
        assertFalse(after.contains(report.id().toString()), "no call id in labels");
    }

    @Test
    void aCampaignMovesTheDialerGateAndProgressFamilies() throws Exception {
        String answers = "+12025550076";
        String blocked = "+12025550077";
        String busy = "+12025550078";
        HttpResponse<String> dnc = api("POST", "/api/dnc", "{\"phone\": \"" + blocked + "\", \"reason\": \"test\"}");
        assertTrue(dnc.statusCode() == 201 || dnc.statusCode() == 200, dnc.body());
        sim.ami().script(busy, AmiPeer.Outcome.BUSY, Duration.ofMillis(200));
        ListStore ls = sim.server().listStore();
        long list = ls.createList("metrics-list");
        ls.addContacts(list, List.of(new ListStore.ContactRow(answers, null, Map.of(), "UTC"),
                new ListStore.ContactRow(blocked, null, Map.of(), "UTC"),
                new ListStore.ContactRow(busy, null, Map.of(), "UTC")));
        String before = scrape();
        double completed = value(before, "voicebot_dialer_attempts_total", "result=\"completed\"");
        double busies = value(before, "voicebot_dialer_attempts_total", "result=\"busy\"");
        double dncBlocks = value(before, "voicebot_gate_blocks_total", "reason=\"dnc\"");

        HttpResponse<String> created = api("POST", "/api/campaigns", """
                {"name": "metrics", "dialog": "metrics_check", "lists": [%d],
                 "window": {"start": "00:00", "end": "23:59", "days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
                 "max_concurrent_calls": 2, "max_calls_per_second": 5,
                 "retry": {"max_attempts": 3, "max_attempts_per_day": 3, "busy": "1h"}}
                """.formatted(list));
        assertEquals(201, created.statusCode(), created.body());
        long id = JSON.readTree(created.body()).path("id").asLong();
        String campaign = "campaign=\"" + id + "\"";
        assertFalse(scrape().contains("voicebot_campaign_contacts{" + campaign), "a draft is not measured");
        assertEquals(200, api("POST", "/api/campaigns/" + id + "/start", null).statusCode());
        await("the blocked number to be counted", () -> value(scrape(), "voicebot_gate_blocks_total",
                "reason=\"dnc\"") == dncBlocks + 1);
        await("the answered attempt to be counted", () -> value(scrape(), "voicebot_dialer_attempts_total",
                "result=\"completed\"") == completed + 1);
        await("the busy attempt to be counted", () -> value(scrape(), "voicebot_dialer_attempts_total",
                "result=\"busy\"") == busies + 1);
        // the busy contact waits an hour for its retry: the campaign runs on, its progress in the gauges
        await("the campaign's progress to show both attempts", () ->
                value(scrape(), "voicebot_campaign_attempts", campaign) == 2);
        String during = scrape();
        assertEquals(3.0, value(during, "voicebot_campaign_contacts", campaign), during);
        assertEquals(1.0, value(during, "voicebot_campaign_contacts", campaign + ",state=\"pending\""), during);
        assertEquals(1.0, value(during, "voicebot_campaign_contacts", campaign + ",state=\"blocked\""), during);

        assertEquals(200, api("POST", "/api/campaigns/" + id + "/stop", null).statusCode());
        assertFalse(scrape().contains("voicebot_campaign_contacts{" + campaign), "a stopped campaign leaves");
    }

    @Test
    void losingAmiIsShownAndTheReconnectCounted() throws Exception {
        double reconnects = value(scrape(), "voicebot_ami_reconnects_total", null);
        sim.ami().dropConnections();
        await("AMI to reconnect", () -> value(scrape(), "voicebot_ami_reconnects_total", null) == reconnects + 1);
        assertEquals(1.0, value(scrape(), "voicebot_ami_connected", null));
    }

    private static HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                + path)).header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + sim.server().httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot scrape /metrics: " + e, e);
        }
    }

    /**
     * The value of the sample of {@code name} whose labels contain {@code labels} (in exposition order), 0 when
     * there is none.
     */
    static double value(String text, String name, String labels) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{.*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String ls = m.group(1) == null ? "" : m.group(1);
            if (labels == null || ls.contains(labels)) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? sum : 0;
    }

    private static void await(String what, SimulationFixture.Condition done) throws Exception {
        await(what, Duration.ofSeconds(60), done);
    }

    private static void await(String what, Duration timeout, SimulationFixture.Condition done) throws Exception {
        try {
            SimulationFixture.await(what, timeout, done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + scrape(), e); // what the metrics said instead
        }
    }
}
