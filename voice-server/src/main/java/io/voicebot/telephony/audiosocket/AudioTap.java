package io.voicebot.telephony.audiosocket;

/**
 * Sees both directions of one session's audio (a call recorder). Called on the pacer and I/O threads, possibly
 * under the channel's lock: implementations copy what they need and return at once, never blocking.
 */
public interface AudioTap {
    /** One frame the robot sent on the 20 ms pacer clock (silence included); the array is not the tap's to keep. */
    void robot(short[] frame, int sampleRate);

    /** One frame of the caller's audio as it arrived; the array is not the tap's to keep. */
    void caller(short[] samples, int sampleRate);

    /** The session ended; called once. */
    void closed();
}
