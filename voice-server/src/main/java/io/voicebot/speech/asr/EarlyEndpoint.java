package io.voicebot.speech.asr;

import java.util.List;

/**
 * When a turn may end before the full trailing silence: the caller has been quiet for {@link #QUIET_MS} and what
 * the recognizer has heard so far is a whole phrase of the step that no longer phrase of another meaning
 * continues. Open answers (free speech), sequences with no maximum (digits: more may follow), a sequence shorter
 * than its maximum and a phrase that begins a longer one meaning something else ("no" when "no more calls" is also
 * expected) wait for the long timeout, as before. A phrase whose longer phrases all mean the same ("no", "no
 * thanks") ends early: whatever follows changes nothing. A sequence of its maximum length (twelve digits of a 6-12
 * digit account number) cannot go on, so it is complete.
 */
public final class EarlyEndpoint {
    /** Quiet after the last loud frame before the running hypothesis is checked. */
    public static final long QUIET_MS = 220;
    /**
     * A decoded checkpoint ends the turn only this sure: a doubtful early result (a word cut by a pause, "four"
     * heard as "two" at 0.15) waits for the whole utterance instead of being read back to the caller.
     */
    public static final double MIN_CONFIDENCE = 0.5;
    /**
     * Quiet after a whole phrase that a longer phrase of another meaning begins ("no" when "no more calls" is
     * expected) before it ends the turn: people do not pause this long inside a short phrase, and the rest of the
     * 600 ms endpoint would be spent on every plain "no".
     */
    public static final long PREFIX_QUIET_MS = 400;

    private EarlyEndpoint() {
    }

    /** Whether this vocabulary can ever end a turn early (checked once per turn). */
    public static boolean possible(Vocabulary v) {
        return !v.isFreeSpeech() && (!v.sequence() || v.maxLength() > 0);
    }

    /**
     * Whether a checkpoint may end the turn: a complete answer, and when it was decoded with a confidence
     * ({@link RecognitionResult#isFinal()}), one of at least {@code minConfidence}.
     */
    public static boolean endsTurn(Vocabulary v, RecognitionResult soFar, double minConfidence) {
        return quietToEnd(v, soFar, minConfidence) == QUIET_MS;
    }

    public static boolean endsTurn(Vocabulary v, RecognitionResult soFar) {
        return endsTurn(v, soFar, MIN_CONFIDENCE);
    }

    /**
     * How long the caller must have been quiet for a checkpoint to end the turn: {@link #QUIET_MS} for a complete
     * answer, {@link #PREFIX_QUIET_MS} for a whole phrase that may still go on to mean something else, -1 when it
     * may not end the turn at all (not a phrase, or too doubtful).
     */
    public static long quietToEnd(Vocabulary v, RecognitionResult soFar, double minConfidence) {
        if (soFar.isFinal() && soFar.confidence() < minConfidence) {
            return -1;
        }
        if (complete(v, soFar.text())) {
            return QUIET_MS;
        }
        // a digit sequence short of its maximum waits for the endpoint: callers pause between groups of digits
        return possible(v) && !v.sequence() && soFar.text() != null && v.phrases().contains(soFar.text().trim())
                ? PREFIX_QUIET_MS : -1;
    }

    /** Whether {@code hypothesis} is a complete answer to a step listening for {@code v}. */
    public static boolean complete(Vocabulary v, String hypothesis) {
        if (!possible(v) || hypothesis == null) {
            return false;
        }
        String h = hypothesis.trim();
        if (h.isEmpty()) {
            return false;
        }
        List<String> phrases = v.phrases();
        if (v.sequence()) {
            int n = v.sequenceLength(h);
            if (n >= 0) {
                // fewer than the maximum may go on (and fewer than the minimum is no answer yet)
                return n == v.maxLength() && n >= v.minLength();
            }
            phrases = v.secondary(); // a global ("agent") is never part of a sequence
        }
        if (!phrases.contains(h)) {
            return false;
        }
        String prefix = h + " ";
        for (String p : phrases) {
            if (p.startsWith(prefix) && !v.sameMeaning(h, p)) {
                return false;
            }
        }
        return true;
    }
}
