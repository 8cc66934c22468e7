package io.voicebot.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Test
    void rendersPrometheusTextFormat() {
        try (Metrics m = new Metrics()) {
            Metrics.Counter sessions = m.counter("voicebot_agi_sessions_total", "AGI sessions accepted");
            String before = m.scrape();
            assertTrue(before.contains("\nvoicebot_agi_sessions_total 0.0\n"), before);
            sessions.inc();
            sessions.inc(2);
            Metrics.Counter byOutcome = m.counter("voicebot_calls_total", "Calls by outcome", "outcome");
            byOutcome.incLabels("completed");
            byOutcome.incLabels("say \"hi\"\\\n");
            AtomicInteger active = new AtomicInteger(3);
            m.gauge("voicebot_calls_active", "Calls in progress", active::get);
            Metrics.Histogram h = m.histogram("voicebot_asr_seconds", "Recognition time", new double[] {0.1, 0.5, 1});
            h.observe(0.05);
            h.observe(0.5);
            h.observe(7.25);

            String text = m.scrape();
            for (String line : new String[] {
                    "# HELP voicebot_agi_sessions_total AGI sessions accepted",
                    "# TYPE voicebot_agi_sessions_total counter",
                    "voicebot_agi_sessions_total 3.0",
                    "# TYPE voicebot_asr_seconds histogram",
                    "voicebot_asr_seconds_bucket{le=\"0.1\"} 1",
                    "voicebot_asr_seconds_bucket{le=\"0.5\"} 2",
                    "voicebot_asr_seconds_bucket{le=\"1.0\"} 2",
                    "voicebot_asr_seconds_bucket{le=\"+Inf\"} 3",
                    "voicebot_asr_seconds_sum 7.8",
                    "voicebot_asr_seconds_count 3",
                    "# TYPE voicebot_calls_active gauge",
                    "voicebot_calls_active 3.0",
                    "voicebot_calls_total{outcome=\"completed\"} 1.0",
                    "voicebot_calls_total{outcome=\"say \\\"hi\\\"\\\\\\n\"} 1.0",
                    // the JVM families come with the registry
                    "# TYPE jvm_memory_used_bytes gauge",
                    "# TYPE jvm_threads_live_threads gauge"}) {
                assertTrue(text.contains("\n" + line + "\n") || text.startsWith(line + "\n"), line + " in\n" + text);
            }
            active.set(0);
            assertTrue(m.scrape().contains("\nvoicebot_calls_active 0.0\n"));
            assertEquals(3.0, sessions.value());
            assertEquals(3, h.count());
        }
    }

    @Test
    void registeringTwiceReturnsTheSameMetricAndClashesAreRejected() {
        try (Metrics m = new Metrics()) {
            Metrics.Counter a = m.counter("x_total", "x", "kind");
            assertSame(a, m.counter("x_total", "x", "kind"));
            assertThrows(IllegalArgumentException.class, () -> m.gauge("x_total", "x", "kind"));
            assertThrows(IllegalArgumentException.class, () -> m.counter("x_total", "x"));
            assertThrows(IllegalArgumentException.class, () -> m.counter("bad-name_total", "x"));
            assertThrows(IllegalArgumentException.class, () -> m.counter("no_suffix", "x"));
            assertThrows(IllegalArgumentException.class, () -> m.histogram("sizes", "x", new double[] {1, 2}));
            assertThrows(IllegalArgumentException.class, () -> m.histogram("t_seconds", "x", new double[] {2, 1}));
            assertThrows(IllegalArgumentException.class, () -> a.incLabels("one", "two"));
            assertThrows(IllegalArgumentException.class, () -> a.incLabels(-1, "one"));
            Metrics.Gauge g = m.gauge("level", "a level");
            g.set(2.5);
            g.add(-1);
            assertEquals(1.5, g.value());
        }
    }
}
