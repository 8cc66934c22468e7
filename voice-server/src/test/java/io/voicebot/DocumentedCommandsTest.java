package io.voicebot;

import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands and options the README and docs/ show exist, and the README's say example runs as printed. */
class DocumentedCommandsTest {
    private static final Path HOME = Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize();
    private static final Pattern COMMAND = Pattern.compile("scripts/voicebot ([a-z][a-z-]*)(.*)");
    /** A row of the README's command table: | `say 'TEXT' --out FILE.wav ...` | ... | */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z][a-z-]*)([^`]*)` \\|");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--([a-z][a-z-]*)");

    @TempDir
    Path dir;

    private static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>(List.of(HOME.resolve("README.md")));
        try (Stream<Path> d = Files.list(HOME.resolve("docs"))) {
            d.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void everyCommandAndOptionTheDocsShowExists() throws IOException {
        TreeSet<String> problems = new TreeSet<>();
        int checked = 0;
        for (Path f : docs()) {
            List<String> lines = Files.readAllLines(f);
            boolean commandTable = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("#")) {
                    commandTable = f.endsWith("README.md") && line.equals("## Command line");
                }
                List<Matcher> uses = new ArrayList<>();
                Matcher m = COMMAND.matcher(line);
                while (m.find()) {
                    uses.add(m);
                    m = COMMAND.matcher(line.substring(m.end(1)));
                }
                Matcher row = TABLE_ROW.matcher(line);
                if (commandTable && row.find()) {
                    uses.add(row);
                }
                for (Matcher u : uses) {
                    String where = HOME.relativize(f) + ":" + (i + 1);
                    String cmd = u.group(1);
                    if (cmd.equals("help")) {
                        continue;
                    }
                    checked++;
                    if (!Main.commands().containsKey(cmd)) {
                        problems.add(where + ": no command '" + cmd + "'");
                        continue;
                    }
                    String help = MainTest.run(Map.of(), cmd, "--help").out();
                    // Options up to a comment (#) on that line; --config and --help are global.
                    String rest = u.group(2).split(" # ")[0];
                    Matcher o = OPTION.matcher(rest);
                    while (o.find()) {
                        String opt = "--" + o.group(1);
                        if (!opt.equals("--config") && !opt.equals("--help") && !help.contains(opt + " ")
                                && !help.contains(opt + "\n")) {
                            problems.add(where + ": voicebot " + cmd + " has no option " + opt);
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 20, "found only " + checked + " documented commands: is the pattern stale?");
        assertEquals(List.of(), List.copyOf(problems));
    }

    /** The README's example, run as a shell would split it: single quotes keep ${amount:money} for voicebot. */
    @Test
    void theReadmeSayExampleSpeaksTheAmount() throws Exception {
        String readme = Files.readString(HOME.resolve("README.md"));
        Matcher m = Pattern.compile("\nscripts/voicebot (say .*)\n").matcher(readme);
        assertTrue(m.find(), "no say example in the README");
        List<String> argv = shellWords(m.group(1));
        int out = argv.indexOf("--out");
        Path wav = dir.resolve(argv.get(out + 1));
        argv.set(out + 1, wav.toString());
        MainTest.Run r = MainTest.run(Map.of("VOICEBOT_TTS_CACHE_DIR", dir.resolve("cache").toString()),
                argv.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "a warning means the example does not say what it shows");
        Pcm pcm = WavFile.read(wav);
        // "Your balance is one thousand two hundred fifty dollars and seventy five cents." is several seconds.
        assertTrue(pcm.durationMillis() > 3000, "too short for the amount: " + pcm.durationMillis() + " ms");
    }

    /**
     * Enough of POSIX sh word splitting for documented examples: blanks, '...' kept as is, and "..." in which
     * ${...} expands to nothing, as the shell does with a variable that is not set.
     */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '"' && c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '{') {
                i = line.indexOf('}', i);
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
