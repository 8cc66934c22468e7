package io.voicebot.telephony.audiosocket;

/**
 * Receives what the caller sends over one AudioSocket session. Called on a Netty I/O thread, in order:
 * implementations must hand work (recognition) to their own executor and return at once.
 */
public interface AudioListener {
    /** Signed 16-bit mono samples of one frame (usually 20 ms); the array is the listener's to keep. */
    void onAudio(short[] samples, int sampleRate);

    /** A DTMF digit: 0-9, *, #, A-D. */
    void onDtmf(char digit);

    /** The session ended, for any reason (Asterisk closed, hangup(), error); called exactly once. */
    void onHangup();

    /**
     * The session was closed because no frame at all arrived for {@code silentMs} (the far end is gone but the
     * TCP connection stayed open); called instead of {@link #onHangup()}, exactly once.
     */
    default void onMediaTimeout(long silentMs) {
        onHangup();
    }
}
