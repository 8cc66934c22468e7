package io.voicebot.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What reaches the log: masked phone numbers, the call id, and never a secret. */
class LoggingTest {

    /** Captures lines formatted exactly as the shipped logback.xml formats them on stderr. */
    private static String logThrough(Runnable r) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> shipped = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        String pattern = ((PatternLayoutEncoder) shipped.getEncoder()).getPattern();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(pattern);
        enc.start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> app = new OutputStreamAppender<>();
        app.setContext(ctx);
        app.setEncoder(enc);
        app.setOutputStream(buf);
        app.start();
        root.addAppender(app);
        try {
            r.run();
        } finally {
            root.detachAppender(app);
            app.stop();
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void maskedPhoneNumbersKeepOnlyTheLastFourDigitsAndLinesCarryTheCallId() {
        Logger log = LoggerFactory.getLogger("io.voicebot.telephony.test");
        String out = logThrough(() -> {
            try (CallLog ignored = CallLog.call("c0ffee-42")) {
                log.info("dialing {} for campaign {}", PhoneMask.mask("+1 (555) 123-4567"), "reminders");
            }
            log.info("outside a call {}", PhoneMask.mask("5551239876"));
        });
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].endsWith("i.v.telephony.test c0ffee-42 - dialing ** (***) ***-4567 for campaign "
                + "reminders"), lines[0]);
        assertTrue(lines[1].endsWith("i.v.telephony.test - outside a call ******9876"), lines[1]);
        // the messages only: a time stamp may well contain "555"
        String messages = java.util.Arrays.stream(lines).map(l -> l.substring(l.indexOf(" - ") + 3))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertFalse(messages.contains("555") || messages.contains("123-"), out);
        assertEquals("****", PhoneMask.mask("1234"));
    }

    @Test
    void numbersInChannelNamesAreMaskedAndTheRestKept() {
        assertEquals("PJSIP/********0001-00000001", PhoneMask.channel("PJSIP/+15557770001-00000001"));
        assertEquals("Local/*******0002@voicebot-test-callee-0000000a;1",
                PhoneMask.channel("Local/15557770002@voicebot-test-callee-0000000a;1"));
        assertEquals("PJSIP/********4567@trunk", PhoneMask.channel("PJSIP/+15551234567@trunk"));
        assertEquals("PJSIP/trunk-00000003", PhoneMask.channel("PJSIP/trunk-00000003"));
        assertEquals("SIP/alice-0000abcd", PhoneMask.channel("SIP/alice-0000abcd"));
        assertEquals(null, PhoneMask.channel(null));
    }

    @Test
    void configToStringAndConfigErrorsNeverShowSecrets() {
        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("/opt/voicebot"), Map.of(
                "ami.secret", "AmiS3cret!", "db.password", "DbP@ss-99",
                "db.url", "jdbc:mysql://db:3306/vb?user=vb&password=UrlPw77&useSSL=true"));
        String s = cfg.toString();
        assertFalse(s.contains("AmiS3cret!"), s);
        assertFalse(s.contains("DbP@ss-99"), s);
        assertFalse(s.contains("UrlPw77"), s);
        assertTrue(s.contains("secret=****") && s.contains("password=****"), s);
        assertTrue(s.contains("jdbc:mysql://db:3306/vb?user=vb&password=****&useSSL=true"), s);

        ConfigException bad = assertThrows(ConfigException.class, () -> VoicebotConfig.defaults(Path.of("/"),
                Map.of("ami.secret", "AmiS3cret!", "db.password", "DbP@ss-99", "db.pool.size", "DbP@ss-99")));
        assertFalse(bad.getMessage().contains("AmiS3cret!"), bad.getMessage());
        assertTrue(bad.getMessage().startsWith("invalid value 'DbP@ss-99' for db.pool.size"), bad.getMessage());
        var settings = io.voicebot.config.Settings.load(null, Map.of()).with(Map.of("db.password", "DbP@ss-99"));
        ConfigException hidden = settings.invalid("db.password", "DbP@ss-99", "too short");
        assertEquals("invalid value (hidden) for db.password (from override): too short", hidden.getMessage());
    }
}
