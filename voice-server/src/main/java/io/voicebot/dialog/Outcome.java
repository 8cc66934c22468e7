package io.voicebot.dialog;

import java.util.Locale;

/** How a call ended, as reported to the campaign and stored with the call. */
public enum Outcome {
    COMPLETED, PARTIAL, TRANSFERRED, OPTED_OUT, WRONG_PERSON, CALLBACK_REQUESTED, NO_INPUT, HUNG_UP, FAILED,
    /** An answering machine answered and the robot hung up (campaign amd_action "hangup"): retry later. */
    MACHINE,
    /** An answering machine answered and the robot left the campaign's voicemail. */
    VOICEMAIL,
    /** The node running the call stopped (kill -9, power) before it ended; set at its next start-up. */
    INTERRUPTED,
    /** The media connection stayed open but sent no audio for longer than audiosocket.media.timeout.ms. */
    MEDIA_TIMEOUT;

    /** The script spelling: lower case ("opted_out"). */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a script's hangup step may name it: machine and voicemail come from answering-machine detection,
     * interrupted and media_timeout from voicebot itself.
     */
    public boolean scriptable() {
        return this != MACHINE && this != VOICEMAIL && this != INTERRUPTED && this != MEDIA_TIMEOUT;
    }
}
