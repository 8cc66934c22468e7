package io.voicebot.speech.asr;

import edu.cmu.sphinx.linguist.dictionary.TextDictionary;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sphinx4's text dictionary, with the raw entries (the whole CMU dictionary, 134,000 words, 26 MB of heap) read
 * once per process instead of once per decoder. Each decoder still parses and keeps the words it uses in its own
 * table, which is not shared: the decoders run on different threads. Configured as the {@code dictionary}
 * component of sphinx.config.xml.
 */
public class SharedDictionary extends TextDictionary {
    /** Raw entries and filler words by dictionary, filler dictionary and addenda. */
    private static final Map<List<String>, Loaded> LOADED = new HashMap<>();

    private record Loaded(Map<String, String> entries, Set<String> fillers) {}

    @Override
    public void allocate() throws IOException {
        if (allocated) {
            return;
        }
        List<String> key = List.of(String.valueOf(wordDictionaryFile), String.valueOf(fillerDictionaryFile),
                String.valueOf(addendaUrlList));
        synchronized (LOADED) {
            Loaded loaded = LOADED.get(key);
            if (loaded == null) {
                super.allocate(); // reads the files into this decoder's tables
                loaded = new Loaded(new ReadOnlyEntries(dictionary), Collections.unmodifiableSet(fillerWords));
                LOADED.put(key, loaded);
            }
            dictionary = loaded.entries();
            fillerWords = loaded.fillers();
            wordDictionary = new HashMap<>();
            allocated = true;
        }
    }

    /** The raw entries this decoder reads (for tests: one map for all decoders). */
    Map<String, String> entries() {
        return dictionary;
    }

    /**
     * The shared raw entries. Sphinx4 writes back into them once it has parsed a word (the entry's text replaced
     * by the word's spelling), but it keeps the parsed word in the decoder's own table and never reads the entry
     * again; another decoder still needs the original text, so the write is dropped.
     */
    private static final class ReadOnlyEntries extends AbstractMap<String, String> {
        private final Map<String, String> entries;

        ReadOnlyEntries(Map<String, String> entries) {
            this.entries = entries;
        }

        @Override
        public String get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public String put(String key, String value) {
            return entries.get(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return Collections.unmodifiableMap(entries).entrySet();
        }
    }
}
