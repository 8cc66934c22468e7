package io.voicebot.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw key/value configuration in layers: built-in defaults (config/voicebot.properties, also inside the jar),
 * then an optional --config file, then VOICEBOT_* environment variables. Only keys that exist in the defaults
 * are accepted in the file, so a typo fails start-up instead of being silently ignored. VOICEBOT_* variables that
 * name no key are only warned about ({@link #unknownEnvironment}): orchestrators set their own (Kubernetes sets
 * VOICEBOT_SERVICE_HOST for a Service named voicebot).
 *
 * <p>Every problem is collected rather than thrown at once: a bad value is recorded and its default used, so
 * {@link #check()} (called by {@link VoicebotConfig#from}) reports all of them in one run.
 */
public final class Settings {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-z0-9.]+)}");

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final Map<String, String> defaults;
    /** Problems found while reading the file, in file order. */
    private final List<String> loadProblems;
    /** Bad values found by the typed getters, one per key, in the order they were read. */
    private final Map<String, String> valueProblems = new LinkedHashMap<>();

    private Settings(Map<String, String> values, Map<String, String> sources, Map<String, String> defaults,
                     List<String> loadProblems) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
        this.defaults = defaults;
        this.loadProblems = List.copyOf(loadProblems);
    }

    /** Defaults from the classpath, then {@code configFile} (may be null), then the environment. */
    public static Settings load(Path configFile, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        try (InputStream in = Settings.class.getResourceAsStream("/voicebot.properties")) {
            if (in == null) {
                throw new ConfigException("built-in defaults /voicebot.properties are missing from the classpath");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            for (String k : p.stringPropertyNames()) {
                values.put(k, p.getProperty(k).trim());
                sources.put(k, "defaults");
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read built-in defaults: " + e.getMessage());
        }
        Map<String, String> defaults = Map.copyOf(values);
        List<String> problems = new ArrayList<>();
        if (configFile != null) {
            overlayFile(values, sources, configFile, problems);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("VOICEBOT_")) {
                continue;
            }
            String key = envToKey(e.getKey());
            if (values.containsKey(key)) {
                values.put(key, e.getValue().trim());
                sources.put(key, "environment variable " + e.getKey());
            }
        }
        return new Settings(values, sources, defaults, problems);
    }

    /** VOICEBOT_* variables other than the configuration keys and those the launcher, logging and tests read. */
    public static List<String> unknownEnvironment(Map<String, String> env) {
        Set<String> keys = defaultKeys();
        List<String> warnings = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (!name.startsWith("VOICEBOT_")) {
                continue;
            }
            String key = envToKey(name);
            if (keys.contains(key) || NOT_KEYS.contains(key) || key.startsWith("test.")) {
                continue;
            }
            String near = closest(key, keys);
            warnings.add("ignoring environment variable " + name + ": there is no configuration key '" + key + "'"
                    + (near == null ? "" : " (did you mean " + near + ", VOICEBOT_"
                    + near.toUpperCase(java.util.Locale.ROOT).replace('.', '_') + "?)"));
        }
        return warnings;
    }

    /** Read by scripts/voicebot, logback.xml and Main, not configuration keys. */
    private static final Set<String> NOT_KEYS = Set.of("home", "config", "log.level", "log.format");

    private static Set<String> defaultKeys() {
        try (InputStream in = Settings.class.getResourceAsStream("/voicebot.properties")) {
            if (in == null) {
                throw new ConfigException("built-in defaults /voicebot.properties are missing from the classpath");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return p.stringPropertyNames();
        } catch (IOException e) {
            throw new ConfigException("cannot read built-in defaults: " + e.getMessage());
        }
    }

    /** The key a typo most likely meant: at most two letters apart. */
    private static String closest(String key, Set<String> keys) {
        String best = null;
        int bestDistance = 3;
        for (String k : new TreeSet<>(keys)) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * Throws one {@link ConfigException} listing every problem found so far: lines of the file, and bad values
     * read through the typed getters.
     */
    public void check() {
        List<String> all = new ArrayList<>(loadProblems);
        synchronized (valueProblems) {
            all.addAll(valueProblems.values());
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    /** Records a bad value (the first per key) for {@link #check()}; the caller goes on with a default. */
    public void reject(String key, String value, String why) {
        String message = invalidMessage(key, value, why);
        synchronized (valueProblems) {
            valueProblems.putIfAbsent(key, message);
        }
    }

    /** Only for tests and embedded runs: the defaults with some keys replaced. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> s = new LinkedHashMap<>(sources);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!v.containsKey(e.getKey())) {
                throw new ConfigException("unknown key '" + e.getKey() + "'");
            }
            v.put(e.getKey(), e.getValue());
            s.put(e.getKey(), "override");
        }
        return new Settings(v, s, defaults, loadProblems);
    }

    private static void overlayFile(Map<String, String> values, Map<String, String> sources, Path file,
                                    List<String> problems) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        // Read line by line so errors can name the line.
        int lineNo = 0;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line : new java.io.BufferedReader(r).lines().toList()) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
                    continue;
                }
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    problems.add(file + ":" + lineNo + ": expected key=value, got '" + t + "'");
                    continue;
                }
                String key = t.substring(0, eq).strip();
                if (!values.containsKey(key)) {
                    String near = closest(key, values.keySet());
                    problems.add(file + ":" + lineNo + ": unknown key '" + key + "'"
                            + (near == null ? "" : " (did you mean " + near + "?)"));
                    continue;
                }
                values.put(key, t.substring(eq + 1).strip());
                sources.put(key, file + ":" + lineNo);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    static String envToKey(String envName) {
        return envName.substring("VOICEBOT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value with ${other.key} references expanded. */
    public String get(String key) {
        String raw = values.get(key);
        if (raw == null) {
            throw new ConfigException("unknown key '" + key + "'");
        }
        return expand(key, raw, 0);
    }

    private String expand(String key, String raw, int depth) {
        if (depth > 5) {
            throw new ConfigException(key + ": ${...} references nest too deeply (" + source(key) + ")");
        }
        Matcher m = REFERENCE.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            // Only configuration keys are expanded; other ${...} (templates like ${number}) stay as written.
            String replacement = values.containsKey(ref) ? expand(ref, values.get(ref), depth + 1) : m.group(0);
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    public String source(String key) {
        return sources.getOrDefault(key, "unknown");
    }

    public int getInt(String key, int min, int max) {
        return (int) getLong(key, min, max);
    }

    public long getLong(String key, long min, long max) {
        String v = get(key);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
            reject(key, v, "must be between " + min + " and " + max);
        } catch (NumberFormatException e) {
            reject(key, v, "must be a whole number");
        }
        return fallback(key, min, max, Long::parseLong);
    }

    public double getDouble(String key, double min, double max) {
        String v = get(key);
        try {
            double n = Double.parseDouble(v);
            if (n >= min && n <= max) {
                return n;
            }
            reject(key, v, "must be between " + min + " and " + max);
        } catch (NumberFormatException e) {
            reject(key, v, "must be a number");
        }
        return fallback(key, min, max, Double::parseDouble);
    }

    /** The shipped default of a rejected key, so the other keys can still be checked; min if it doesn't parse. */
    private <T extends Comparable<T>> T fallback(String key, T min, T max, java.util.function.Function<String, T> p) {
        try {
            T d = p.apply(expand(key, defaults.getOrDefault(key, ""), 0));
            return d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : min;
        } catch (RuntimeException e) {
            return min;
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key);
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                reject(key, v, "must be true or false");
                yield false;
            }
        };
    }

    public String getOneOf(String key, String... allowed) {
        String v = get(key);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        reject(key, v, "must be one of " + String.join(", ", allowed));
        return allowed[0];
    }

    public String getNonEmpty(String key) {
        String v = get(key);
        if (v.isEmpty()) {
            reject(key, v, "must not be empty");
        }
        return v;
    }

    /** A path resolved against {@code home} unless absolute; empty stays null. */
    public Path getPath(String key, Path home) {
        String v = get(key);
        if (v.isEmpty()) {
            return null;
        }
        Path p = Path.of(v);
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }

    /** Records the problem (see {@link #reject}) and returns it with every other problem found so far. */
    public ConfigException invalid(String key, String value, String why) {
        reject(key, value, why);
        try {
            check();
        } catch (ConfigException e) {
            return e;
        }
        throw new IllegalStateException("a rejected value was not recorded: " + key);
    }

    private String invalidMessage(String key, String value, String why) {
        boolean secret = key.contains("secret") || key.contains("password") || key.endsWith("token");
        return "invalid value " + (secret ? "(hidden)" : "'" + value + "'") + " for " + key
                + " (from " + source(key) + "): " + why;
    }

    public Map<String, String> asMap() {
        return values;
    }
}
