package io.voicebot.results;

import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Database;
import io.voicebot.store.ListStore;
import io.voicebot.store.ResultsSeed;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export of a 100,000-contact campaign streams: it is served by a JVM of its own whose heap (-Xmx48m) is smaller
 * than the CSV (about 70 MB), read slowly at first, and every row arrives intact.
 */
class ExportMemoryTest {
    static final int CONTACTS = 100_000;
    static final String HEAP = "-Xmx48m";

    static String name(int i) {
        return "Contact " + i + ", " + "Ünal-Smith ".repeat(12).strip();
    }

    static String feedback(int i) {
        return "Feedback \"" + i + "\": " + "the robot was clear and polite; ".repeat(12).strip();
    }

    @Test
    void aHundredThousandContactsStreamThroughAHeapSmallerThanTheExport() throws Exception {
        try (TestDatabase tdb = TestDatabase.fresh()) {
            Database db = tdb.database();
            Clock clock = Clock.systemUTC();
            long list = new ListStore(db, clock).createList("big");
            long campaign = new CampaignStore(db, clock).createCampaign(new CampaignStore.CampaignSpec("big",
                    "results_check", list, LocalTime.MIN, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 1,
                    Duration.ofHours(1), 1));
            ResultsSeed.Kind[] kinds = ResultsSeed.Kind.values();
            long t0 = System.nanoTime();
            ResultsSeed.seed(db, campaign, list, CONTACTS, 3_000_000, i -> kinds[i % kinds.length],
                    ExportMemoryTest::name, ExportMemoryTest::feedback, false);
            System.out.printf("seeded %d contacts in %.1f s%n", CONTACTS, (System.nanoTime() - t0) / 1e9);
            String token = new ApiTokenStore(db, clock).create("export", Role.OPERATOR).secret();
            String url = tdb.config().url();
            if (db.isH2()) {
                db.close(); // the embedded file has one owner at a time: the export server's now
                url += ";CACHE_SIZE=4096";
            }
            Path err = Files.createTempFile("export-server", ".log");
            Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-cp", System.getProperty("java.class.path"), ExportServer.class.getName(), url,
                    tdb.config().user(), tdb.config().password())
                    .redirectError(err.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("PORT "), "export server did not start: " + line + "\n"
                        + Files.readString(err));
                int port = Integer.parseInt(line.substring(5).strip());
                long t1 = System.nanoTime();
                HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/campaigns/" + campaign + "/export.csv"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                CountingStream body = new CountingStream(r.body());
                try (CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    Iterator<CSVRecord> it = csv.iterator();
                    int n = 0;
                    while (it.hasNext()) {
                        CSVRecord rec = it.next();
                        if (n == 1000) {
                            Thread.sleep(3000); // a slow client: the server must wait, not pile up the rest
                        }
                        check(rec, n);
                        n++;
                    }
                    assertEquals(CONTACTS, n);
                    System.out.printf("exported %d rows in %.1f s%n", n, (System.nanoTime() - t1) / 1e9);
                }
                assertTrue(body.count > 48L << 20, "the export should be larger than the heap: " + body.count);
            } finally {
                server.getOutputStream().close();
                assertTrue(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "export server did not stop");
                String log = Files.readString(err);
                assertFalse(log.contains("OutOfMemoryError"), log);
                assertEquals(0, server.exitValue(), log);
                Files.deleteIfExists(err);
            }
        }
    }

    /** Row n is contact n of the seed (contacts are exported by id, which the seed gives in order). */
    private static void check(CSVRecord rec, int n) {
        if (n % 9973 != 0 && n != CONTACTS - 1) {
            return;
        }
        assertEquals(name(n), rec.get("name"), "row " + n);
        assertEquals(String.format("+1202%07d", 3_000_000 + n), rec.get("phone"), "row " + n);
        ResultsSeed.Kind k = ResultsSeed.Kind.values()[n % ResultsSeed.Kind.values().length];
        assertEquals(k == ResultsSeed.Kind.BUSY ? "" : feedback(n), rec.get("answer.feedback"), "row " + n);
        assertEquals(k == ResultsSeed.Kind.PROMISE ? "yes" : k == ResultsSeed.Kind.NO_PROMISE ? "no" : "",
                rec.get("answer.can_pay"), "row " + n);
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int k = super.read(b, off, len);
            count += Math.max(0, k);
            return k;
        }
    }
}
