package io.voicebot.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw key/value configuration in layers: built-in defaults (config/voicebot.properties, also inside the jar),
 * then an optional --config file, then VOICEBOT_* environment variables. Only keys that exist in the defaults
 * are accepted, so a typo fails start-up instead of being silently ignored.
 */
public final class Settings {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-z0-9.]+)}");

    private final Map<String, String> values;
    private final Map<String, String> sources;

    private Settings(Map<String, String> values, Map<String, String> sources) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
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
        if (configFile != null) {
            overlayFile(values, sources, configFile);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("VOICEBOT_")) {
                continue;
            }
            String key = envToKey(e.getKey());
            if (key.equals("home") || key.equals("config") || key.equals("log.level") || key.startsWith("test.")) {
                continue; // read by the launcher, logback.xml and the test suite, not configuration keys
            }
            if (!values.containsKey(key)) {
                throw new ConfigException("environment variable " + e.getKey() + " names unknown key '" + key + "'");
            }
            values.put(key, e.getValue().trim());
            sources.put(key, "environment variable " + e.getKey());
        }
        return new Settings(values, sources);
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
        return new Settings(v, s);
    }

    private static void overlayFile(Map<String, String> values, Map<String, String> sources, Path file) {
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
                    throw new ConfigException(file + ":" + lineNo + ": expected key=value, got '" + t + "'");
                }
                String key = t.substring(0, eq).strip();
                if (!values.containsKey(key)) {
                    throw new ConfigException(file + ":" + lineNo + ": unknown key '" + key + "'");
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
        String v = get(key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw invalid(key, v, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, v, "must be a whole number");
        }
    }

    public long getLong(String key, long min, long max) {
        String v = get(key);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw invalid(key, v, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, v, "must be a whole number");
        }
    }

    public double getDouble(String key, double min, double max) {
        String v = get(key);
        try {
            double n = Double.parseDouble(v);
            if (!(n >= min && n <= max)) {
                throw invalid(key, v, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, v, "must be a number");
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key);
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, v, "must be true or false");
        };
    }

    public String getOneOf(String key, String... allowed) {
        String v = get(key);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw invalid(key, v, "must be one of " + String.join(", ", allowed));
    }

    public String getNonEmpty(String key) {
        String v = get(key);
        if (v.isEmpty()) {
            throw invalid(key, v, "must not be empty");
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

    public ConfigException invalid(String key, String value, String why) {
        boolean secret = key.contains("secret") || key.contains("password") || key.endsWith("token");
        return new ConfigException("invalid value " + (secret ? "(hidden)" : "'" + value + "'") + " for " + key
                + " (from " + source(key) + "): " + why);
    }

    public Map<String, String> asMap() {
        return values;
    }
}
