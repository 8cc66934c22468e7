package io.voicebot.speech.asr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real human voices for the benchmark's digit tasks: the Free Spoken Digit Dataset (FSDD,
 * github.com/Jakobovski/free-spoken-digit-dataset, CC BY-SA 4.0, not kept in this repository), whose
 * {@code recordings/} holds {@code {digit}_{speaker}_{take}.wav} at 8 kHz, one word each, trimmed. Every speaker
 * and take becomes a voice ({@code fsdd-jackson-0}) that can say "zero" to "nine" and nothing else; the benchmark
 * skips phrases a voice cannot say.
 */
final class HumanDigits {
    static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine");
    /** Voice names: {@code fsdd-<speaker>-<take>}. */
    static final String PREFIX = "fsdd-";
    private static final Pattern NAME = Pattern.compile("([0-9])_([a-z]+)_([0-9]+)\\.wav");

    private HumanDigits() {}

    /** One voice per speaker and take, for takes 0 to {@code takes - 1}; speakers in name order. */
    static Map<String, TestAudio.Voice> voices(Path recordings, int takes) {
        TreeSet<String> speakers = new TreeSet<>();
        try (Stream<Path> files = Files.list(recordings)) {
            files.forEach(f -> {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    speakers.add(m.group(2));
                }
            });
        } catch (IOException e) {
            throw new IllegalArgumentException("--human " + recordings + ": cannot list the directory (" + e + ")");
        }
        if (speakers.isEmpty()) {
            throw new IllegalArgumentException("--human " + recordings + ": no {digit}_{speaker}_{take}.wav file; "
                    + "give the recordings/ directory of the Free Spoken Digit Dataset");
        }
        Map<String, TestAudio.Voice> out = new LinkedHashMap<>();
        for (String s : speakers) {
            for (int take = 0; take < takes; take++) {
                int k = take;
                out.put(PREFIX + s + "-" + take, text -> say(recordings, s, k, text));
            }
        }
        return out;
    }

    /** The speaker's recording of {@code text}, or null when it is not one digit word (or that take is missing). */
    private static short[] say(Path recordings, String speaker, int take, String text) {
        int digit = WORDS.indexOf(text);
        if (digit < 0) {
            return null;
        }
        Path f = recordings.resolve(digit + "_" + speaker + "_" + take + ".wav");
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return TestAudio.readWav(f);
        } catch (IOException e) {
            throw new UncheckedIOException(f.toString(), e);
        }
    }
}
