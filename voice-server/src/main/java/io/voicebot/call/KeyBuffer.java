package io.voicebot.call;

import io.voicebot.speech.asr.SpeechListener;

import java.util.ArrayDeque;

/**
 * Keys pressed while no turn was listening, in arrival order. Each key of a typed number is its own recognizer turn,
 * and the next turn starts on the call's executor: a key that arrives in between waits here for it instead of being
 * lost (a caller typing fast on a busy server lost keys). Thread-safe: keys arrive on the media thread, turns start
 * on the call's executor.
 */
final class KeyBuffer {
    private static final int MAX_KEYS = 32;

    private final ArrayDeque<Character> keys = new ArrayDeque<>();

    /**
     * Hands {@code key} to {@code listener} when nothing is waiting before it and a turn takes it; otherwise keeps it
     * (at most {@value #MAX_KEYS}). Returns whether it was kept, so the caller schedules {@link #deliverNext}.
     */
    synchronized boolean offer(char key, SpeechListener listener) {
        // in order: a key may not overtake one still waiting for its turn
        if (keys.isEmpty() && listener.onDtmf(key)) {
            return false;
        }
        if (keys.size() < MAX_KEYS) {
            keys.add(key);
        }
        return true;
    }

    /** Gives the oldest waiting key to {@code listener} if it is listening; with {@code open} false, drops them all. */
    synchronized void deliverNext(SpeechListener listener, boolean open) {
        if (!open) {
            keys.clear();
            return;
        }
        if (!keys.isEmpty() && listener != null && listener.isListening()) {
            listener.onDtmf(keys.poll());
        }
    }

    synchronized void clear() {
        keys.clear();
    }
}
