package io.voicebot.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A command's {@code --help}: usage lines, what it does, every option and the exit codes. The same option list is
 * what {@link Options#parse(List, Help)} accepts, so the help cannot leave an option out.
 */
public record Help(List<String> usage, String description, List<Opt> options, List<String> notes) {

    /** One option; {@code arg} is null for a flag. */
    public record Opt(String name, String arg, String text) {
        String left() {
            return "--" + name + (arg == null ? "" : " " + arg);
        }
    }

    /** The exit codes every command uses (Main maps the exceptions to them). */
    public static final List<String> EXIT_CODES = List.of(
            "0  done",
            "1  failed: the message says what and where",
            "2  bad command line (unknown option, missing argument)",
            "3  configuration error (every bad key is listed)");

    public static Help of(String usage, String description) {
        return new Help(List.of(usage), description, List.of(), List.of());
    }

    public Help usage(String line) {
        List<String> u = new ArrayList<>(usage);
        u.add(line);
        return new Help(u, description, options, notes);
    }

    public Help option(String name, String arg, String text) {
        List<Opt> o = new ArrayList<>(options);
        o.add(new Opt(name, arg, text));
        return new Help(usage, description, o, notes);
    }

    public Help flag(String name, String text) {
        return option(name, null, text);
    }

    public Help note(String line) {
        List<String> n = new ArrayList<>(notes);
        n.add(line);
        return new Help(usage, description, options, n);
    }

    Set<String> withValue() {
        Set<String> s = new LinkedHashSet<>();
        options.stream().filter(o -> o.arg() != null).forEach(o -> s.add(o.name()));
        return s;
    }

    Set<String> flags() {
        Set<String> s = new LinkedHashSet<>();
        options.stream().filter(o -> o.arg() == null).forEach(o -> s.add(o.name()));
        return s;
    }

    public void print(PrintStream ps) {
        for (int i = 0; i < usage.size(); i++) {
            ps.println((i == 0 ? "usage: " : "       ") + usage.get(i));
        }
        ps.println();
        ps.println(description);
        ps.println();
        ps.println("options:");
        int width = 12;
        for (Opt o : options) {
            width = Math.max(width, o.left().length());
        }
        for (Opt o : options) {
            ps.printf("  %-" + width + "s  %s%n", o.left(), o.text());
        }
        ps.printf("  %-" + width + "s  %s%n", "--help", "print this help");
        ps.println("  (global, before the command: --config FILE, or VOICEBOT_CONFIG=FILE)");
        if (!notes.isEmpty()) {
            ps.println();
            notes.forEach(ps::println);
        }
        ps.println();
        ps.println("exit codes:");
        EXIT_CODES.forEach(c -> ps.println("  " + c));
    }
}
