package io.voicebot.telephony.ami;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Captures every log line (TRACE and up, Asterisk-Java's included) while open. */
final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger asteriskJava = (Logger) LoggerFactory.getLogger("org.asteriskjava");
    private final Level rootLevel = root.getLevel();
    private final Level ajLevel = asteriskJava.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        asteriskJava.setLevel(Level.TRACE);
    }

    /** Every captured line: message, arguments rendered, and the messages of attached exceptions. */
    List<String> lines() {
        return lines(Level.TRACE);
    }

    /** The captured lines at {@code atLeast} or above. */
    List<String> lines(Level atLeast) {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            if (!e.getLevel().isGreaterOrEqual(atLeast)) {
                continue;
            }
            StringBuilder sb = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        asteriskJava.setLevel(ajLevel);
    }
}
