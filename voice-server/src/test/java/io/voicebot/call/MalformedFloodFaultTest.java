package io.voicebot.call;

import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.sim.SimulationFixture;
import io.voicebot.store.CallStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault suite (issue 13): while three calls run a two-question dialog, several connections flood the AudioSocket
 * and FastAGI ports with garbage (unknown kinds, lengths past the limit, truncated frames, unknown UUIDs, audio
 * before the UUID, stray AGI lines, binary noise). Every real call completes with its outcome and both answers
 * stored; the server closes every flood connection; it is still up afterwards.
 */
class MalformedFloodFaultTest {
    static final String DIALOG = """
            name: fault_survey
            steps:
              - id: q1
                ask: "Were you satisfied with our service? Press one for yes, two for no."
                slot: yes_no
                key: satisfied
                on: {"yes": q2, "no": q2}
              - id: q2
                ask: "Would you recommend us to a friend? Press one for yes, two for no."
                slot: yes_no
                key: recommend
                on: {"yes": bye, "no": bye}
              - id: bye
                hangup: completed
                say: "Thank you. Goodbye."
            """;
    private static SimulationFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = SimulationFixture.start("flood-fault", Map.of("fault_survey", DIALOG),
                (dir, o) -> o.put("agi.command.timeout.ms", "5000"));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** One malformed AudioSocket conversation, by variant. */
    static byte[] badAudioSocket(int variant) {
        UUID stranger = UUID.randomUUID();
        ByteBuffer uuidFrame = ByteBuffer.allocate(19).put((byte) 0x01).putShort((short) 16)
                .putLong(stranger.getMostSignificantBits()).putLong(stranger.getLeastSignificantBits());
        return switch (variant % 6) {
            case 0 -> new byte[] {0x7e, 0x00, 0x02, 1, 2}; // a kind res_audiosocket.h does not define
            case 1 -> new byte[] {0x10, (byte) 0xff, (byte) 0xff, 0, 0, 0}; // length far past the limit
            case 2 -> uuidFrame.array(); // a UUID voicebot never issued
            case 3 -> new byte[] {0x10, 0x01, 0x40, 0, 0, 0, 0}; // audio before the UUID
            case 4 -> new byte[] {0x01, 0x00, 0x05, 1, 2, 3, 4, 5}; // a UUID frame of the wrong length
            default -> "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII); // another protocol
        };
    }

    /** One malformed FastAGI conversation, by variant. */
    static byte[] badAgi(int variant) {
        String s = switch (variant % 5) {
            case 0 -> "200 result=1\n200 result=0\n\n"; // replies with no request: stray lines
            case 1 -> "agi_network: yes\nagi_request: agi://x/inbound?line=nope\nnot a header at all\n\n";
            case 2 -> "HANGUP\nHANGUP\n520 End of proper usage.\n";
            case 3 -> "\u0000\u0001\u00ff\u00fe binary noise \r\r\n\n";
            default -> "agi_request: " + "x".repeat(20_000) + "\n"; // a line past the 8 KB bound
        };
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code bytes} and waits for the server to close; true when it did within the timeout. */
    static boolean sendAndAwaitClose(int port, byte[] bytes, int timeoutMs) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (java.io.IOException e) {
                return true; // already closed by the server
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (System.nanoTime() < deadline) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true; // reset by the server: closed
        }
    }

    @Test
    void realCallsCompleteWhileGarbageFloodsBothPorts() throws Exception {
        Simulation sim = fixture.simulation();
        int audioPort = sim.server().audioSocketPort();
        int agiPort = sim.server().agiPort();
        ExecutorService pool = Executors.newFixedThreadPool(9);
        AtomicBoolean calling = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger leftOpen = new AtomicInteger();
        try {
            List<Future<?>> flood = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                flood.add(pool.submit(() -> {
                    for (int i = thread; calling.get() || i < thread + 12; i++) {
                        boolean audio = (i + thread) % 2 == 0;
                        byte[] bytes = audio ? badAudioSocket(i) : badAgi(i);
                        if (!sendAndAwaitClose(audio ? audioPort : agiPort, bytes, 15_000)) {
                            leftOpen.incrementAndGet();
                        }
                        sent.incrementAndGet();
                    }
                }));
            }
            List<CompletableFuture<Simulation.CallReport>> calls = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String number = "+1555019000" + c;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return sim.outbound("fault_survey", Map.of(), number, new SimulatedCaller(
                                List.of(new Reply.Keys("1"), new Reply.Keys("2")), 900, 60_000), Duration.ofMinutes(2));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            List<Simulation.CallReport> reports = new ArrayList<>();
            for (CompletableFuture<Simulation.CallReport> f : calls) {
                reports.add(f.get(3, TimeUnit.MINUTES));
            }
            calling.set(false);
            for (Future<?> f : flood) {
                f.get(2, TimeUnit.MINUTES);
            }
            for (Simulation.CallReport r : reports) {
                assertEquals("completed", r.outcome(), Simulation.transcript("call under flood", r));
                Map<String, String> answers = new java.util.HashMap<>();
                for (CallStore.Answer a : r.answers()) {
                    answers.put(a.questionKey(), a.value());
                }
                assertEquals(Map.of("satisfied", "yes", "recommend", "no"), answers, r.answers().toString());
                // what the store holds now, not just the report taken at the end of the call
                long id = sim.server().callStore().findCall(r.id().toString()).orElseThrow().id();
                assertEquals(2, sim.server().callStore().answers(id).size());
            }
            assertTrue(sent.get() >= 72, "flood connections: " + sent.get());
            assertEquals(0, leftOpen.get(), "flood connections the server left open (of " + sent.get() + ")");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + sim.server().httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(0, sim.server().callService().activeSessions(), "sessions left behind by the flood");
        } finally {
            calling.set(false);
            pool.shutdownNow();
        }
    }
}
