package io.voicebot.dialog;

/** Scripts made of digits steps, asked in order, for the tests of how a digits step listens. */
final class DigitSteps {
    /** Exactly four digits. */
    static final String FOUR_DIGIT_CODE = """
            - id: code
              ask: Say your four digit code.
              slot: digits
              min: 4
              max: 4
              key: code
            """;

    private DigitSteps() {}

    /**
     * A dialog named {@code name} that asks {@code steps} (YAML list items without {@code next}) one after the other
     * and then hangs up.
     */
    static Dialog dialog(String name, String... steps) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\nsteps:\n");
        for (int i = 0; i < steps.length; i++) {
            String next = i + 1 < steps.length ? id(steps[i + 1]) : "bye";
            yaml.append(steps[i].stripTrailing().indent(2)).append("    next: ").append(next).append('\n');
        }
        yaml.append("  - id: bye\n    hangup: completed\n");
        return Fixtures.loader().parse(name + ".yaml", yaml.toString());
    }

    /** The id of a step written as "- id: code" on its first line. */
    private static String id(String step) {
        return step.lines().findFirst().orElseThrow().replace("- id:", "").trim();
    }
}
