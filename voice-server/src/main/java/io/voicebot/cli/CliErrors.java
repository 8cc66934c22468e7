package io.voicebot.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a user reads when a command fails: the problem in words, never a Java class name. */
public final class CliErrors {
    private static final java.util.regex.Pattern LEADING_CLASS_NAME =
            java.util.regex.Pattern.compile("^(?:(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*: )+");

    private CliErrors() {}

    public static String message(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (t instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (t instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "cannot be used" : f.getReason());
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                // new RuntimeException(cause) copies cause.toString(): drop the class names it starts with
                return LEADING_CLASS_NAME.matcher(c.getMessage()).replaceFirst("");
            }
        }
        // A bug, not a user error: say so, and keep the kind of failure for the report.
        return "internal error (" + t.getClass().getSimpleName() + "); please report it with the log";
    }

    /** Is this a failure whose message is the whole story (no stack trace needed)? */
    public static boolean expected(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof java.io.IOException || t.getClass().getName().startsWith("io.voicebot.");
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t instanceof ExecutionException
                || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
