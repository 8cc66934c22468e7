package io.voicebot.dialog;

import org.junit.jupiter.api.Test;

import static io.voicebot.dialog.Fixtures.loader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code record: true}: allowed only with a disclosure that says so; kept when a script is written back. */
class RecordingRuleTest {
    private static String script(String record, String disclosure) {
        return "name: rec_check\n" + record
                + "steps:\n"
                + "  - id: hello\n"
                + "    say: \"" + disclosure + "\"\n"
                + "    non_interruptible: true\n"
                + "    next: bye\n"
                + "  - id: bye\n"
                + "    hangup: completed\n"
                + "    say: \"Goodbye.\"\n";
    }

    @Test
    void aRecordedDialogWithItsDisclosureLoadsAsRecorded() {
        Dialog d = loader().parse("rec.yaml", script("record: true\n", "This call is recorded for quality."));
        assertTrue(d.recorded());
        assertTrue(ScriptWriter.toYaml(d).contains("record: true"));
        assertTrue(loader().parse("again.yaml", ScriptWriter.toYaml(d)).recorded());
    }

    @Test
    void withoutTheFlagNothingIsRecordedEvenWithTheWords() {
        assertFalse(loader().parse("rec.yaml", script("", "This call is recorded.")).recorded());
        assertFalse(loader().parse("rec.yaml", script("record: false\n", "This call is recorded.")).recorded());
        assertFalse(ScriptWriter.toYaml(loader().parse("rec.yaml", script("", "Hello."))).contains("record"));
    }

    @Test
    void recordingWithoutTellingTheCallerIsRefused() {
        DialogException e = assertThrows(DialogException.class,
                () -> loader().parse("rec.yaml", script("record: true\n", "Hello, this is your bank.")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("rec.yaml: record: a recorded dialog needs a disclosure"),
                e.problems().get(0));
        DialogException bad = assertThrows(DialogException.class,
                () -> loader().parse("rec.yaml", script("record: often\n", "This call is recorded.")));
        assertTrue(bad.problems().get(0).contains("record: must be true or false"), bad.problems().toString());
    }

    @Test
    void theShippedDialogsRecordOnlyThePaymentReminder() {
        var all = loader().loadDir(Fixtures.home().resolve("config/dialogs"));
        assertTrue(all.get("payment_reminder").recorded());
        assertFalse(all.get("satisfaction_survey").recorded());
        assertFalse(all.get("hotline").recorded());
    }
}
