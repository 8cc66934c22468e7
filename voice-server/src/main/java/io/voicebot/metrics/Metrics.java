package io.voicebot.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The server's metrics: a Micrometer Prometheus registry (JVM, Hikari pool and everything voicebot counts),
 * rendered at /metrics. Callers ask by Prometheus name ({@code voicebot_calls_total}) and label names; asking again
 * returns the metric already there (same kind and labels), so each package can ask for what it needs in its
 * constructor. Updates are lock-free and safe from any thread, including Netty's event loop. Label values must come
 * from small fixed sets (outcome, reason, route template): never phone numbers, call ids or tokens.
 */
public final class Metrics implements AutoCloseable {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Default histogram buckets in seconds: 5 ms to 30 s. */
    public static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Family> families = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The Micrometer registry, for libraries that report through Micrometer themselves (HikariCP). */
    public MeterRegistry registry() {
        return registry;
    }

    /** A counter; its name ends in {@code _total}. */
    public Counter counter(String name, String help, String... labelNames) {
        return register(name, Counter.class, labelNames, () -> new Counter(this, name, help, labelNames));
    }

    /** A gauge set by its owner. */
    public Gauge gauge(String name, String help, String... labelNames) {
        return register(name, Gauge.class, labelNames, () -> new Gauge(this, name, help, labelNames));
    }

    /** A gauge read from {@code supplier} at each scrape (e.g. the number of active calls). */
    public void gauge(String name, String help, DoubleSupplier supplier) {
        register(name, CallbackGauge.class, new String[0], () -> {
            io.micrometer.core.instrument.Gauge.builder(name, supplier, DoubleSupplier::getAsDouble)
                    .description(help).strongReference(true).register(registry);
            return new CallbackGauge(name, new String[0]);
        });
    }

    /**
     * A histogram of durations in seconds (its name ends in {@code _seconds}) with these bucket bounds in seconds
     * (+Inf is always added). Micrometer keeps it as a Timer: its summary histograms would round values to whole
     * units.
     */
    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return register(name, Histogram.class, labelNames, () -> new Histogram(this, name, help, buckets, labelNames));
    }

    private synchronized <F extends Family> F register(String name, Class<F> kind, String[] labelNames,
                                                       java.util.function.Supplier<F> create) {
        Family existing = families.get(name);
        if (existing != null) {
            if (!kind.isInstance(existing) || !Arrays.equals(existing.labelNames, labelNames)) {
                throw new IllegalArgumentException("metric " + name + " is already registered as a "
                        + existing.getClass().getSimpleName() + " with labels " + Arrays.toString(existing.labelNames));
            }
            return kind.cast(existing);
        }
        check(name, labelNames);
        F fresh = create.get();
        families.put(name, fresh);
        return fresh;
    }

    private static void check(String name, String[] labelNames) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
        for (String l : labelNames) {
            if (!LABEL.matcher(l).matches() || l.startsWith("__") || l.equals("le")) {
                throw new IllegalArgumentException("invalid label name '" + l + "' for metric " + name);
            }
        }
    }

    /** Runs {@code refresh} before each scrape (values that are read, not counted: a campaign's progress). */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** Every metric in the Prometheus text exposition format, version 0.0.4. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Stops the JVM GC listener; the registry then only answers what it has. */
    @Override
    public void close() {
        gc.close();
    }

    /** A metric with zero or more labels; each distinct label-value list is one Micrometer meter. */
    abstract static class Family {
        final String name;
        final String[] labelNames;

        Family(String name, String[] labelNames) {
            this.name = name;
            this.labelNames = labelNames.clone();
        }

        Tags tags(String... values) {
            if (values.length != labelNames.length) {
                throw new IllegalArgumentException("metric " + name + " takes labels " + Arrays.toString(labelNames)
                        + ", got " + values.length + " value(s)");
            }
            Tags t = Tags.empty();
            for (int i = 0; i < values.length; i++) {
                t = t.and(labelNames[i], values[i]);
            }
            return t;
        }
    }

    private static final class CallbackGauge extends Family {
        CallbackGauge(String name, String[] labelNames) {
            super(name, labelNames);
        }
    }

    public static final class Counter extends Family {
        private final Map<List<String>, io.micrometer.core.instrument.Counter> series = new ConcurrentHashMap<>();
        private final MeterRegistry registry;
        private final String help;

        Counter(Metrics m, String name, String help, String[] labelNames) {
            super(name, labelNames);
            if (!name.endsWith("_total")) {
                throw new IllegalArgumentException("counter name must end in _total: " + name);
            }
            this.registry = m.registry;
            this.help = help;
            if (labelNames.length == 0) {
                child(); // an unlabelled metric is always exposed, even at zero
            }
        }

        private io.micrometer.core.instrument.Counter child(String... values) {
            Tags tags = tags(values);
            // Micrometer's Prometheus naming adds _total to counters itself.
            return series.computeIfAbsent(List.of(values), k -> io.micrometer.core.instrument.Counter
                    .builder(name.substring(0, name.length() - "_total".length()))
                    .description(help).tags(tags).register(registry));
        }

        public void inc() {
            inc(1);
        }

        public void inc(double amount) {
            incLabels(amount);
        }

        /** Adds 1 to the series with these label values. */
        public void incLabels(String... labelValues) {
            incLabels(1, labelValues);
        }

        public void incLabels(double amount, String... labelValues) {
            if (amount < 0) {
                throw new IllegalArgumentException("counter " + name + " cannot decrease");
            }
            child(labelValues).increment(amount);
        }

        public double value(String... labelValues) {
            return child(labelValues).count();
        }
    }

    public static final class Gauge extends Family {
        private final Map<List<String>, AtomicLong> series = new ConcurrentHashMap<>();
        private final MeterRegistry registry;
        private final String help;

        Gauge(Metrics m, String name, String help, String[] labelNames) {
            super(name, labelNames);
            this.registry = m.registry;
            this.help = help;
            if (labelNames.length == 0) {
                child();
            }
        }

        private AtomicLong child(String... values) {
            Tags tags = tags(values);
            return series.computeIfAbsent(List.of(values), k -> {
                AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));
                io.micrometer.core.instrument.Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                        .description(help).tags(tags).strongReference(true).register(registry);
                return bits;
            });
        }

        public void set(double v, String... labelValues) {
            child(labelValues).set(Double.doubleToLongBits(v));
        }

        public void add(double delta, String... labelValues) {
            child(labelValues).getAndUpdate(bits -> Double.doubleToLongBits(Double.longBitsToDouble(bits) + delta));
        }

        public double value(String... labelValues) {
            return Double.longBitsToDouble(child(labelValues).get());
        }
    }

    public static final class Histogram extends Family {
        private final Map<List<String>, Timer> series = new ConcurrentHashMap<>();
        private final MeterRegistry registry;
        private final String help;
        private final java.time.Duration[] bounds;

        Histogram(Metrics m, String name, String help, double[] buckets, String[] labelNames) {
            super(name, labelNames);
            if (!name.endsWith("_seconds")) {
                throw new IllegalArgumentException("histogram name must end in _seconds (times only): " + name);
            }
            double[] b = buckets.clone();
            for (int i = 0; i < b.length; i++) {
                if (Double.isNaN(b[i]) || i > 0 && b[i] <= b[i - 1]) {
                    throw new IllegalArgumentException("histogram " + name + " buckets must increase: "
                            + Arrays.toString(buckets));
                }
            }
            if (b.length > 0 && b[b.length - 1] == Double.POSITIVE_INFINITY) {
                b = Arrays.copyOf(b, b.length - 1); // +Inf is always added
            }
            this.bounds = Arrays.stream(b).mapToObj(x -> java.time.Duration.ofNanos((long) (x * 1e9)))
                    .toArray(java.time.Duration[]::new);
            this.registry = m.registry;
            this.help = help;
            if (labelNames.length == 0) {
                child();
            }
        }

        private Timer child(String... values) {
            Tags tags = tags(values);
            return series.computeIfAbsent(List.of(values), k -> Timer.builder(name)
                    .description(help).tags(tags).serviceLevelObjectives(bounds).register(registry));
        }

        /** Records {@code seconds}. */
        public void observe(double seconds, String... labelValues) {
            child(labelValues).record((long) (seconds * 1e9), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        public long count(String... labelValues) {
            return child(labelValues).count();
        }
    }
}
