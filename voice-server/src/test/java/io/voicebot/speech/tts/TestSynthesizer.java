package io.voicebot.speech.tts;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The prompt tests' MaryTTS synthesizer (the default voice, two synthesis threads), started before a test class and
 * closed after it: register as {@code @RegisterExtension static final TestSynthesizer voice = new TestSynthesizer();}.
 */
final class TestSynthesizer implements BeforeAllCallback, AfterAllCallback {
    private MaryTtsSynthesizer tts;

    @Override
    public void beforeAll(ExtensionContext context) {
        tts = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 2);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        tts.close();
    }

    MaryTtsSynthesizer tts() {
        return tts;
    }

    /** A cache over this synthesizer in {@code dir}, at 8 kHz with the default memory budget. */
    PromptCache cache(Path dir) throws IOException {
        return new PromptCache(tts, dir, 8000, PromptCache.DEFAULT_MEMORY_BYTES);
    }
}
