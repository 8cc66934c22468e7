package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turn latency: from the end of the caller's speech to the first frame of the robot's answer, over real
 * FastAGI/AudioSocket calls of the satisfaction survey with spoken answers. Run by scripts/bench-turns.sh:
 * {@code TurnLatencyBenchmark CALLS CONCURRENCY}. Prints a Markdown table row for BENCHMARKS.md.
 */
public final class TurnLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path home = Path.of(System.getProperty("voicebot.home", "."));
        try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), home, Map.of())) {
            List<String> says = List.of("yes", "yes", "four", "yes");
            // Warm-up call: decoders and prompts ready, as on a server that has been up for a while.
            sim.outbound("satisfaction_survey", Map.of("name", "Warm Up"), "+15550000000",
                    new SimulatedCaller(sim.replies(says), 1200, 60_000), Duration.ofMinutes(3));
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<Simulation.CallReport>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                String number = String.format("+1555%07d", i + 1);
                String name = "Caller " + (i + 1);
                futures.add(pool.submit(() -> sim.outbound("satisfaction_survey", Map.of("name", name), number,
                        new SimulatedCaller(sim.replies(says), 1200, 60_000), Duration.ofMinutes(5))));
            }
            List<Long> latencies = new ArrayList<>();
            int completed = 0;
            for (Future<Simulation.CallReport> f : futures) {
                Simulation.CallReport r = f.get();
                latencies.addAll(r.latenciesMs());
                if ("completed".equals(r.outcome())) {
                    completed++;
                }
            }
            pool.shutdown();
            double wall = (System.nanoTime() - t0) / 1e9;
            Collections.sort(latencies);
            System.out.printf("| %d calls, %d at once | %d turns | p50 %d ms | p95 %d ms | max %d ms | "
                            + "%d/%d calls completed | %.0f s |%n", calls, concurrency, latencies.size(),
                    pct(latencies, 50), pct(latencies, 95), latencies.get(latencies.size() - 1), completed, calls,
                    wall);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
