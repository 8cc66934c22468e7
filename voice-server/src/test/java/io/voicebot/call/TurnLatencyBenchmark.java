package io.voicebot.call;

import io.voicebot.config.Settings;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.speech.asr.TestAudio;
import io.voicebot.speech.audio.Levels;
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
 * {@code TurnLatencyBenchmark CALLS CONCURRENCY [NOISE_DBFS]}. Prints a Markdown table row for BENCHMARKS.md.
 * With NOISE_DBFS every answer ends in 700 ms of white noise at that level (line or vocoder hiss). Two latencies:
 * the server's (from where its VAD placed the end of speech) and the caller's (from the last voiced sample of the
 * words, without the noise, to the first robot frame louder than -40 dBFS), which does not trust the VAD.
 */
public final class TurnLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path home = Path.of(System.getProperty("voicebot.home", "."));
        Double noiseDbfs = args.length > 2 ? Double.valueOf(args[2]) : null;
        try (Simulation sim = Simulation.start(Settings.load(null, Map.of()), home, Map.of())) {
            List<String> says = List.of("yes", "yes", "four", "yes");
            Map<String, Integer> voicedEndMs = new java.util.HashMap<>();
            List<SimulatedCaller.Reply> replies = new ArrayList<>();
            for (String s : says) {
                short[] words = voice(sim, s);
                voicedEndMs.put(s, voicedEnd(words));
                replies.add(new SimulatedCaller.Reply.Speak(s, noiseDbfs == null ? words
                        : TestAudio.concat(words, TestAudio.noise(700, noiseDbfs, s.hashCode()))));
            }
            // Warm-up call: decoders and prompts ready, as on a server that has been up for a while.
            sim.outbound("satisfaction_survey", Map.of("name", "Warm Up"), "+15550000000",
                    new SimulatedCaller(replies, 1200, 60_000), Duration.ofMinutes(3));
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<Simulation.CallReport>> futures = new ArrayList<>();
            List<SimulatedCaller> callers = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                String number = String.format("+1555%07d", i + 1);
                String name = "Caller " + (i + 1);
                futures.add(pool.submit(() -> {
                    SimulatedCaller c = new SimulatedCaller(replies, 1200, 60_000);
                    callers.add(c);
                    return sim.outbound("satisfaction_survey", Map.of("name", name), number, c,
                            Duration.ofMinutes(5));
                }));
            }
            List<Long> latencies = new ArrayList<>();
            int completed = 0;
            for (Future<Simulation.CallReport> f : futures) {
                Simulation.CallReport r = f.get();
                latencies.addAll(r.latenciesMs());
                if ("completed".equals(r.outcome())) {
                    completed++;
                } else {
                    System.out.println(Simulation.transcript("not completed: " + r.outcome(), r));
                }
            }
            pool.shutdown();
            List<Long> callerSide = new ArrayList<>();
            for (SimulatedCaller c : callers) {
                callerSide.addAll(callerSide(c, voicedEndMs));
            }
            Collections.sort(callerSide);
            double wall = (System.nanoTime() - t0) / 1e9;
            Collections.sort(latencies);
            System.out.printf("| %d calls, %d at once | %d turns | p50 %d ms | p95 %d ms | max %d ms | "
                            + "%d/%d calls completed | %.0f s |%n", calls, concurrency, latencies.size(),
                    pct(latencies, 50), pct(latencies, 95), latencies.get(latencies.size() - 1), completed, calls,
                    wall);
            System.out.printf("| caller's side%s | %d turns | p50 %d ms | p95 %d ms | max %d ms |%n",
                    noiseDbfs == null ? "" : ", answers end in noise at " + noiseDbfs + " dBFS", callerSide.size(),
                    pct(callerSide, 50), pct(callerSide, 95), callerSide.get(callerSide.size() - 1));
        }
    }

    /** The caller's words; on a loaded machine the start-up prompt rendering can hold the synthesizer minutes. */
    static short[] voice(Simulation sim, String text) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return sim.voice(text);
            } catch (java.util.concurrent.TimeoutException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** End of the last 10 ms window of {@code pcm} louder than -45 dBFS, in ms. */
    static int voicedEnd(short[] pcm) {
        int end = 0;
        for (int off = 0; off + 80 <= pcm.length; off += 80) {
            if (Levels.rmsDbfs(pcm, off, 80) > -45) {
                end = (off + 80) / 8;
            }
        }
        return end;
    }

    /**
     * From each answer's last voiced sample (sending starts after 200 ms of lead-in silence, frames go out in real
     * time) to the first robot frame after it louder than -40 dBFS.
     */
    static List<Long> callerSide(SimulatedCaller c, Map<String, Integer> voicedEndMs) {
        List<Long> out = new ArrayList<>();
        List<AudioSocketPeer.ReceivedFrame> heard = c.heard();
        for (SimulatedCaller.Event e : c.events()) {
            if (!e.what().startsWith("caller says: \"")) {
                continue;
            }
            String said = e.what().substring("caller says: \"".length(), e.what().length() - 1);
            Integer voiced = voicedEndMs.get(said);
            if (voiced == null) {
                continue;
            }
            long endNanos = c.connectedNanos() + (e.atMs() + 200 + voiced) * 1_000_000L;
            for (AudioSocketPeer.ReceivedFrame f : heard) {
                short[] pcm = f.frame().samples();
                if (f.nanos() > endNanos && pcm != null && pcm.length > 0
                        && Levels.rmsDbfs(pcm, 0, pcm.length) > -40) {
                    out.add((f.nanos() - endNanos) / 1_000_000);
                    break;
                }
            }
        }
        return out;
    }

    private static long pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
