package io.voicebot.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One authenticated API request as a handler sees it. */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Path bodyFile;
    private final Principal principal;
    private final ObjectMapper json;

    ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
               Map<String, String> headers, byte[] body, Path bodyFile, Principal principal, ObjectMapper json) {
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.query = Map.copyOf(query);
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.bodyFile = bodyFile;
        this.principal = principal;
        this.json = json;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Principal principal() {
        return principal;
    }

    /** The {name} part of the route's pattern. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no path parameter {" + name + "}");
        }
        return v;
    }

    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** The names of the query parameters sent. */
    public java.util.Set<String> queryParamNames() {
        return query.keySet();
    }

    /** A request header by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * The body of an upload route, as the file it was written to while it arrived (deleted after the answer);
     * empty for other routes, whose body is {@link #body()}.
     */
    public Optional<Path> bodyFile() {
        return Optional.ofNullable(bodyFile);
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON tree; a 400 naming the parser's reason, line and column when it is not JSON. */
    public JsonNode jsonBody() {
        if (body.length == 0) {
            throw ApiException.badRequest("request body is empty; expected JSON");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("request body is empty; expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + describe(e));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable request body: " + e.getMessage());
        }
    }

    /** The body bound to {@code type}; unknown or mistyped fields are a 400 naming the field and location. */
    public <T> T jsonBody(Class<T> type) {
        JsonNode node = jsonBody();
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON body: " + describe(e));
        }
    }

    static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage();
        JsonLocation loc = e.getLocation();
        String where = loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column "
                + loc.getColumnNr();
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            where = where + " (field " + m.getPathReference().replaceFirst("^[^\\[\"]*", "") + ")";
        }
        // Jackson's messages can quote the whole input; keep the error short.
        if (reason != null && reason.length() > 300) {
            reason = reason.substring(0, 300) + "...";
        }
        return reason + where;
    }
}
