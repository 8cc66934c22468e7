package io.voicebot.dialog;

import java.util.List;

/**
 * A dialog script, knowledge file or questionnaire that cannot be used. {@link #problems()} lists every
 * problem found, each naming the source and where in it (step and field, or row and column).
 */
public final class DialogException extends RuntimeException {
    private final List<String> problems;

    public DialogException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
