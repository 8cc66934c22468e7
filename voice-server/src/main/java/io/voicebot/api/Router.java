package io.voicebot.api;

import io.voicebot.store.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/** Routes "METHOD /api/things/{id}" patterns to handlers; tells 404 (no such path) from 405 (wrong method). */
final class Router {

    /** {@code upload}: the body is written to a file as it arrives (see UploadSpooler), not held in memory. */
    record Route(String method, String pattern, String[] segments, Role role, ApiHandler handler, boolean upload) {}

    /** {@code route} is null when nothing matched; {@code allowed} then lists the methods of a matching path. */
    record Match(Route route, Map<String, String> params, Set<String> allowed) {}

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    /** Files served outside /api (the web console); see HttpApi#serveFiles. */
    final List<StaticFiles> files = new CopyOnWriteArrayList<>();

    void add(String method, String pattern, Role role, ApiHandler handler, boolean upload) {
        if (!pattern.startsWith("/api/") && role != null) {
            // outside /api/ only public pages (static files, no token) may live
            throw new IllegalArgumentException("API routes live under /api/, got " + pattern);
        }
        String m = method.toUpperCase(java.util.Locale.ROOT);
        String[] segs = split(pattern);
        for (Route r : routes) {
            if (r.method.equals(m) && sameShape(r.segments, segs)) {
                throw new IllegalArgumentException("route " + m + " " + pattern + " clashes with " + r.pattern);
            }
        }
        routes.add(new Route(m, pattern, segs, role, handler, upload));
    }

    /** Every route, in the order added. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    Match find(String method, String path) {
        String[] segs = split(path);
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(r.segments, segs);
            if (params != null) {
                if (r.method.equals(method)) {
                    return new Match(r, params, Set.of());
                }
                allowed.add(r.method);
            }
        }
        return new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static boolean sameShape(String[] a, String[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            boolean va = a[i].startsWith("{");
            boolean vb = b[i].startsWith("{");
            if (va != vb || !va && !a[i].equals(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        List<String> out = new ArrayList<>(List.of(p.substring(1).split("/", -1)));
        return out.toArray(String[]::new);
    }
}
