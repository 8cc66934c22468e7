package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.speech.audio.Levels;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * First robot audio of an outbound call to a name nobody has been called with: the production path (contact
 * stored, attempt prepared as the dialer does, Originate over AMI to the in-process Asterisk, which rings for the
 * given time, answers and runs the outbound context over FastAGI and AudioSocket). Measured from the AudioSocket
 * connection (the first moment the robot can send audio) to the first robot frame louder than -40 dBFS, as the
 * callee hears it, and the longest silence inside the robot's audio until the callee's first turn (a prompt that
 * is still being synthesized shows up there). Run by scripts/bench-first-audio:
 * {@code FirstAudioBenchmark CALLS RING_MS [DIALOG]}; the callee says nothing and hangs up after the first question.
 */
public final class FirstAudioBenchmark {
    private static final double VOICED_DBFS = -40;
    private static final String[] FIRST = {"Philippa", "Evander", "Maelis", "Osric", "Talulah", "Bertrand", "Ysolde",
        "Caspian", "Marguerite", "Lucan", "Perpetua", "Anselm", "Rosalind", "Cyprian", "Delphine", "Ignatius"};
    private static final String[] LAST = {"Quennell", "Abernethy", "Thistlewood", "Ravensworth", "Pemberton",
        "Fairweather", "Kilbride", "Ashcombe", "Wetherell", "Blackstock", "Hollingsworth", "Dunmore", "Caldecott"};

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long ringMs = args.length > 1 ? Long.parseLong(args[1]) : 3000;
        String dialog = args.length > 2 ? args[2] : "satisfaction_survey";
        Path home = Path.of(System.getProperty("voicebot.home", "."));
        Random random = new Random(System.nanoTime()); // names differ from run to run: the disk cache outlives runs
        try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), home, Map.of())) {
            sim.ringFor(Duration.ofMillis(ringMs));
            // Warm-up: the JIT, the decoders and the dialog's fixed prompts, as on a server up for a while.
            sim.originate(dialog, "+15550100000", "Warm Up", fields(random), callee(), Duration.ofMinutes(3));
            sim.server().prompts().prerender(fixedPrompts(sim, dialog), 8000).get();
            awaitReady(sim.server().httpPort()); // what the server renders ahead at start-up is done
            List<Long> firstAudio = new ArrayList<>();
            List<Long> longestGap = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)] + " "
                        + (char) ('A' + random.nextInt(26)) + ".";
                SimulatedCaller callee = callee();
                sim.originate(dialog, String.format("+1555%07d", 200 + i), name, fields(random), callee,
                        Duration.ofMinutes(3));
                long[] m = measure(callee);
                if (m == null) {
                    System.out.printf("call %d (%s): no robot audio%n", i + 1, name);
                    continue;
                }
                firstAudio.add(m[0]);
                longestGap.add(m[1]);
                System.out.printf("call %d: first audio %d ms, longest silence before the first turn %d ms%n",
                        i + 1, m[0], m[1]);
            }
            Collections.sort(firstAudio);
            Collections.sort(longestGap);
            System.out.printf("| %s | ring %d ms | %d calls | first audio p50 %d / p95 %d / max %d ms "
                            + "| longest silence p50 %d / max %d ms |%n", dialog, ringMs, firstAudio.size(),
                    pct(firstAudio, 50), pct(firstAudio, 95), pct(firstAudio, 100), pct(longestGap, 50),
                    pct(longestGap, 100));
        }
        System.exit(0);
    }

    private static void awaitReady(int httpPort) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest ready = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + httpPort + "/ready")).build();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        while (http.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server was not ready within 10 minutes");
            }
            Thread.sleep(200);
        }
    }

    /** Stays silent and hangs up once the robot has been quiet for 2.5 s (after its first question). */
    private static SimulatedCaller callee() {
        return new SimulatedCaller(List.of(new SimulatedCaller.Reply.HangUp()), 2500, 60_000);
    }

    /** A new amount and due date too, for dialogs that say them (payment_reminder). */
    private static Map<String, String> fields(Random random) {
        return Map.of("amount", (100 + random.nextInt(900)) + "." + (10 + random.nextInt(90)),
                "due_date", "2026-1" + random.nextInt(3) + "-" + (10 + random.nextInt(18)));
    }

    private static java.util.Set<String> fixedPrompts(Simulation sim, String dialog) {
        return new java.util.LinkedHashSet<>(sim.server().dialogs().find(dialog).orElseThrow().fixedPrompts());
    }

    /**
     * {first voiced frame after the audio connected, longest run of quiet frames between the first and the last
     * voiced frame}, in ms; null when the robot never spoke.
     */
    static long[] measure(SimulatedCaller callee) {
        List<AudioSocketPeer.ReceivedFrame> frames = callee.heard();
        long first = -1;
        long lastVoiced = -1;
        long gap = 0;
        for (AudioSocketPeer.ReceivedFrame f : frames) {
            short[] s = f.frame().samples();
            if (s == null || s.length == 0 || Levels.rmsDbfs(s) < VOICED_DBFS) {
                continue;
            }
            if (first < 0) {
                first = f.nanos();
            } else {
                // the frame before this one ended 20 ms after it arrived: the silence is the time between them
                gap = Math.max(gap, (f.nanos() - lastVoiced) / 1_000_000 - 20);
            }
            lastVoiced = f.nanos();
        }
        return first < 0 ? null : new long[] {(first - callee.connectedNanos()) / 1_000_000, gap};
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
