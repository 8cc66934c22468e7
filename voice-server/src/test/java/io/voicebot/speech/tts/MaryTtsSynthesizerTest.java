package io.voicebot.speech.tts;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.speech.audio.Levels;
import io.voicebot.speech.audio.Pcm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaryTtsSynthesizerTest {
    private static final String SENTENCE = "Your payment of one hundred twenty five dollars is due on December third.";
    private static MaryTtsSynthesizer tts;

    @BeforeAll
    static void start() {
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("tts.threads", "2"));
        tts = MaryTtsSynthesizer.start(cfg.tts());
    }

    @AfterAll
    static void stop() {
        tts.close();
    }

    private static Pcm say(MaryTtsSynthesizer s, String text, int rate) throws Exception {
        return s.synthesize(text, rate).get(60, TimeUnit.SECONDS);
    }

    @Test
    void speaksASentenceAsTelephoneAudio() throws Exception {
        long before = tts.synthesisCount();
        Pcm pcm = say(tts, SENTENCE, 8000);
        assertEquals(before + 1, tts.synthesisCount());
        assertEquals(8000, pcm.sampleRate());
        // 13 words: about 3-5 s of speech for a normal speaking rate.
        long ms = pcm.durationMillis();
        assertTrue(ms > 2500 && ms < 8000, "implausible duration " + ms + " ms");
        double rms = Levels.rmsDbfs(pcm.samples());
        assertTrue(rms > -35 && rms < -3, "level " + rms + " dBFS");
        // Speech has pauses and loud parts: 20 ms frames span a wide range of levels.
        int silent = 0;
        int loud = 0;
        for (int f = 0; f < pcm.samples().length / 160; f++) {
            double db = Levels.frameDbfs(pcm.samples(), f, 160);
            silent += db < -50 ? 1 : 0;
            loud += db > -30 ? 1 : 0;
        }
        assertTrue(silent >= 3 && loud > 50, "not speech-like: " + silent + " quiet, " + loud + " loud frames");
        // Telephone band: most energy between 100 Hz and 3.6 kHz, and nothing folded back near Nyquist.
        assertTrue(Spectrum.energyFraction(pcm.samples(), 8000, 100, 3600) > 0.95, "energy outside 100-3600 Hz");
        assertTrue(Spectrum.energyFraction(pcm.samples(), 8000, 3800, 4000) < 0.001, "energy near 4 kHz");
    }

    @Test
    void sixteenKilohertzOutputHasTheSameDurationAndWiderBand() throws Exception {
        String hissy = "She sells six sea shells, says Sue.";
        Pcm narrow = say(tts, hissy, 8000);
        Pcm wide = say(tts, hissy, 16000);
        assertEquals(16000, wide.sampleRate());
        assertEquals(narrow.durationMillis(), wide.durationMillis(), 2);
        // The hiss of "s" and "sh" lies above 4 kHz: kept at 16 kHz, filtered out (not folded down) at 8 kHz.
        double high = Spectrum.energyFraction(wide.samples(), 16000, 4200, 8000);
        assertTrue(high > 0.002, "no high band in 16 kHz output: " + high);
    }

    @Test
    void rateChangesHowFastItSpeaks() throws Exception {
        try (MaryTtsSynthesizer fast = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.5, 1)) {
            long normal = say(tts, SENTENCE, 8000).durationMillis();
            long quick = say(fast, SENTENCE, 8000).durationMillis();
            assertTrue(quick < normal * 0.8, "rate 1.5 took " + quick + " ms vs " + normal + " ms at 1.0");
        }
    }

    @Test
    void markupCharactersAreSpokenNotParsed() throws Exception {
        Pcm pcm = say(tts, "Smith & Sons <billing> said \"hello\" 'twice'.", 8000);
        assertTrue(pcm.durationMillis() > 1000, "too short: " + pcm.durationMillis());
    }

    @Test
    void badRequestsFailWithAClearMessage() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> tts.synthesize("   ", 8000).get(5, TimeUnit.SECONDS));
        assertInstanceOf(TtsException.class, e.getCause());
        assertEquals("nothing to say: the text is empty", e.getCause().getMessage());
        e = assertThrows(ExecutionException.class,
                () -> tts.synthesize("x".repeat(MaryTtsSynthesizer.MAX_TEXT_CHARS + 1), 8000).get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().startsWith("text too long"), e.getCause().getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> MaryTtsSynthesizer.start("nobody", 1.0, 1));
        assertEquals("invalid value 'nobody' for tts.voice: no such MaryTTS voice is installed (installed: "
                + "cmu-slt-hsmm)", c.getMessage());
    }

    @Test
    void closedSynthesizerRefusesWork() throws Exception {
        MaryTtsSynthesizer s = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        s.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.synthesize("Hello.", 8000)
                .get(5, TimeUnit.SECONDS));
        assertEquals("synthesizer is closed", e.getCause().getMessage());
    }

    @Test
    void maryLogsGoToSlf4jAndNotToAFile() {
        Logger marylog = (Logger) LoggerFactory.getLogger("marytts.voicebot.test");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        marylog.addAppender(captured);
        try {
            org.apache.log4j.Logger.getLogger("marytts.voicebot.test").warn("bridged warning");
            org.apache.log4j.Logger.getLogger("marytts.voicebot.test").info("chatty info");
        } finally {
            marylog.detachAppender(captured);
        }
        assertEquals(1, captured.list.size(), "events: " + captured.list);
        assertEquals("bridged warning", captured.list.get(0).getFormattedMessage());
        assertFalse(Files.exists(Path.of("log", "server.log")), "MaryTTS wrote its own log file");
    }
}
