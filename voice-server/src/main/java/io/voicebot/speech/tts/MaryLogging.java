package io.voicebot.speech.tts;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MaryTTS logs through the log4j 1.2 API (bridged to log4j 2 core). Left alone it writes an INFO log to
 * ./log/server.log of whatever directory the JVM started in. This sends its warnings and errors to SLF4J, so
 * they appear in voicebot's own log (Logback, logger names "marytts.*"), and drops the rest before any
 * formatting work is done.
 */
final class MaryLogging {
    private static final String APPENDER = "voicebot-slf4j";

    private MaryLogging() {}

    /** Idempotent; must run before MaryTTS starts. */
    static synchronized void routeToSlf4j() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        if (cfg.getAppender(APPENDER) != null) {
            return;
        }
        Slf4jAppender appender = new Slf4jAppender();
        appender.start();
        cfg.addAppender(appender);
        LoggerConfig root = cfg.getRootLogger();
        for (String name : root.getAppenders().keySet()) {
            root.removeAppender(name);
        }
        root.addAppender(appender, Level.WARN, null);
        root.setLevel(Level.WARN);
        // Its power-on self test warns "Locale is null" on every start-up: noise, not a problem.
        LoggerConfig selfTest = new LoggerConfig("marytts.TextToMaryXML", Level.ERROR, true);
        cfg.addLogger(selfTest.getName(), selfTest);
        ctx.updateLoggers();
        // MaryTTS configures its own file logging unless the log4j 1.2 root logger already has an appender.
        org.apache.log4j.Logger.getRootLogger().addAppender(new org.apache.log4j.varia.NullAppender());
    }

    private static final class Slf4jAppender extends AbstractAppender {
        Slf4jAppender() {
            super(APPENDER, null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            Logger log = LoggerFactory.getLogger(event.getLoggerName() == null ? "marytts" : event.getLoggerName());
            String msg = event.getMessage() == null ? "" : event.getMessage().getFormattedMessage();
            Throwable t = event.getThrown();
            if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
                log.error(msg, t);
            } else if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                log.warn(msg, t);
            } else {
                log.info(msg, t);
            }
        }
    }
}
