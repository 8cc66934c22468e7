package io.voicebot.speech.asr;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * A server that shuts down while its dialogs' phrase lists are still being prepared (start-up loads the second
 * decoder in the background) closes the recognizer under the preparation: close() deletes the grammar files, and
 * the preparation then failed with Sphinx4's "Allocation of search manager resources failed", logged as a warning
 * by every short-lived server. A preparation cut short by close() ends quietly.
 */
class SphinxRecognizerCloseTest {
    @Test
    void closingDuringPreparationIsNoError() throws Exception {
        SphinxRecognizer r = new SphinxRecognizer(2, 8000);
        CompletableFuture<Void> prepared = CompletableFuture.runAsync(
                () -> r.prepare(new Vocabulary(List.of("checking account", "credit card"), false)));
        Thread.sleep(300); // the second decoder's model takes seconds to load
        r.close();
        assertDoesNotThrow(() -> prepared.get(120, TimeUnit.SECONDS));
    }
}
