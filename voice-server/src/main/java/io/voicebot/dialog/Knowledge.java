package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Frequent questions and their answers (config/hotline-faq.yaml), matched by phrases. Immutable. */
public final class Knowledge {

    public static final Knowledge EMPTY = new Knowledge(List.of());

    /** {@code answer} is a prompt template. */
    public record Entry(String id, String question, String answer, List<String> phrases) {
        public Entry {
            phrases = List.copyOf(phrases);
        }
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final Grammar grammar;

    public Knowledge(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Entry e : this.entries) {
            m.put(e.id(), e.phrases());
            byId.put(e.id(), e);
        }
        grammar = new Grammar("faq", m, Map.of(), false);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entry whose phrase best matches {@code text} (exact, else longest phrase inside). */
    public Optional<Entry> match(String text) {
        return grammar.intentOf(text).map(byId::get);
    }

    public List<String> phrases() {
        return grammar.phrases();
    }
}
