package io.voicebot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.api.HealthChecks;
import io.voicebot.api.HttpApi;
import io.voicebot.call.ActiveCalls;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.AuditStore;
import io.voicebot.store.CallStore;
import io.voicebot.store.Database;
import io.voicebot.store.DncStore;
import io.voicebot.store.WriteJournal;

import java.time.Clock;
import java.time.Duration;

/** Stores every call uses, health checks and the HTTP API (routes of later steps register with it). */
final class CoreParts {
    final CallStore callStore;
    /** Calls' own writes survive a database outage (docs/security.md); the API's report it instead. */
    final WriteJournal journal;
    /** The do-not-call list as calls write it: through the journal. */
    final DncStore callDnc;
    final DncStore dncStore;
    final PhoneNumbers phones;
    final HealthChecks health;
    final HttpApi http;

    CoreParts(VoicebotConfig config, Clock clock, Database database, Metrics metrics, ActiveCalls calls,
            ObjectMapper json) {
        callStore = new CallStore(database, config.campaign().nodeId());
        journal = new WriteJournal(config.dataDir().resolve("journal"), 100_000);
        callStore.journaled(journal);
        callDnc = new DncStore(database).journaled(journal);
        dncStore = new DncStore(database);
        phones = new PhoneNumbers(config.phone().defaultRegion());
        health = new HealthChecks(() -> database.isHealthy(Duration.ofSeconds(2)), calls::isDraining);
        // Handlers do JDBC: as many workers as pooled connections, within reason.
        http = new HttpApi(config.http(), new ApiTokenStore(database, clock), new AuditStore(database, clock),
                metrics, health, json,
                Math.max(2, Math.min(16, config.db().poolSize())), config.dataDir().resolve("uploads"));
        health.listener("http", http::isBound);
    }
}
