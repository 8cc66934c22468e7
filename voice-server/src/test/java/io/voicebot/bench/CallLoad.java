package io.voicebot.bench;

import io.voicebot.sim.AgiPeer;
import io.voicebot.speech.tts.MaryTtsSynthesizer;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load harness run by scripts/bench-calls: N callers at once for S seconds, each placing inbound hotline
 * calls back to back through FastAGI and AudioSocket, answering with MaryTTS speech. See docs/performance.md.
 */
public final class CallLoad {
    /** The hotline's spoken loop: main "my card", card_lost "no", card_question "a loan", loan_info "my card"... */
    private static final List<String> ANSWERS = List.of("my card", "no", "a loan", "my card");

    private CallLoad() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-calls: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Path home = Path.of(System.getProperty("voicebot.home", "."));
        Path out = home.resolve("voice-server/target");
        Files.createDirectories(out);
        List<short[]> answers = speak(ANSWERS);
        double load0 = loadAverage();
        ServerUnderTest server = o.target == null
                ? ServerUnderTest.start(home, out.resolve("bench-calls-server.log"), Map.of())
                : ServerUnderTest.attach(o.target, o.pid);
        int exit;
        try {
            exit = run(o, server, answers, out, load0);
        } finally {
            server.close();
        }
        System.exit(exit); // the callers' daemon threads and MaryTTS must not keep the JVM up
    }

    private static int run(Options o, ServerUnderTest server, List<short[]> answers, Path out, double load0)
            throws Exception {
        AgiPeer agi = new AgiPeer(server.host, server.agiPort);
        String audio = server.host + ":" + server.audioSocketPort;
        ProcSampler proc = new ProcSampler(server.pid);
        ProcSampler self = new ProcSampler(ProcessHandle.current().pid());

        // One warm-up call, not counted: the server's decoders and prompts ready, as on a server up for a while.
        LoadStats warm = new LoadStats();
        String warmUp = new LoadCaller(agi, audio, warm).call(new LoadCaller.Plan(0, answers, ANSWERS, false, -50, 0, 0,
                false, 1));
        System.out.println("warm-up call: " + warmUp + (warm.errors().isEmpty() ? "" : " " + warm.errors()));
        Thread.sleep(2000);
        double idleRss = proc.rssMib();

        LoadStats stats = new LoadStats();
        LoadCaller caller = new LoadCaller(agi, audio, stats);
        AtomicInteger next = new AtomicInteger(1);
        Random plans = new Random(o.seed);
        long t0 = System.nanoTime();
        // S seconds with every caller started: the ramp comes first and its turns are not measured.
        stats.measureFrom(t0 + TimeUnit.MILLISECONDS.toNanos(o.rampMs));
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(o.rampMs) + TimeUnit.SECONDS.toNanos(o.seconds);
        double cpu0 = proc.cpuSeconds();
        double selfCpu0 = self.cpuSeconds();
        ExecutorService pool = Executors.newFixedThreadPool(o.calls, r -> {
            Thread t = new Thread(r, "bench-caller");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> slots = new ArrayList<>();
        for (int i = 0; i < o.calls; i++) {
            // Starts spread over the ramp (two seconds unless --ramp-ms), as calls arrive, not all at once.
            long startDelay = o.rampMs * i / o.calls;
            slots.add(pool.submit(() -> {
                Thread.sleep(startDelay);
                while (System.nanoTime() < deadline) {
                    caller.call(plan(next.getAndIncrement(), answers, o, plans));
                }
                return null;
            }));
        }
        double peakRss = idleRss;
        while (slots.stream().anyMatch(f -> !f.isDone())) {
            Thread.sleep(1000);
            peakRss = Math.max(peakRss, proc.rssMib());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = proc.cpuSeconds() - cpu0;
        double selfCpu = self.cpuSeconds() - selfCpu0;
        pool.shutdown();
        double load1 = loadAverage();

        Path csv = o.csv != null ? Path.of(o.csv) : out.resolve("bench-calls-" + o.calls + ".csv");
        try (Writer w = Files.newBufferedWriter(csv)) {
            stats.writeCsv(w);
        }
        report(o, server, stats, idleRss, peakRss, cpu, selfCpu, wall, load0, load1, csv);
        System.out.println(Understood.check(server, stats.spoken()));
        return stats.outcomes().getOrDefault("failed", 0) > 0 ? 1 : 0;
    }

    private static synchronized LoadCaller.Plan plan(int call, List<short[]> answers, Options o, Random r) {
        boolean noise = r.nextDouble() < o.noise;
        double dbfs = -56 + 12 * r.nextDouble();
        return new LoadCaller.Plan(call, answers, ANSWERS, noise, dbfs, o.noiseMs, o.bargeIn, r.nextDouble() < o.hangUp,
                r.nextLong());
    }

    private static void report(Options o, ServerUnderTest s, LoadStats st, double idleRss, double peakRss,
                               double cpu, double selfCpu, double wall, double load0, double load1, Path csv) {
        int calls = st.outcomes().values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("bench-calls: %d callers at once for %d s after a %d ms ramp (barge-in %.2f, noise tails "
                        + "%.2f%s, early hang-up %.2f); load average %.2f before, %.2f after%n", o.calls, o.seconds,
                o.rampMs, o.bargeIn,
                o.noise, o.noiseMs > 0 ? " for " + o.noiseMs + " ms" : " until the robot speaks", o.hangUp, load0,
                load1);
        if (!Double.isNaN(s.servingSeconds)) {
            System.out.printf("server start: serving (/health) after %.1f s, speech ready (/ready) after %.1f s%n",
                    s.servingSeconds, s.readySeconds);
        }
        System.out.printf("calls: %d, outcomes %s%n", calls, st.outcomes());
        System.out.println("turn latency, all   : " + LoadStats.summary(st.values(LoadStats.Kind.TURN, null)));
        System.out.println("turn latency, noise : " + LoadStats.summary(st.values(LoadStats.Kind.TURN, "noise")));
        System.out.println("turn latency, clean : " + LoadStats.summary(st.values(LoadStats.Kind.TURN, "clean")));
        System.out.println("barge-in latency    : " + LoadStats.summary(st.values(LoadStats.Kind.BARGE_IN, null)));
        System.out.printf("robot frames > 40 ms late: %d of %d (%.2f%%)%n", st.lateFrames(), st.robotFrames(),
                st.latePercent());
        if (s.pid > 0) {
            System.out.printf("server: CPU %.0f%% of one core (%.1f%% per call), RSS idle %.0f MiB, peak %.0f MiB "
                            + "(%.1f MiB per call)%n", 100 * cpu / wall, 100 * cpu / wall / o.calls, idleRss, peakRss,
                    (peakRss - idleRss) / o.calls);
        }
        System.out.printf("load generator: CPU %.0f%% of one core (same machine)%n", 100 * selfCpu / wall);
        List<String> errors = st.errors();
        System.out.println("errors: " + errors.size());
        errors.stream().limit(10).forEach(e -> System.out.println("  " + e));
        System.out.println("raw samples: " + csv);
        List<Double> turns = st.values(LoadStats.Kind.TURN, null);
        List<Double> noise = st.values(LoadStats.Kind.TURN, "noise");
        System.out.printf("| %d | %.0f / %.0f / %.0f | %.0f / %.0f | %.0f | %.2f%% | %d of %d | %.0f / %.0f MiB | "
                        + "%.0f%% | %.1f |%n", o.calls, LoadStats.percentile(turns, 50), LoadStats.percentile(turns, 95),
                LoadStats.percentile(turns, 99), LoadStats.percentile(noise, 50), LoadStats.percentile(noise, 95),
                LoadStats.percentile(st.values(LoadStats.Kind.BARGE_IN, null), 95), st.latePercent(),
                st.outcomes().getOrDefault("failed", 0), calls, idleRss, peakRss, 100 * cpu / wall, load1);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** MaryTTS (the server's voice) at 8 kHz, trimmed so the first and last frames are voiced. */
    private static List<short[]> speak(List<String> texts) throws Exception {
        List<short[]> out = new ArrayList<>();
        try (MaryTtsSynthesizer mary = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1)) {
            Map<String, short[]> cache = new LinkedHashMap<>();
            for (String t : texts) {
                short[] pcm = cache.get(t);
                if (pcm == null) {
                    pcm = Audio.trim(mary.synthesize(t, 8000).get(60, TimeUnit.SECONDS).samples());
                    cache.put(t, pcm);
                }
                out.add(pcm);
            }
        }
        return out;
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = "usage: scripts/bench-calls --calls N --seconds S [--barge-in R] [--noise R]"
                + " [--noise-ms MS] [--hang-up R] [--target host:agi-port:audiosocket-port [--pid PID]]"
                + " [--csv FILE] [--seed N] [--ramp-ms MS]";
        int calls = 1;
        int seconds = 60;
        double bargeIn = 0.1;
        double noise = 0.5;
        long noiseMs = 0;
        double hangUp = 0.1;
        String target;
        long pid = -1;
        String csv;
        long seed = 14;
        /**
         * Call starts spread evenly over this long. With all callers starting within two seconds and hearing the
         * same prompts, their turns stay in step for the whole run (every answer decoded at the same moment); a
         * longer ramp spreads them as a dialer's calls with their different ring times are. Latency samples are
         * taken only once every caller has started.
         */
        long rampMs = 2000;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    throw new IllegalArgumentException("help");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                try {
                    switch (a) {
                        case "--calls" -> o.calls = positive(a, Integer.parseInt(v));
                        case "--seconds" -> o.seconds = positive(a, Integer.parseInt(v));
                        case "--barge-in" -> o.bargeIn = rate(a, Double.parseDouble(v));
                        case "--noise" -> o.noise = rate(a, Double.parseDouble(v));
                        case "--noise-ms" -> o.noiseMs = Long.parseLong(v);
                        case "--hang-up" -> o.hangUp = rate(a, Double.parseDouble(v));
                        case "--target" -> o.target = v;
                        case "--pid" -> o.pid = Long.parseLong(v);
                        case "--csv" -> o.csv = v;
                        case "--seed" -> o.seed = Long.parseLong(v);
                        case "--ramp-ms" -> o.rampMs = positive(a, Integer.parseInt(v));
                        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("option " + a + ": '" + v + "' is not a number");
                }
            }
            return o;
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("option " + name + " must be at least 1, got " + v);
            }
            return v;
        }

        private static double rate(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("option " + name + " is a fraction from 0 to 1, got " + v);
            }
            return v;
        }
    }
}
