package io.voicebot.tasks;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task webhook against a real HTTP server: retries a failing receiver a bounded number of times. */
class TaskWebhookTest {
    private HttpServer server;
    private final AtomicInteger failFirst = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", x -> {
            requests.incrementAndGet();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failFirst.getAndDecrement() > 0) {
                x.sendResponseHeaders(503, -1);
            } else {
                bodies.add(body);
                x.sendResponseHeaders(204, -1);
            }
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Test
    void aFailingReceiverIsRetriedUntilItTakesTheNotice() throws Exception {
        failFirst.set(2);
        try (TaskWebhook w = new TaskWebhook(url(), 3, Duration.ofSeconds(2), Duration.ofMillis(20))) {
            w.send(7, () -> Map.of("event", "task.created", "task", Map.of("id", 7)));
            await(() -> bodies.size() == 1);
        }
        assertEquals(3, requests.get());
        assertEquals(1, bodies.size());
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"event\": \"task.created\", \"task\": {\"id\": 7}}"),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(bodies.get(0)));
    }

    @Test
    void triesAreBoundedAndAFailureStaysInTheWebhook() throws Exception {
        failFirst.set(100);
        try (TaskWebhook w = new TaskWebhook(url(), 2, Duration.ofSeconds(2), Duration.ofMillis(20))) {
            w.send(8, () -> Map.of("task", Map.of("id", 8)));
            w.send(9, () -> {
                throw new IllegalStateException("database down");
            });
            w.send(10, () -> Map.of("task", Map.of("id", 10)));
            await(() -> requests.get() >= 4);
            Thread.sleep(300);
        }
        assertEquals(4, requests.get(), "two tries for each of the two notices that had a body");
        assertTrue(bodies.isEmpty());
    }

    @Test
    void onlyHttpUrls() {
        assertThrows(IllegalArgumentException.class, () -> new TaskWebhook("ftp://x/y", 3, Duration.ofSeconds(1),
                Duration.ofMillis(10)));
    }
}
