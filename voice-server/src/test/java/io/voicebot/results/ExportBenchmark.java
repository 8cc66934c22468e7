package io.voicebot.results;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Database;
import io.voicebot.store.ListStore;
import io.voicebot.store.ResultsSeed;
import io.voicebot.store.Role;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;

/**
 * CSV export throughput: CONTACTS contacts of one campaign (every one with an attempt, most with a call and three
 * answers) exported through the HTTP API, rows per second from request to last byte; and how long the results
 * (GET /results) take on the same campaign. H2 in a temporary directory by default; VOICEBOT_BENCH_DB_URL
 * (+ _USER, _PASSWORD) selects MariaDB. Usage: scripts/bench-export.sh [CONTACTS]
 */
public final class ExportBenchmark {
    public static void main(String[] args) throws Exception {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String url = System.getenv("VOICEBOT_BENCH_DB_URL");
        boolean h2 = url == null || url.isBlank();
        if (h2) {
            url = "jdbc:h2:file:" + Files.createTempDirectory("bench-export").resolve("db")
                    + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
        VoicebotConfig.Db cfg = new VoicebotConfig.Db(url,
                h2 ? "voicebot" : System.getenv().getOrDefault("VOICEBOT_BENCH_DB_USER", "voicebot"),
                h2 ? "" : System.getenv().getOrDefault("VOICEBOT_BENCH_DB_PASSWORD", ""), 4, Duration.ofSeconds(10));
        long campaign;
        String token;
        Clock clock = Clock.systemUTC();
        try (Database db = Database.connect(cfg)) {
            db.migrate();
            long list = new ListStore(db, clock).createList("bench-export-" + System.nanoTime());
            campaign = new CampaignStore(db, clock).createCampaign(new CampaignStore.CampaignSpec(
                    "bench-export-" + System.nanoTime(), "results_check", list, LocalTime.MIN, LocalTime.of(23, 59),
                    EnumSet.allOf(DayOfWeek.class), 1, Duration.ofHours(1), 1));
            long t0 = System.nanoTime();
            ResultsSeed.Kind[] kinds = ResultsSeed.Kind.values();
            ResultsSeed.seed(db, campaign, list, contacts, 5_000_000 + (System.nanoTime() / 1000) % 1_000_000,
                    i -> kinds[i % kinds.length], i -> "Contact " + i + ", Ünal", i -> "feedback of contact " + i,
                    true);
            System.out.printf("seeded %d contacts in %.1f s%n", contacts, (System.nanoTime() - t0) / 1e9);
            token = new ApiTokenStore(db, clock).create("bench", Role.OPERATOR).secret();
        }
        System.out.printf("database: %s%n", h2 ? "H2 (embedded)" : "MariaDB");
        HttpClient client = HttpClient.newHttpClient();
        try (ExportServer server = new ExportServer(cfg)) {
            String base = "http://127.0.0.1:" + server.port() + "/api/campaigns/" + campaign;
            for (int run = 1; run <= 3; run++) {
                long t = System.nanoTime();
                HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base + "/export.csv"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
                long bytes = 0;
                long lines = 0;
                byte[] buf = new byte[1 << 16];
                try (InputStream in = r.body()) {
                    for (int k; (k = in.read(buf)) > 0; ) {
                        bytes += k;
                        for (int i = 0; i < k; i++) {
                            lines += buf[i] == '\n' ? 1 : 0;
                        }
                    }
                }
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf("export run %d: %d rows, %.1f MB in %.2f s = %.0f rows/s, %.1f MB/s (status %d)%n",
                        run, lines - 1, bytes / 1e6, s, (lines - 1) / s, bytes / 1e6 / s, r.statusCode());
            }
            long t = System.nanoTime();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(base + "/results"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("results of the same campaign: %.2f s (status %d)%n", (System.nanoTime() - t) / 1e9,
                    res.statusCode());
            System.out.printf("max heap %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
