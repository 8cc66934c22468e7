package io.voicebot.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** Flat string maps to and from JSON text (answers, task details, webhook payloads). */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String write(Map<String, String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map is always JSON", e);
        }
    }

    static Map<String, String> readFlat(String json) throws JsonProcessingException {
        Map<String, Object> raw = MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
        Map<String, String> out = new java.util.LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof java.util.List)) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }
}
