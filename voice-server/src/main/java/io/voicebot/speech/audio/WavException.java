package io.voicebot.speech.audio;

import java.io.IOException;

/** A WAV file that cannot be read; the message names the file and what is wrong with it. */
public final class WavException extends IOException {
    public WavException(String message) {
        super(message);
    }
}
