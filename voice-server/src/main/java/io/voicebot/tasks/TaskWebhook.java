package io.voicebot.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * POSTs each new task as JSON to tasks.webhook.url on its own low-priority thread, never on a call's path: a
 * bounded queue (a full one drops the notice with a warning), a bounded number of tries with a growing pause. A
 * failure is logged; the task is in the database either way.
 */
public final class TaskWebhook implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final int tries;
    private final Duration firstPause;
    private final HttpClient client;
    private final ThreadPoolExecutor worker;

    public TaskWebhook(String url, int tries, Duration timeout, Duration firstPause) {
        this.url = URI.create(url);
        if (!"http".equals(this.url.getScheme()) && !"https".equals(this.url.getScheme())) {
            throw new IllegalArgumentException("tasks.webhook.url must be an http or https URL, got '" + url + "'");
        }
        this.tries = Math.max(1, tries);
        this.firstPause = firstPause;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "voicebot-task-webhook");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        }, (r, ex) -> log.warn("task webhook queue is full; a notice is dropped (the task is stored)"));
    }

    /** Queues the notice; returns at once. {@code body} is read on the webhook's thread (null: nothing to send). */
    public void send(long taskId, Supplier<Map<String, Object>> body) {
        worker.execute(() -> {
            try {
                Map<String, Object> b = body.get();
                if (b != null) {
                    deliver(taskId, JSON.writeValueAsString(b));
                }
            } catch (JsonProcessingException | RuntimeException e) {
                log.warn("task {} webhook not sent: {}", taskId, e.toString());
            }
        });
    }

    private void deliver(long taskId, String text) {
        Duration pause = firstPause;
        for (int i = 1; i <= tries; i++) {
            String why;
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                why = "HTTP " + r.statusCode();
            } catch (IOException e) {
                why = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (i == tries) {
                log.warn("task {} webhook to {} failed after {} tries: {}", taskId, url.getHost(), tries, why);
                return;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
