package io.voicebot.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Contact fields and a list's field names as the JSON text columns hold them (field order kept). */
final class ContactFields {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContactFields() {}

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps and lists of strings are always JSON", e);
        }
    }

    static Map<String, String> fields(String text, String owner) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(JSON.readValue(text,
                    new TypeReference<LinkedHashMap<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new StoreException(owner + ": stored fields are not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
    }

    static List<String> names(String text, String owner) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(text, new TypeReference<List<String>>() {}));
        } catch (JsonProcessingException e) {
            throw new StoreException(owner + ": stored field names are not a JSON list of strings: "
                    + e.getOriginalMessage(), e);
        }
    }
}
