package io.voicebot.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * A small metrics registry rendered in the Prometheus text format 0.0.4. Registering a name again returns the
 * metric already there (same kind and labels), so each package can ask for what it needs in its constructor.
 * Updates are lock-free and safe from any thread, including Netty's event loop.
 */
public final class Metrics {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Default histogram buckets in seconds: 5 ms to 30 s. */
    public static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Map<String, Family<?>> families = new ConcurrentSkipListMap<>();

    public Counter counter(String name, String help, String... labelNames) {
        return register(new Counter(name, help, labelNames), Counter.class);
    }

    /** A gauge set by its owner. */
    public Gauge gauge(String name, String help, String... labelNames) {
        return register(new Gauge(name, help, labelNames), Gauge.class);
    }

    /** A gauge read from {@code supplier} at each scrape (e.g. the number of active calls). */
    public void gauge(String name, String help, DoubleSupplier supplier) {
        register(new CallbackGauge(name, help, supplier), CallbackGauge.class);
    }

    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return register(new Histogram(name, help, buckets, labelNames), Histogram.class);
    }

    private <F extends Family<?>> F register(F fresh, Class<F> kind) {
        Family<?> existing = families.putIfAbsent(fresh.name, fresh);
        if (existing == null) {
            return fresh;
        }
        if (!kind.isInstance(existing) || !Arrays.equals(existing.labelNames, fresh.labelNames)) {
            throw new IllegalArgumentException("metric " + fresh.name + " is already registered as a "
                    + existing.type() + " with labels " + Arrays.toString(existing.labelNames));
        }
        return kind.cast(existing);
    }

    /** Every metric in the Prometheus text exposition format, version 0.0.4. */
    public String scrape() {
        StringBuilder sb = new StringBuilder(4096);
        for (Family<?> f : families.values()) {
            sb.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
            sb.append("# TYPE ").append(f.name).append(' ').append(f.type()).append('\n');
            f.write(sb);
        }
        return sb.toString();
    }

    /** A metric with zero or more labels; each distinct label-value list is one child series. */
    abstract static class Family<C> {
        final String name;
        final String help;
        final String[] labelNames;
        final Map<List<String>, C> children = new ConcurrentHashMap<>();

        Family(String name, String help, String[] labelNames) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid metric name '" + name + "'");
            }
            for (String l : labelNames) {
                if (!LABEL.matcher(l).matches() || l.startsWith("__") || l.equals("le")) {
                    throw new IllegalArgumentException("invalid label name '" + l + "' for metric " + name);
                }
            }
            this.name = name;
            this.help = help;
            this.labelNames = labelNames.clone();
        }

        abstract String type();

        abstract C newChild();

        abstract void writeChild(StringBuilder sb, String labels, C child);

        C child(String... values) {
            if (values.length != labelNames.length) {
                throw new IllegalArgumentException("metric " + name + " takes labels " + Arrays.toString(labelNames)
                        + ", got " + values.length + " value(s)");
            }
            return children.computeIfAbsent(List.of(values), k -> newChild());
        }

        void write(StringBuilder sb) {
            if (labelNames.length == 0 && children.isEmpty()) {
                child(); // an unlabelled metric is always exposed, even at zero
            }
            for (Map.Entry<List<String>, C> e : sortedChildren()) {
                writeChild(sb, labels(labelNames, e.getKey(), null), e.getValue());
            }
        }

        List<Map.Entry<List<String>, C>> sortedChildren() {
            List<Map.Entry<List<String>, C>> sorted = new ArrayList<>(children.entrySet());
            sorted.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
            return sorted;
        }
    }

    public static final class Counter extends Family<DoubleAdder> {
        Counter(String name, String help, String[] labelNames) {
            super(name, help, labelNames);
        }

        @Override
        String type() {
            return "counter";
        }

        @Override
        DoubleAdder newChild() {
            return new DoubleAdder();
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
            child(labelValues).add(amount);
        }

        public double value(String... labelValues) {
            return child(labelValues).sum();
        }

        @Override
        void writeChild(StringBuilder sb, String labels, DoubleAdder child) {
            sb.append(name).append(labels).append(' ').append(format(child.sum())).append('\n');
        }
    }

    public static final class Gauge extends Family<AtomicLong> {
        Gauge(String name, String help, String[] labelNames) {
            super(name, help, labelNames);
        }

        @Override
        String type() {
            return "gauge";
        }

        @Override
        AtomicLong newChild() {
            return new AtomicLong(Double.doubleToLongBits(0));
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

        @Override
        void writeChild(StringBuilder sb, String labels, AtomicLong child) {
            sb.append(name).append(labels).append(' ').append(format(Double.longBitsToDouble(child.get())))
                    .append('\n');
        }
    }

    static final class CallbackGauge extends Family<DoubleSupplier> {
        private final DoubleSupplier supplier;

        CallbackGauge(String name, String help, DoubleSupplier supplier) {
            super(name, help, new String[0]);
            this.supplier = supplier;
        }

        @Override
        String type() {
            return "gauge";
        }

        @Override
        DoubleSupplier newChild() {
            return supplier;
        }

        @Override
        void writeChild(StringBuilder sb, String labels, DoubleSupplier child) {
            sb.append(name).append(labels).append(' ').append(format(child.getAsDouble())).append('\n');
        }
    }

    public static final class Histogram extends Family<Histogram.Series> {
        private final double[] bounds;

        Histogram(String name, String help, double[] buckets, String[] labelNames) {
            super(name, help, labelNames);
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
            this.bounds = b;
        }

        static final class Series {
            final LongAdder[] counts;
            final DoubleAdder sum = new DoubleAdder();
            final LongAdder count = new LongAdder();

            Series(int n) {
                counts = new LongAdder[n];
                for (int i = 0; i < n; i++) {
                    counts[i] = new LongAdder();
                }
            }
        }

        @Override
        String type() {
            return "histogram";
        }

        @Override
        Series newChild() {
            return new Series(bounds.length);
        }

        public void observe(double v, String... labelValues) {
            Series s = child(labelValues);
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    s.counts[i].increment();
                    break;
                }
            }
            s.sum.add(v);
            s.count.increment();
        }

        public long count(String... labelValues) {
            return child(labelValues).count.sum();
        }

        @Override
        void write(StringBuilder sb) {
            if (labelNames.length == 0 && children.isEmpty()) {
                child();
            }
            for (Map.Entry<List<String>, Series> e : sortedChildren()) {
                Series s = e.getValue();
                long cumulative = 0;
                for (int i = 0; i < bounds.length; i++) {
                    cumulative += s.counts[i].sum();
                    sb.append(name).append("_bucket").append(labels(labelNames, e.getKey(), format(bounds[i])))
                            .append(' ').append(cumulative).append('\n');
                }
                long total = s.count.sum();
                sb.append(name).append("_bucket").append(labels(labelNames, e.getKey(), "+Inf")).append(' ')
                        .append(Math.max(total, cumulative)).append('\n');
                String plain = labels(labelNames, e.getKey(), null);
                sb.append(name).append("_sum").append(plain).append(' ').append(format(s.sum.sum())).append('\n');
                sb.append(name).append("_count").append(plain).append(' ').append(Math.max(total, cumulative))
                        .append('\n');
            }
        }

        @Override
        void writeChild(StringBuilder sb, String labels, Series child) {
            throw new UnsupportedOperationException("histograms write all series in write()");
        }
    }

    static String labels(String[] names, List<String> values, String le) {
        if (names.length == 0 && le == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names[i]).append("=\"").append(escapeLabel(values.get(i))).append('"');
        }
        if (le != null) {
            sb.append(names.length > 0 ? "," : "").append("le=\"").append(le).append('"');
        }
        return sb.append('}').toString();
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
