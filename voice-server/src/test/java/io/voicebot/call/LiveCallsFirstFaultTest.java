package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.SimulatedCaller.Reply;
import io.voicebot.sim.Simulation;
import io.voicebot.speech.audio.Levels;
import io.voicebot.speech.tts.PrerenderBudget;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 1: a dialog upload with 2,000 `say` steps must not starve live calls. The upload is accepted, at
 * most {@link PrerenderBudget#PER_DIALOG} of its prompts wait to be rendered ahead (before: the synthesizer's
 * whole background lane, 1,000), and a payment reminder to a contact nobody has called (a fresh name and
 * amount) meanwhile speaks to its caller.
 */
class LiveCallsFirstFaultTest {
    private static TestDatabase tdb;
    private static Simulation sim;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        tdb = TestDatabase.fresh();
        sim = Simulation.start(Settings.load(null, Map.of()), Path.of(System.getProperty("voicebot.home", "..")),
                tdb.overrides());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        tdb.close();
    }

    /** 2,000 say steps, each a sentence nobody has rendered before (the cache on disk outlives tests). */
    static String bulletin(String tag) {
        StringBuilder y = new StringBuilder("name: bulletin\nsteps:\n");
        for (int i = 0; i < 2000; i++) {
            y.append("  - id: s").append(i).append("\n    say: \"Bulletin ").append(tag).append(", notice ")
                    .append(i).append(".\"\n");
            y.append(i == 1999 ? "    hangup: completed\n" : "    next: s" + (i + 1) + "\n");
        }
        return y.toString();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.server().httpPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static double waiting() throws Exception {
        String scrape = get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^voicebot_tts_background_waiting(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        assertTrue(m.find(), "gauge voicebot_tts_background_waiting in /metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aTwoThousandSayUploadLeavesALiveCallsFreshPromptAudible() throws Exception {
        String admin = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("ops", Role.ADMIN)
                .secret();
        String tag = Long.toString(System.nanoTime(), 36);
        String yaml = bulletin(tag);
        assertTrue(yaml.length() > 90_000, "a large upload: " + yaml.length());
        // the start-up preparation of the shipped dialogs is done (it shares the upload's single thread)
        long ready = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (get("/ready").statusCode() != 200 && System.nanoTime() < ready) {
            Thread.sleep(200);
        }
        int shipped = sim.server().dialogs().all().values().stream().mapToInt(d -> d.fixedPrompts().size()).sum();
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + sim.server().httpPort() + "/api/dialogs")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, up.statusCode(), up.body());

        // the upload's first prompts are rendered ahead, in the low-priority lane, and only a bounded number wait
        Path first = sim.server().prompts().fileFor("Bulletin " + tag + ", notice 0.", 8000);
        double most = 0;
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.exists(first) && System.nanoTime() < until) {
            most = Math.max(most, waiting());
            Thread.sleep(100);
        }
        assertTrue(Files.exists(first), "the upload's first prompt was rendered ahead: " + first);
        for (int i = 0; i < 20; i++) {
            most = Math.max(most, waiting());
            Thread.sleep(100);
        }
        assertTrue(most <= PrerenderBudget.PER_DIALOG + shipped, "at most " + PrerenderBudget.PER_DIALOG
                + " of the upload's prompts (and the " + shipped + " shipped ones) wait, saw " + most);
        assertTrue(waiting() > 0, "the upload's backlog is still being rendered while the call runs");

        // meanwhile a live call whose greeting names a customer nobody has called yet
        String name = "Ottoline Vasquez-" + (char) ('A' + new Random().nextInt(26));
        String amount = (100 + new Random().nextInt(900)) + "." + (10 + new Random().nextInt(90));
        SimulatedCaller caller = new SimulatedCaller(List.of(new Reply.HangUp()), 1200, 60_000);
        Simulation.CallReport r = sim.originate("payment_reminder", "+15550177002", name,
                Map.of("amount", amount, "due_date", "2026-11-03"), caller, Duration.ofMinutes(3));
        double loudest = 0;
        int loud = 0;
        for (AudioSocketPeer.ReceivedFrame f : caller.heard()) {
            short[] pcm = f.frame().samples();
            if (pcm != null && pcm.length > 0) {
                double ms = Levels.meanSquare(pcm, 0, pcm.length);
                loudest = Math.max(loudest, ms);
                loud += ms > 1e5 ? 1 : 0;
            }
        }
        assertTrue(loud >= 25, "the caller heard the robot speak (half a second or more): " + loud
                + " loud frames, loudest " + loudest + "; events " + caller.events());
        assertTrue(caller.events().stream().noneMatch(e -> e.what().contains("robot did not speak")),
                caller.events().toString());
        assertTrue(!"failed".equals(r.outcome()) && !"error".equals(r.outcome()), "outcome " + r.outcome());
        // prompts past the budget were not rendered ahead: they wait until a call reaches them
        assertTrue(!Files.exists(sim.server().prompts().fileFor("Bulletin " + tag + ", notice 1999.", 8000)));
    }
}
