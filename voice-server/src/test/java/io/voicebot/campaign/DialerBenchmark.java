package io.voicebot.campaign;

import io.voicebot.config.Settings;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.Simulation;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.ListStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sustained originations per second of the dialer against the in-process Asterisk: CAMPAIGNS campaigns of
 * CONTACTS numbers each (every call busy at once, one attempt each, 100 calls/s allowed per campaign), from start
 * to the last attempt settled. On H2 by default; VOICEBOT_BENCH_DB_URL (+ _USER, _PASSWORD) selects MariaDB.
 * Usage: scripts/bench-dialer.sh [CONTACTS] [CAMPAIGNS]
 */
public final class DialerBenchmark {
    public static void main(String[] args) throws Exception {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int campaigns = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = Files.createTempDirectory("bench-dialer");
        Files.writeString(dir.resolve("compliance.yaml"), """
                default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
                caps: {per_day: 5, per_week: 10, per_month: 20}
                """);
        Map<String, String> o = new HashMap<>();
        o.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        o.put("campaign.tick.ms", "200");
        o.put("campaign.max.concurrent.calls", "10000");
        String url = System.getenv("VOICEBOT_BENCH_DB_URL");
        if (url != null && !url.isBlank()) {
            o.put("db.url", url);
            o.put("db.user", System.getenv().getOrDefault("VOICEBOT_BENCH_DB_USER", "voicebot"));
            o.put("db.password", System.getenv().getOrDefault("VOICEBOT_BENCH_DB_PASSWORD", ""));
        }
        try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty(
                "voicebot.home", ".")), o)) {
            sim.ami().defaultOutcome(AmiPeer.Outcome.BUSY, Duration.ZERO);
            List<Long> ids = new ArrayList<>();
            for (int k = 0; k < campaigns; k++) {
                ListStore ls = sim.server().listStore();
                long list = ls.createList("bench-" + k + "-" + System.nanoTime());
                List<ListStore.ContactRow> rows = new ArrayList<>();
                for (int i = 0; i < contacts; i++) {
                    rows.add(new ListStore.ContactRow(String.format("+1%03d%07d", 200 + k, i), null, Map.of(), "UTC"));
                }
                ls.addContacts(list, rows);
                CampaignStore.CampaignSpec spec = new CampaignStore.CampaignSpec("bench-" + k + "-" + System.nanoTime(),
                        "satisfaction_survey", List.of(list), LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59),
                        EnumSet.allOf(DayOfWeek.class), 1, Duration.ofHours(1), 1000, null, null, null, 0, 100, 3,
                        Map.of(), "off", null, 30, false);
                ids.add(sim.server().campaigns().create(spec).id());
            }
            long t0 = System.nanoTime();
            for (long id : ids) {
                sim.server().campaigns().start(id);
            }
            int total = contacts * campaigns;
            int lastDone = 0;
            long lastT = t0;
            double peak = 0;
            while (true) {
                Thread.sleep(1000);
                int done = 0;
                for (long id : ids) {
                    done += sim.server().campaignReports().progress(id).contacts().getOrDefault("exhausted", 0);
                }
                long now = System.nanoTime();
                peak = Math.max(peak, (done - lastDone) / ((now - lastT) / 1e9));
                lastDone = done;
                lastT = now;
                if (done >= total) {
                    break;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("database: %s%n", url == null || url.isBlank() ? "H2 (embedded)" : "MariaDB");
            System.out.printf("%d campaign(s) x %d numbers, all busy: %d originates in %.1f s = %.1f originations/s "
                    + "sustained, best second %.0f/s (allowed: %d x 100/s)%n", campaigns, contacts, total, secs,
                    total / secs, peak, campaigns);
            System.out.printf("AMI Originate actions received: %d%n", sim.ami().received("Originate").size());
        }
    }
}
