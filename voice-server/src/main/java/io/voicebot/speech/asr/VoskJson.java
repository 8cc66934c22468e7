package io.voicebot.speech.asr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.List;

/** Vosk's JSON in and out: the phrase-list grammar, and partial/final results. */
final class VoskJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VoskJson() {
    }

    /** ["yes","no","[unk]"]: the phrases plus Vosk's out-of-vocabulary word, so other speech is not forced in. */
    static String grammar(Vocabulary v) {
        ArrayNode a = JSON.createArrayNode();
        v.phrases().forEach(a::add);
        a.add("[unk]");
        return a.toString();
    }

    /**
     * A final result: {"result":[{"conf":0.98,"start":0.51,"end":0.9,"word":"yes"}],"text":"yes"}.
     * Confidence is the lowest word confidence; "[unk]" words are dropped (they are what nobody asked for).
     */
    static RecognitionResult parseFinal(String json, long audioMs) {
        JsonNode root = read(json);
        List<RecognitionResult.Word> words = new ArrayList<>();
        double minConf = 1;
        for (JsonNode w : root.path("result")) {
            String word = w.path("word").asText("");
            if (word.isEmpty() || word.equals("[unk]")) {
                continue;
            }
            double conf = Math.max(0, Math.min(1, w.path("conf").asDouble(0)));
            minConf = Math.min(minConf, conf);
            words.add(new RecognitionResult.Word(word, conf, Math.round(w.path("start").asDouble() * 1000),
                    Math.round(w.path("end").asDouble() * 1000)));
        }
        String text = root.path("text").asText("").replace("[unk]", " ").replaceAll("\\s+", " ").trim();
        if (text.isEmpty()) {
            return new RecognitionResult("", 0, true, 0, audioMs, List.of());
        }
        if (words.isEmpty()) {
            // setWords(false) or an old model: no per-word detail, so no confidence either.
            return new RecognitionResult(text, 0, true, 0, audioMs, List.of());
        }
        return new RecognitionResult(text, minConf, true, words.get(0).startMs(),
                words.get(words.size() - 1).endMs(), words);
    }

    /** A partial result: {"partial":"yes"} (with setPartialWords also "partial_result":[...]). */
    static RecognitionResult parsePartial(String json, long audioMs) {
        JsonNode root = read(json);
        String text = root.path("partial").asText("").replace("[unk]", " ").replaceAll("\\s+", " ").trim();
        List<RecognitionResult.Word> words = new ArrayList<>();
        for (JsonNode w : root.path("partial_result")) {
            String word = w.path("word").asText("");
            if (!word.isEmpty() && !word.equals("[unk]")) {
                words.add(new RecognitionResult.Word(word, Math.max(0, Math.min(1, w.path("conf").asDouble(0))),
                        Math.round(w.path("start").asDouble() * 1000), Math.round(w.path("end").asDouble() * 1000)));
            }
        }
        return new RecognitionResult(text, 0, false, 0, audioMs, words);
    }

    private static JsonNode read(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new AsrException("Vosk returned something that is not a JSON object: " + abbreviate(json));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new AsrException("Vosk returned malformed JSON (" + e.getOriginalMessage() + "): "
                    + abbreviate(json), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
