package io.voicebot.config;

import io.voicebot.speech.amd.AmdSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The amd.* keys: the shipped defaults are the detector's, and values that cannot work are refused at start. */
class AmdConfigTest {
    private static final Path HOME = Path.of(System.getProperty("voicebot.home", ".."));

    @Test
    void shippedDefaultsAreTheDetectorDefaults() {
        assertEquals(AmdSettings.defaults(), AmdSettings.from(VoicebotConfig.defaults(HOME, Map.of()).amd()));
    }

    @Test
    void overridesReachTheDetector() {
        AmdSettings s = AmdSettings.from(VoicebotConfig.defaults(HOME, Map.of("amd.analysis.ms", "4000",
                "amd.initial.silence.ms", "2000", "amd.greeting.max.ms", "1800", "amd.after.greeting.silence.ms",
                "900", "amd.greeting.end.silence.ms", "1500", "amd.beep.max.wait.ms", "0")).amd());
        assertEquals(new AmdSettings(4000, 2000, 1800, 900, 1500, 0, 100, 50, 3, 120), s);
    }

    @Test
    void initialSilenceLongerThanTheAnalysisIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> VoicebotConfig.defaults(HOME,
                Map.of("amd.analysis.ms", "3000", "amd.initial.silence.ms", "4000")));
        assertTrue(e.getMessage().contains("amd.initial.silence.ms") && e.getMessage().contains("amd.analysis.ms"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> VoicebotConfig.defaults(HOME, Map.of("amd.greeting.max.ms", "0")));
    }
}
