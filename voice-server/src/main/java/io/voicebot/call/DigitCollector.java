package io.voicebot.call;

import io.voicebot.speech.asr.Utterance;

import java.util.List;

/**
 * The keys of a multi-digit answer (an amount, an account number), one recognizer turn per key: complete at
 * '#', at the step's number of digits, or when the caller stops pressing (the next turn's no-input).
 */
final class DigitCollector {
    private StringBuilder digits;

    /** Adds a key; true while more are expected. */
    boolean add(char key, int maxDigits) {
        if (digits == null) {
            digits = new StringBuilder();
        }
        if (key != '#') {
            digits.append(key);
        }
        return key != '#' && digits.length() < maxDigits;
    }

    /**
     * The keys so far as one DTMF answer when the caller stopped pressing or ended them ('#', the last digit);
     * {@code u} itself when no keys were collected.
     */
    Utterance complete(Utterance u) {
        boolean ended = u.kind() == Utterance.Kind.NO_INPUT || u.kind() == Utterance.Kind.DTMF;
        if (digits != null && digits.length() > 0 && ended) {
            return new Utterance(Utterance.Kind.DTMF, digits.toString(), 1, u.startMs(), u.endMs(), 0, '\0', false,
                    List.of());
        }
        return u;
    }

    void reset() {
        digits = null;
    }
}
