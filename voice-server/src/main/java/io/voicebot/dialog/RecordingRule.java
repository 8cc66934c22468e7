package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The script's {@code record: true}: calls of the dialog are recorded. Allowed only when the caller is told: the
 * script needs a non-interruptible prompt (the disclosure, played in full) that says the call is recorded.
 */
final class RecordingRule {
    private RecordingRule() {}

    /** Whether the script records; problems go to {@code problem} as (field, what is wrong). */
    static boolean check(JsonNode record, Collection<Step> steps, BiConsumer<String, String> problem) {
        if (record.isMissingNode() || record.isNull()) {
            return false;
        }
        if (!record.isBoolean()) {
            problem.accept("record", "must be true or false, got '" + record.asText() + "'");
            return false;
        }
        if (!record.asBoolean()) {
            return false;
        }
        boolean told = steps.stream().anyMatch(s -> s instanceof Step.Say say && say.nonInterruptible()
                && say.text().toLowerCase(Locale.ROOT).contains("record"));
        if (!told) {
            problem.accept("record", "a recorded dialog needs a disclosure that tells the caller: a say step with "
                    + "non_interruptible: true whose text says the call is recorded (none found)");
        }
        return told;
    }
}
