package io.voicebot.dialog;

import java.util.Locale;

/** How a call ended, as reported to the campaign and stored with the call. */
public enum Outcome {
    COMPLETED, PARTIAL, TRANSFERRED, OPTED_OUT, WRONG_PERSON, CALLBACK_REQUESTED, NO_INPUT, HUNG_UP, FAILED;

    /** The script spelling: lower case ("opted_out"). */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
