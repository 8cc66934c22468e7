package io.voicebot.transfer;

import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The whisper an agent hears before taking a call: the summary synthesized by voicebot's own TTS into
 * {@code <dir>/<call id>.wav}, 8 kHz 16-bit mono, which Asterisk plays as Playback(<dir>/<call id>) (no
 * extension). The directory must be readable by Asterisk (same host, or a shared mount).
 */
public final class WhisperFiles {
    public static final int RATE = 8000;

    private final Path dir;
    private final BiFunction<String, Integer, CompletableFuture<short[]>> tts;

    /** {@code tts}: text and sample rate to samples (the prompt cache's render). */
    public WhisperFiles(Path dir, BiFunction<String, Integer, CompletableFuture<short[]>> tts) {
        this.dir = dir;
        this.tts = tts;
    }

    public Path dir() {
        return dir;
    }

    /** Renders {@code text} for the call; completes with the file's path (with .wav). */
    public CompletableFuture<Path> render(UUID callId, String text) {
        return tts.apply(text, RATE).thenApply(pcm -> {
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve(callId + ".wav");
                Path tmp = dir.resolve(callId + ".wav.part");
                WavFile.write(tmp, new Pcm(pcm, RATE));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return file;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the whisper file in " + dir + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /** Removes a whisper file nobody will play; a failure is only logged. */
    public static void delete(Path wav) {
        try {
            Files.deleteIfExists(wav);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(WhisperFiles.class).warn("whisper file {} not deleted: {}", wav,
                    e.toString());
        }
    }

    /** The name Asterisk's Playback() takes: the path without ".wav". */
    public static String playbackName(Path wav) {
        String s = wav.toAbsolutePath().toString();
        return s.endsWith(".wav") ? s.substring(0, s.length() - 4) : s;
    }
}
