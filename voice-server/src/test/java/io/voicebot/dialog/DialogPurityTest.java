package io.voicebot.dialog;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * io.voicebot.dialog is a pure state machine: no telephony, speech, network, threads or wall clock. Only the
 * loaders read files (scripts, grammars, knowledge), and only at start or upload.
 */
class DialogPurityTest {
    private static final Path SRC = Fixtures.home().resolve("voice-server/src/main/java/io/voicebot/dialog");
    private static final List<String> FORBIDDEN_IMPORTS = List.of("io.voicebot.telephony", "io.voicebot.speech",
            "org.asteriskjava", "io.netty", "java.net", "java.sql", "javax.sql", "java.util.concurrent",
            "org.slf4j", "java.lang.Thread");
    private static final Set<String> FILE_READERS = Set.of("DialogLoader.java", "KnowledgeLoader.java", "GrammarLibrary.java");
    private static final Pattern NO_ARG_NOW = Pattern.compile("\\.now\\(\\s*\\)");

    @Test
    void dialogPackagesImportNothingFromTelephonySpeechOrNetwork() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(SRC)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 10, "sources found under " + SRC);
        List<String> violations = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                String where = SRC.relativize(f) + ":" + (i + 1) + ": ";
                if (line.startsWith("import ")) {
                    String imported = line.substring(7).replace("static ", "");
                    for (String bad : FORBIDDEN_IMPORTS) {
                        if (imported.startsWith(bad)) {
                            violations.add(where + line);
                        }
                    }
                    if ((imported.startsWith("java.io.") && !imported.startsWith("java.io.UncheckedIOException")
                            || imported.startsWith("java.nio.file.")) && !FILE_READERS.contains(name)) {
                        violations.add(where + "file access outside the loaders: " + line);
                    }
                }
                if (NO_ARG_NOW.matcher(line).find() || line.contains("System.currentTimeMillis")
                        || line.contains("new Thread") || line.contains("Thread.sleep")) {
                    violations.add(where + "wall clock or thread: " + line);
                }
                if (line.matches(".*\\b(io\\.voicebot\\.(telephony|speech)|org\\.asteriskjava)\\..*")) {
                    violations.add(where + "fully qualified reference: " + line);
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
