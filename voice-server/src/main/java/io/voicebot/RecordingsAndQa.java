package io.voicebot;

import io.voicebot.api.HttpApi;
import io.voicebot.api.QaRoutes;
import io.voicebot.call.CallService;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.qa.QaService;
import io.voicebot.recording.RecordingRetention;
import io.voicebot.recording.RecordingWriter;
import io.voicebot.store.CallStore;
import io.voicebot.store.Database;
import io.voicebot.store.QaStore;
import io.voicebot.store.RecordingStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Call recordings with their retention job, and transcript QA (docs/results-and-qa.md): two start-up steps. */
final class RecordingsAndQa {
    private final VoicebotConfig config;
    private final Clock clock;
    private final Database database;
    private RecordingWriter writer;
    private RecordingRetention retention;
    private QaService qa;

    RecordingsAndQa(VoicebotConfig config, Clock clock, Database database) {
        this.config = config;
        this.clock = clock;
        this.database = database;
    }

    /** The recording writer (its own thread) and the retention job that deletes old recordings. */
    void startRecordings() {
        RecordingStore store = new RecordingStore(database);
        Path dir = config.dataDir().resolve("recordings");
        // 1200 chunks of 500 ms: ten minutes of audio across all calls may wait for a slow disk
        writer = new RecordingWriter(dir, store, clock, 1200);
        retention = new RecordingRetention(store, dir, clock, config.recording().retention());
        retention.start(config.recording().retentionCheck());
    }

    void stopRecordings() throws InterruptedException {
        retention.close();
        writer.close(Duration.ofSeconds(5));
    }

    /** Every call that ends is checked on the QA service's own thread. */
    void startQa(CallStore callStore, CallService callService, HttpApi http) throws Exception {
        QaStore qaStore = new QaStore(database, clock);
        qa = new QaService(callStore, qaStore, config.home().resolve("config/qa-rules.yaml"));
        callService.addListener(e -> qa.callEnded(e.callRowId()));
        new QaRoutes(qa, qaStore).register(http);
    }

    void stopQa() {
        qa.close();
    }

    RecordingWriter writer() {
        return writer;
    }

    QaService qa() {
        return qa;
    }
}
