package io.voicebot.bench;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadStatsTest {
    @Test
    void percentilesAreNearestRankOverTheSamplesOfOneKind() {
        LoadStats s = new LoadStats();
        for (int i = 1; i <= 100; i++) {
            s.add(new LoadStats.Sample(i, 0, LoadStats.Kind.TURN, i * 10, i % 2 == 0 ? "noise" : "clean"));
        }
        s.add(new LoadStats.Sample(1, 1, LoadStats.Kind.BARGE_IN, 120, "clean"));
        List<Double> turns = s.values(LoadStats.Kind.TURN, null);
        assertEquals(100, turns.size());
        assertEquals(500, LoadStats.percentile(turns, 50));
        assertEquals(950, LoadStats.percentile(turns, 95));
        assertEquals(990, LoadStats.percentile(turns, 99));
        assertEquals(1000, LoadStats.percentile(turns, 100));
        List<Double> noise = s.values(LoadStats.Kind.TURN, "noise");
        assertEquals(50, noise.size());
        assertEquals(20, noise.get(0)); // only even calls, sorted
        assertEquals("p50 120 / p95 120 / p99 120 ms (n=1)", LoadStats.summary(s.values(LoadStats.Kind.BARGE_IN, null)));
        assertEquals("none", LoadStats.summary(List.of()));
        assertTrue(Double.isNaN(LoadStats.percentile(List.of(), 95)));
    }

    @Test
    void samplesDuringTheRampAreLeftOut() {
        LoadStats s = new LoadStats();
        s.measureFrom(System.nanoTime() + java.util.concurrent.TimeUnit.HOURS.toNanos(1));
        s.add(new LoadStats.Sample(1, 0, LoadStats.Kind.TURN, 5000, "clean"));
        assertTrue(s.samples().isEmpty());
        s.measureFrom(System.nanoTime());
        s.add(new LoadStats.Sample(2, 0, LoadStats.Kind.TURN, 400, "clean"));
        assertEquals(1, s.samples().size());
        assertEquals(400, s.samples().get(0).ms());
    }

    @Test
    void csvHasAHeaderAndOneRowPerSample() throws Exception {
        LoadStats s = new LoadStats();
        s.add(new LoadStats.Sample(3, 2, LoadStats.Kind.TURN, 612.345, "noise"));
        s.add(new LoadStats.Sample(4, 0, LoadStats.Kind.BARGE_IN, 118, "clean"));
        StringWriter w = new StringWriter();
        s.writeCsv(w);
        assertEquals("call,turn,kind,ms,tail\n3,2,turn,612.3,noise\n4,0,barge_in,118.0,clean\n",
                w.toString().replace("\r\n", "\n"));
    }

    @Test
    void lateFramesCountAgainstTheEarliestSchedule() {
        long ms = 1_000_000L;
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            arrivals.add(1000 * ms + i * 20 * ms + (i % 3) * ms); // jitter of 0..2 ms: never late
        }
        assertEquals(0, FrameClock.late(arrivals, 40));
        // A 100 ms stall: the next frames come late and in a burst; once caught up they are on time again.
        long base = 1000 * ms + 10 * 20 * ms;
        arrivals.add(base + 100 * ms);      // 100 ms late
        arrivals.add(base + 100 * ms);      // slot +20: 80 ms late
        arrivals.add(base + 100 * ms);      // slot +40: 60 ms late
        arrivals.add(base + 100 * ms);      // slot +60: 40 ms late: not more than 40
        arrivals.add(base + 100 * ms);      // slot +80: 20 ms late
        assertEquals(3, FrameClock.late(arrivals, 40));
        // A frame that comes early re-anchors the schedule: the ones before it were late against it.
        List<Long> early = new ArrayList<>(List.of(0L, 20 * ms, 40 * ms, 60 * ms - 50 * ms));
        assertEquals(3, FrameClock.late(early, 40));
    }

    @Test
    void trimKeepsTheVoicedFramesOnly() {
        short[] pcm = new short[160 * 10];
        for (int i = 160 * 3; i < 160 * 7; i++) {
            pcm[i] = (short) (i % 2 == 0 ? 8000 : -8000);
        }
        pcm[160 * 8] = 50; // faint: not voiced
        short[] t = Audio.trim(pcm);
        assertEquals(160 * 4, t.length);
        assertEquals(8000, Math.abs(t[0]));
        assertThrows(IllegalArgumentException.class, () -> Audio.trim(new short[1600]));
    }

    @Test
    void optionsNameTheBadOne() {
        CallLoad.Options o = CallLoad.Options.parse(new String[] {"--calls", "50", "--seconds", "90", "--barge-in",
                "0.2", "--ramp-ms", "20000"});
        assertEquals(20000, o.rampMs);
        assertEquals(50, o.calls);
        assertEquals(90, o.seconds);
        assertEquals(0.2, o.bargeIn);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CallLoad.Options.parse(new String[] {"--barge-in", "2"}));
        assertTrue(e.getMessage().contains("--barge-in"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CallLoad.Options.parse(new String[] {"--calls", "x"}));
        assertTrue(e.getMessage().contains("--calls") && e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CallLoad.Options.parse(new String[] {"--cals", "1"}));
        assertTrue(e.getMessage().contains("--cals"), e.getMessage());
    }
}
