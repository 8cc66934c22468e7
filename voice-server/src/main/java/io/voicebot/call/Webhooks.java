package io.voicebot.call;

import io.voicebot.net.WebhookTargets;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** POSTs a dialog's webhook payload as JSON; the reply's top-level scalar fields become dialog variables. */
public final class Webhooks {
    private final HttpClient client;
    private final Duration timeout;
    private final WebhookTargets targets;

    /** Webhooks to public addresses only. */
    public Webhooks(Executor executor, Duration timeout) {
        this(executor, timeout, WebhookTargets.publicOnly());
    }

    /** {@code targets}: which internal hosts may be called besides public ones (webhook.allow). */
    public Webhooks(Executor executor, Duration timeout, WebhookTargets targets) {
        this.client = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).build();
        this.timeout = timeout;
        this.targets = targets;
    }

    public CompletableFuture<Map<String, String>> post(String url, Map<String, String> payload) {
        // checked at call time too: a URL from a variable (${balance_url}) is only known now
        java.util.Optional<String> refused = targets.problem(url);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new CallException("webhook refused: " + refused.get()));
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(payload))).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new CallException("bad webhook URL '" + url + "': "
                    + e.getMessage()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() / 100 != 2) {
                throw new CallException("webhook " + url + " answered HTTP " + r.statusCode());
            }
            String body = r.body().isBlank() ? "{}" : r.body();
            try {
                return Json.readFlat(body);
            } catch (Exception e) {
                throw new CallException("webhook " + url + " did not answer a JSON object: " + e.getMessage());
            }
        });
    }
}
