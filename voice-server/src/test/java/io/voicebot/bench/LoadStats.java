package io.voicebot.bench;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a load run measured, collected from every caller thread: raw samples (one CSV row each), per-call
 * outcomes and robot frame timing; the summary computes percentiles (nearest rank) and rates from them.
 */
final class LoadStats {
    /** Kinds of raw samples. */
    enum Kind { TURN, BARGE_IN }

    /** One measurement: which call, which turn of it, what kind, how many milliseconds, the caller's condition. */
    record Sample(int call, int turn, Kind kind, double ms, String tail) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final List<String> errors = new ArrayList<>();
    private long robotFrames;
    private long lateFrames;
    /** Latency samples taken before this System.nanoTime() are left out (callers still starting). */
    private long measureFrom = Long.MIN_VALUE;

    /** What the caller of each call said, in order, by voicebot's call UUID. */
    private final Map<String, List<String>> spoken = new LinkedHashMap<>();

    synchronized void spoken(String callId, List<String> answers) {
        spoken.put(callId, List.copyOf(answers));
    }

    synchronized Map<String, List<String>> spoken() {
        return new LinkedHashMap<>(spoken);
    }

    synchronized void measureFrom(long nanos) {
        measureFrom = nanos;
    }

    synchronized void add(Sample s) {
        if (measureFrom == Long.MIN_VALUE || System.nanoTime() - measureFrom >= 0) {
            samples.add(s);
        }
    }

    synchronized void outcome(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    synchronized void error(String what) {
        errors.add(what);
    }

    /** Robot frames of one call, {@code late} of them more than the lateness limit behind their schedule. */
    synchronized void frames(long total, long late) {
        robotFrames += total;
        lateFrames += late;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    synchronized Map<String, Integer> outcomes() {
        return Map.copyOf(outcomes);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized long robotFrames() {
        return robotFrames;
    }

    synchronized long lateFrames() {
        return lateFrames;
    }

    /** Percent of robot frames that were late; 0 when none were received. */
    synchronized double latePercent() {
        return robotFrames == 0 ? 0 : 100.0 * lateFrames / robotFrames;
    }

    /** The sorted values of one kind (optionally only callers whose tail is {@code tail}; null: all). */
    synchronized List<Double> values(Kind kind, String tail) {
        List<Double> v = new ArrayList<>();
        for (Sample s : samples) {
            if (s.kind() == kind && (tail == null || tail.equals(s.tail()))) {
                v.add(s.ms());
            }
        }
        Collections.sort(v);
        return v;
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        if (p <= 0) {
            return sorted.get(0);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.min(sorted.size(), Math.max(1, rank)) - 1);
    }

    /** "p50 / p95 / p99 (n)" in whole milliseconds, or "none" without samples. */
    static String summary(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return "none";
        }
        return String.format("p50 %.0f / p95 %.0f / p99 %.0f ms (n=%d)", percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), sorted.size());
    }

    /** The raw samples as CSV: call,turn,kind,ms,tail (header first). */
    void writeCsv(Writer out) throws IOException {
        out.write("call,turn,kind,ms,tail\n");
        for (Sample s : samples()) {
            out.write(String.format(java.util.Locale.ROOT, "%d,%d,%s,%.1f,%s%n", s.call(), s.turn(),
                    s.kind().name().toLowerCase(java.util.Locale.ROOT), s.ms(), s.tail()));
        }
        out.flush();
    }
}
