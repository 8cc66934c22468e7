package io.voicebot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Asterisk-Java stays behind the two telephony packages that adapt it; the rest of the server never sees it. */
class DependencyRulesTest {
    private static final Path SOURCES = Path.of(System.getProperty("voicebot.home", ".."))
            .resolve("voice-server/src/main/java/io/voicebot");

    @Test
    void asteriskJavaOnlyInAgiAndAmi() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(SOURCES.resolve("telephony/agi"))
                            && !f.startsWith(SOURCES.resolve("telephony/ami")))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("import org.asteriskjava");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(f -> SOURCES.relativize(f).toString()).sorted().toList();
        }
        assertEquals(List.of(), offenders, "files outside telephony.agi/ami importing org.asteriskjava");
    }

    @Test
    void onlyMainImportsTheCommandLine() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(SOURCES.resolve("cli")) && !f.equals(SOURCES.resolve("Main.java")))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("io.voicebot.cli.");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(f -> SOURCES.relativize(f).toString()).sorted().toList();
        }
        assertEquals(List.of(), offenders, "files outside cli and Main using the command line");
    }
}
