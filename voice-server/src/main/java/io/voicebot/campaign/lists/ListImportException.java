package io.voicebot.campaign.lists;

import java.util.List;

/**
 * The file cannot be imported at all (unreadable encoding, bad header, broken quoting): nothing was imported.
 * Each problem reads "FILE: line N: ..." so that a person can find it.
 */
public final class ListImportException extends Exception {
    private final List<String> problems;

    ListImportException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    ListImportException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
