package io.voicebot.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.api.HealthChecks;
import io.voicebot.api.HttpApi;
import io.voicebot.api.ResultRoutes;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CampaignExport;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Database;
import io.voicebot.store.ResultQueries;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/**
 * Only the HTTP API with the results routes on an existing database: what the export needs and nothing else
 * (no speech, no calls), so its memory can be bounded with -Xmx in a JVM of its own. Prints "PORT n" when it
 * listens and stops when its standard input closes.
 * Usage: ExportServer JDBC-URL USER PASSWORD
 */
public final class ExportServer implements AutoCloseable {
    private final Database db;
    private final HttpApi http;

    public ExportServer(VoicebotConfig.Db cfg) throws Exception {
        db = Database.connect(cfg);
        http = new HttpApi(new VoicebotConfig.Http("127.0.0.1", 0, 1 << 20, 1 << 20),
                new ApiTokenStore(db, Clock.systemUTC()), new Metrics(), new HealthChecks(() -> true, () -> false),
                new ObjectMapper(), 2, Files.createTempDirectory("export-server"));
        ResultQueries results = new ResultQueries(db);
        CampaignStore campaigns = new CampaignStore(db, Clock.systemUTC());
        new ResultRoutes(id -> campaigns.findCampaign(id).isPresent(),
                new CampaignResults(new CampaignReports(db), results), new CsvExport(new CampaignExport(db), results))
                .register(http);
        http.start();
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() throws Exception {
        http.stop(Duration.ofSeconds(2));
        db.close();
    }

    public static void main(String[] args) throws Exception {
        try (ExportServer s = new ExportServer(new VoicebotConfig.Db(args[0], args[1], args.length > 2 ? args[2] : "",
                4, Duration.ofSeconds(10)))) {
            System.out.println("PORT " + s.port());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
