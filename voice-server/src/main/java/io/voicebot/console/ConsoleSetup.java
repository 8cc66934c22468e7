package io.voicebot.console;

import io.voicebot.api.HttpApi;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.DashboardQueries;
import io.voicebot.store.Database;

import java.time.Clock;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/** The web console's pages under /console, its dashboard summary and test calls (docs/console.md). */
public final class ConsoleSetup implements AutoCloseable {
    private final TestCalls testCalls;

    /**
     * @param agiBind the FastAGI listener's address: test calls dial it (the loopback when it listens on all)
     */
    public ConsoleSetup(HttpApi http, Database database, String agiBind, IntSupplier agiPort,
            IntSupplier audioSocketPort, PromptCache prompts, IntSupplier callsInProgress,
            Predicate<String> dialogExists, Clock clock) {
        testCalls = new TestCalls(agiBind.equals("0.0.0.0") || agiBind.equals("::") ? "127.0.0.1" : agiBind,
                agiPort, audioSocketPort, prompts, clock);
        new ConsoleRoutes(new DashboardQueries(database), callsInProgress, testCalls, dialogExists, clock)
                .register(http);
        http.serveFiles("/console", "console");
    }

    @Override
    public void close() {
        testCalls.close();
    }
}
