package io.voicebot.speech.amd;

import io.voicebot.config.VoicebotConfig;

/**
 * What the answering-machine detector listens for, in milliseconds of call audio. The first four and the word
 * limits follow Asterisk's app_amd defaults; unlike app_amd, a silent start is not a machine (see docs/amd.md).
 *
 * @param analysisMs            no verdict by then: NOT_SURE
 * @param initialSilenceMs      no word by then: NOT_SURE (a person waiting for the robot, who already talks)
 * @param greetingMaxMs         this much speech in the greeting: MACHINE
 * @param afterGreetingSilenceMs silence after a short greeting that makes it a person's: HUMAN
 * @param greetingEndSilenceMs  after MACHINE, silence that ends the machine's greeting when no beep comes
 * @param beepMaxWaitMs         after MACHINE, the longest wait for the beep or that silence
 * @param minWordMs             sound shorter than this is not a word (clicks, breath)
 * @param betweenWordsMs        silence that separates two words
 * @param maxWords              more words than this in the greeting: MACHINE
 * @param minBeepMs             a steady tone this long is a beep
 */
public record AmdSettings(long analysisMs, long initialSilenceMs, long greetingMaxMs, long afterGreetingSilenceMs,
                          long greetingEndSilenceMs, long beepMaxWaitMs, long minWordMs, long betweenWordsMs,
                          int maxWords, long minBeepMs) {

    public AmdSettings {
        positive("analysisMs", analysisMs);
        positive("initialSilenceMs", initialSilenceMs);
        positive("greetingMaxMs", greetingMaxMs);
        positive("afterGreetingSilenceMs", afterGreetingSilenceMs);
        positive("greetingEndSilenceMs", greetingEndSilenceMs);
        positive("minWordMs", minWordMs);
        positive("betweenWordsMs", betweenWordsMs);
        positive("minBeepMs", minBeepMs);
        if (beepMaxWaitMs < 0) {
            throw new IllegalArgumentException("beepMaxWaitMs must not be negative, got " + beepMaxWaitMs);
        }
        if (maxWords < 1) {
            throw new IllegalArgumentException("maxWords must be at least 1, got " + maxWords);
        }
        if (initialSilenceMs > analysisMs || afterGreetingSilenceMs >= analysisMs) {
            throw new IllegalArgumentException("initial silence (" + initialSilenceMs + " ms) and after-greeting "
                    + "silence (" + afterGreetingSilenceMs + " ms) must fit in the analysis time (" + analysisMs
                    + " ms)");
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    /** The shipped defaults: those of config/voicebot.properties. */
    public static AmdSettings defaults() {
        return new AmdSettings(5000, 2500, 1500, 800, 1200, 15_000, 100, 50, 3, 120);
    }

    /** The amd.* configuration values, with the word and beep limits at their defaults. */
    public static AmdSettings from(VoicebotConfig.Amd c) {
        AmdSettings d = defaults();
        return new AmdSettings(c.analysis().toMillis(), c.initialSilence().toMillis(), c.greetingMax().toMillis(),
                c.afterGreetingSilence().toMillis(), c.greetingEndSilence().toMillis(), c.beepMaxWait().toMillis(),
                d.minWordMs(), d.betweenWordsMs(), d.maxWords(), d.minBeepMs());
    }
}
