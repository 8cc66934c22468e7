package io.voicebot.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.speech.audio.Levels;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CallStore;
import io.voicebot.store.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault suite (issue 13): a call list of about 24 MB (60,000 rows of about 400 bytes) is streamed to the API
 * while three calls run a two-question dialog. The calls complete with their outcomes and answers stored, and
 * from each caller's side the robot never keeps them waiting: its first word after the line connects and after
 * each answer comes within 3 s (a call thread blocked behind the import would break that). The upload is answered
 * 201 with every row imported.
 */
class GiantUploadFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Mean square of a frame above which the robot counts as speaking (as SimulatedCaller hears it). */
    private static final double SPEAKING = 1e-4 * 32768.0 * 32768.0 / 3;
    private static final int ROWS = 60_000;
    private static final long MAX_GAP_MS = 3000;
    private static final String[] AREAS = {"202", "212", "312", "415"};
    private static final String[] EXCHANGES = {"234", "345", "456", "567", "678"};
    private static SimulationFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("upload-fault", Map.of("fault_survey", MalformedFloodFaultTest.DIALOG));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The list's CSV, generated while it is sent: {@code rows} contacts with a long note each. */
    static InputStream csv(int rows) {
        // about 400 bytes a row: tens of megabytes without hundreds of thousands of rows to import
        String note = "customer since 2011; prefers calls after work; branch 0042; segment retail-premium-plus; "
                .repeat(4);
        Enumeration<InputStream> parts = new Enumeration<>() {
            int i = -1;

            @Override
            public boolean hasMoreElements() {
                return i < rows;
            }

            @Override
            public InputStream nextElement() {
                StringBuilder b = new StringBuilder();
                if (i < 0) {
                    b.append("phone,name,timezone,note\n");
                    i = 0;
                }
                for (int n = 0; n < 1000 && i < rows; n++, i++) {
                    // valid, distinct numbers: 20 area code and exchange pairs of 10,000 lines each
                    String prefix = AREAS[(i / 10_000) % 4] + EXCHANGES[(i / 40_000) % 5];
                    b.append(String.format("+1%s%04d,Customer %d,America/New_York,%s %d%n", prefix, i % 10_000, i,
                            note, i));
                }
                return new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    /**
     * From the caller's side: how long the robot kept the caller waiting for its first word after the line
     * connected and after each key press (to the first loud frame).
     */
    static List<Long> waitsMs(SimulatedCaller caller) {
        List<Long> starts = new ArrayList<>();
        starts.add(caller.connectedNanos());
        for (SimulatedCaller.Event e : caller.events()) {
            if (e.what().startsWith("caller presses")) {
                starts.add(caller.connectedNanos() + TimeUnit.MILLISECONDS.toNanos(e.atMs()));
            }
        }
        List<AudioSocketPeer.ReceivedFrame> heard = caller.heard();
        List<Long> waits = new ArrayList<>();
        for (long from : starts) {
            long wait = -1;
            for (AudioSocketPeer.ReceivedFrame f : heard) {
                short[] pcm = f.frame().samples();
                if (f.nanos() > from && pcm != null && Levels.meanSquare(pcm, 0, pcm.length) > SPEAKING) {
                    wait = TimeUnit.NANOSECONDS.toMillis(f.nanos() - from);
                    break;
                }
            }
            waits.add(wait);
        }
        return waits;
    }

    @Test
    void callsKeepTheirPaceWhileATwentyFourMegabyteListIsUploaded() throws Exception {
        Simulation sim = fixture.simulation();
        String operator = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("ops", Role.OPERATOR)
                .secret();
        HttpClient http = HttpClient.newHttpClient();
        // start-up's speech preparation (grammar compilation, prompts) is done: only the upload competes here
        long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort() + "/ready"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            assertTrue(System.nanoTime() < ready, "the server never became ready");
            Thread.sleep(200);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort()
                        + "/api/lists?name=giant")).timeout(Duration.ofMinutes(4))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + operator)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv(ROWS))).build();
        long bytes = csv(ROWS).transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(bytes > 20_000_000, "a giant list: " + bytes + " bytes");
        java.util.concurrent.atomic.AtomicLong uploadEnded = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<HttpResponse<String>> upload = http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> uploadEnded.set(System.nanoTime()));

        List<SimulatedCaller> callers = new ArrayList<>();
        List<CompletableFuture<Simulation.CallReport>> calls = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String number = "+1555019100" + c;
            SimulatedCaller caller = new SimulatedCaller(List.of(new Reply.Keys("1"), new Reply.Keys("2")), 900,
                    60_000);
            callers.add(caller);
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return sim.outbound("fault_survey", Map.of(), number, caller, Duration.ofMinutes(2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Simulation.CallReport> reports = new ArrayList<>();
        for (CompletableFuture<Simulation.CallReport> f : calls) {
            reports.add(f.get(3, TimeUnit.MINUTES));
        }
        long lastConnected = callers.stream().mapToLong(SimulatedCaller::connectedNanos).max().orElseThrow();
        assertTrue(uploadEnded.get() == 0 || uploadEnded.get() > lastConnected,
                "the upload ended before the calls connected: the test did not overlap them");

        List<Long> waits = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Simulation.CallReport r = reports.get(c);
            assertEquals("completed", r.outcome(), Simulation.transcript("call during the upload", r));
            Map<String, String> answers = new HashMap<>();
            for (CallStore.Answer a : sim.server().callStore().answers(r.call().id())) {
                answers.put(a.questionKey(), a.value());
            }
            assertEquals(Map.of("satisfied", "yes", "recommend", "no"), answers);
            List<Long> w = waitsMs(callers.get(c));
            assertEquals(3, w.size(), "greeting and two answers: " + w);
            for (long ms : w) {
                assertTrue(ms >= 0 && ms <= MAX_GAP_MS, "the robot kept caller " + c + " waiting: " + w
                        + " ms (greeting, after key 1, after key 2)");
            }
            waits.addAll(w);
        }
        System.out.println("robot waits seen by the callers during the upload (ms): " + waits);

        HttpResponse<String> up = upload.get(4, TimeUnit.MINUTES);
        assertEquals(201, up.statusCode(), up.body().substring(0, Math.min(500, up.body().length())));
        JsonNode j = JSON.readTree(up.body());
        assertEquals(ROWS, j.path("imported").asInt(), up.body().substring(0, Math.min(500, up.body().length())));
        assertEquals(0, j.path("rejected").asInt());
    }
}
