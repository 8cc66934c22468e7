package io.voicebot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.store.DialogStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dialogs uploaded earlier (the dialogs table) load at start-up over the files; a broken one is skipped. */
class StoredDialogsStartupTest {

    @Test
    void storedDialogsOverrideFilesAndBrokenOnesAreSkipped() throws Exception {
        Path home = Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize();
        try (TestDatabase tdb = TestDatabase.fresh()) {
            DialogStore store = new DialogStore(tdb.database(), Clock.systemUTC());
            store.saveDialog("stored_only", "yaml", """
                    name: stored_only
                    steps:
                      - id: bye
                        hangup: completed
                        say: "Goodbye from the database."
                    """);
            String survey = Files.readString(home.resolve("config/dialogs/satisfaction_survey.yaml"))
                    .replace("description: Satisfaction survey after a call with the support team",
                            "description: Edited survey from the database");
            store.saveDialog("satisfaction_survey", "yaml", survey);
            // Stored when it compiled; "maybe" is no outcome, as if the outcomes had changed since.
            store.saveDialog("stored_broken", "yaml", """
                    name: stored_broken
                    steps:
                      - id: bye
                        hangup: maybe
                    """);

            Logger log = (Logger) LoggerFactory.getLogger(VoicebotServer.class);
            ListAppender<ILoggingEvent> lines = new ListAppender<>();
            lines.start();
            log.addAppender(lines);
            Map<String, String> o = new HashMap<>(tdb.overrides());
            for (String k : List.of("http", "agi", "audiosocket")) {
                o.put(k + ".bind", "127.0.0.1");
                o.put(k + ".port", "0");
            }
            VoicebotServer server = new VoicebotServer(VoicebotConfig.defaults(home, o));
            try {
                server.start();
                assertTrue(server.isRunning());
                assertTrue(server.dialogs().find("stored_only").isPresent());
                assertEquals("Edited survey from the database",
                        server.dialogs().get("satisfaction_survey").description());
                assertTrue(server.dialogs().find("payment_reminder").isPresent(), "file dialogs still load");
                assertTrue(server.dialogs().find("stored_broken").isEmpty());
                List<String> warnings = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.startsWith("stored dialog stored_broken")).toList();
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).contains("dialogs table: stored_broken v1: step 'bye': hangup: "
                        + "unknown outcome 'maybe'"), warnings.get(0));
            } finally {
                log.detachAppender(lines);
                server.shutdown();
            }
        }
    }
}
