package io.voicebot.events;

import io.voicebot.config.Settings;
import io.voicebot.sim.AmiMessage;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Role;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event-to-Originate latency: EVENTS business events posted one after another over HTTP to a running campaign with
 * a free line; for each, the time from sending the POST until the in-process Asterisk has received the call's AMI
 * Originate (the dialer woken by the event: claim through the compliance gate, attempt row, Originate). Every call
 * is busy at once, one attempt each. The campaign's own tick is TICK_MS. Measured after a minute's settling
 * (-Dbench.settle.ms), when the server's background speech preparation is over. On H2 by default;
 * VOICEBOT_BENCH_DB_URL (+ _USER, _PASSWORD) selects MariaDB. Usage: scripts/bench-events.sh [EVENTS] [TICK_MS]
 */
public final class EventBenchmark {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String tick = args.length > 1 ? args[1] : "1000";
        Path dir = Files.createTempDirectory("bench-events");
        Files.writeString(dir.resolve("compliance.yaml"), """
                default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
                caps: {per_day: 5, per_week: 10, per_month: 20}
                """);
        Map<String, String> o = new HashMap<>();
        o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        o.put("campaign.tick.ms", tick);
        o.put("events.file", dir.resolve("none.yaml").toString());
        String url = System.getenv("VOICEBOT_BENCH_DB_URL");
        if (url != null && !url.isBlank()) {
            o.put("db.url", url);
            o.put("db.user", System.getenv().getOrDefault("VOICEBOT_BENCH_DB_USER", "voicebot"));
            o.put("db.password", System.getenv().getOrDefault("VOICEBOT_BENCH_DB_PASSWORD", ""));
        }
        try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty(
                "voicebot.home", ".")), o)) {
            sim.ami().defaultOutcome(AmiPeer.Outcome.BUSY, Duration.ZERO);
            String token = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("bench",
                    Role.OPERATOR).secret();
            String stamp = Long.toString(System.nanoTime());
            long list = sim.server().listStore().createList("bench-events-" + stamp);
            CampaignStore.CampaignSpec spec = new CampaignStore.CampaignSpec("bench-events-" + stamp,
                    "satisfaction_survey", List.of(list), LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59),
                    EnumSet.allOf(DayOfWeek.class), 1, Duration.ofHours(1), 50, null, null, null, 0, 100, 3,
                    Map.of(), "off", null, 30, false);
            long campaign = sim.server().campaigns().create(spec).id();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + sim.server().httpPort();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/event-types/bench_event")).header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"campaign\": " + campaign + ", \"dedupe\": \"0s\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw new IllegalStateException(put.body());
            }
            sim.server().campaigns().start(campaign);
            // the server prepares speech for its dialogs in the background for the first minute or so: measure
            // after that, as a server that has been up a while
            Thread.sleep(Long.getLong("bench.settle.ms", 60_000));
            List<Double> ms = new ArrayList<>();
            List<Double> answered = new ArrayList<>();
            for (int i = 0; i < events + 20; i++) {
                String phone = String.format("+1202%07d", 5_000_000 + i);
                int seen = sim.ami().received("Originate").size();
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"bench_event\", \"customer\": \"c" + i
                                + "\", \"phone\": \"" + phone + "\", \"timezone\": \"UTC\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                if (r.statusCode() != 200 || !r.body().contains("\"queued\"")) {
                    throw new IllegalStateException("event " + i + ": " + r.body());
                }
                while (!originated(sim.ami().received("Originate"), seen, phone)) {
                    if (System.nanoTime() - t0 > 10_000_000_000L) {
                        throw new IllegalStateException("no Originate for event " + i + " within 10 s");
                    }
                    Thread.sleep(0, 200_000);
                }
                long t2 = System.nanoTime();
                if (i >= 20) { // the first ones warm the JIT and the pools
                    ms.add((t2 - t0) / 1e6);
                    answered.add((t1 - t0) / 1e6);
                }
            }
            System.out.printf("database: %s, campaign.tick.ms %s%n", url == null || url.isBlank() ? "H2 (embedded)"
                    : "MariaDB", tick);
            System.out.printf("%d events: POST answered p50 %.1f ms, p95 %.1f ms; event to Originate p50 %.1f ms, "
                    + "p95 %.1f ms, max %.1f ms%n", ms.size(), pct(answered, 50), pct(answered, 95), pct(ms, 50),
                    pct(ms, 95), Collections.max(ms));
        }
    }

    private static boolean originated(List<AmiMessage> received, int from, String phone) {
        for (int i = from; i < received.size(); i++) {
            String ch = received.get(i).get("Channel");
            if (ch != null && ch.contains("/" + phone + "@")) {
                return true;
            }
        }
        return false;
    }

    private static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }
}
