package io.voicebot.speech.tts;

import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The prompt cache's WAV files: one per key under the cache directory (in subdirectories by the key's first two
 * characters), written whole and renamed into place. Blocking: {@link PromptCache} calls it on its own I/O threads.
 */
final class PromptFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PromptFiles.class);

    private final Path dir;
    private final AtomicLong errors = new AtomicLong();

    PromptFiles(Path dir) {
        this.dir = dir;
    }

    /** Where the prompt of {@code key} is (or would be) stored. */
    Path of(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".wav");
    }

    /** Unreadable files discarded plus failed writes. */
    long errors() {
        return errors.get();
    }

    /** The cached samples, or null when not cached (or the file is unusable, which is then removed). */
    short[] read(Path file, int sampleRate) {
        try {
            Pcm pcm = WavFile.read(file);
            if (pcm.sampleRate() != sampleRate || pcm.samples().length == 0) {
                throw new IOException("expected non-empty audio at " + sampleRate + " Hz, found "
                        + pcm.samples().length + " samples at " + pcm.sampleRate() + " Hz");
            }
            return LeadingSilence.trim(pcm.samples(), sampleRate); // files cached before trimming existed
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            LOG.warn("discarding unreadable prompt cache file {}: {}", file, e.getMessage());
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the rewrite after synthesis replaces it anyway
            }
            return null;
        }
    }

    /** Temp file plus atomic rename: a reader never sees half a file, even across processes. */
    void write(Path file, Pcm pcm) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            WavFile.write(tmp, pcm);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.warn("cannot write prompt cache file {}: {}", file, e.toString());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do; a stale temp file is harmless
                }
            }
        }
    }
}
