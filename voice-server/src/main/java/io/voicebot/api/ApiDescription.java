package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The OpenAPI 3 description of the HTTP API, kept by hand in {@code openapi.yaml} beside this class (a test checks
 * it against the routes the server registers), served as /openapi.json, and a page rendering it at /api-docs.
 * Both are public like /health: they describe the API, they hold no data.
 */
final class ApiDescription {
    /** Paths served outside the router (no token needed); GET and HEAD only. */
    static final Set<String> FIXED_PATHS = Set.of("/health", "/ready", "/metrics", "/openapi.json", "/api-docs");

    private static volatile byte[] json;
    private static volatile byte[] page;

    private ApiDescription() {
    }

    /** The description as a JSON tree (for tests and tools). */
    static JsonNode tree() {
        try (InputStream in = resource("openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled openapi.yaml", e);
        }
    }

    static byte[] json() {
        byte[] b = json;
        if (b == null) {
            try {
                b = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the OpenAPI description as JSON", e);
            }
            json = b;
        }
        return b;
    }

    static byte[] page() {
        byte[] b = page;
        if (b == null) {
            try (InputStream in = resource("api-docs.html")) {
                b = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled api-docs.html", e);
            }
            page = b;
        }
        return b;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ApiDescription.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from the jar");
        }
        return in;
    }
}
