package io.voicebot.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Files shipped inside the jar, served read-only under a URL prefix (the web console under /console). Only names
 * made of plain path segments are looked up, so a request cannot climb out of the resource folder; files are read
 * once and kept (they are small and never change while the server runs).
 */
final class StaticFiles {
    /** One file: its bytes and Content-Type. */
    record Asset(byte[] body, String contentType) {}

    private static final Pattern SAFE = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    private final String prefix;
    private final String root;
    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** {@code prefix} like "/console"; {@code root} the classpath folder, like "console". */
    StaticFiles(String prefix, String root, ClassLoader loader) {
        this.prefix = prefix;
        this.root = root;
        this.loader = loader;
    }

    String prefix() {
        return prefix;
    }

    /** True for the prefix itself and anything under it. */
    boolean covers(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The file for {@code path} (the folder itself is its index.html); null when there is none. */
    Asset find(String path) {
        String name = path.length() <= prefix.length() + 1 ? "index.html" : path.substring(prefix.length() + 1);
        if (!SAFE.matcher(name).matches() || name.contains("..")) {
            return null;
        }
        Asset cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(root + "/" + name)) {
            if (in == null) {
                return null;
            }
            Asset a = new Asset(in.readAllBytes(), type);
            cache.put(name, a);
            return a;
        } catch (IOException e) {
            return null;
        }
    }
}
