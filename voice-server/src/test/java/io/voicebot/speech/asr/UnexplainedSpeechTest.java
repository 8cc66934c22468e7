package io.voicebot.speech.asr;

import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Speech the words leave over: a long unrelated sentence that Sphinx4 matched one phrase into leaves most of its
 * speech in "silence", and at the shipped speech.sphinx.reject.below (0.3) it gets the step's no-match reprompt.
 * The same audio with speech.sphinx.unexplained.ms 0 (off) is taken as that phrase, so the leftover speech is what
 * rejects it. Built-in dialogs brought to their step by a real
 * {@link DialogRun}, the step's listen as the vocabulary exactly as CallSession builds it, espeak-ng audio over
 * G.711 mu-law.
 */
class UnexplainedSpeechTest {
    private static final double REJECT_BELOW = 0.3; // the shipped speech.sphinx.reject.below
    private static SphinxRecognizer recognizer;
    private static SphinxRecognizer withoutCheck;
    private static Map<String, Dialog> dialogs;
    private static EspeakAtSteps steps;

    @BeforeAll
    static void start() throws Exception {
        recognizer = new SphinxRecognizer(1, 8000, SphinxSettings.SHIPPED.withRejectBelow(REJECT_BELOW));
        withoutCheck = new SphinxRecognizer(1, 8000,
                SphinxSettings.SHIPPED.withRejectBelow(REJECT_BELOW).withUnexplainedMs(0));
        steps = new EspeakAtSteps();
        dialogs = steps.dialogs();
    }

    @AfterAll
    static void stop() throws Exception {
        recognizer.close();
        withoutCheck.close();
        steps.close();
    }

    @ParameterizedTest(name = "{0}: \"{1}\" is a no-match")
    @CsvSource({
            "yes_no, my card was stolen last week",
            // "how much do i owe" at the yes/no question was one too: since it also listens for "i don't know" and
            // "what" (session 18), it and most sentences are rejected there on their confidence alone
            "rating_1_5, i am driving right now",
            "hotline_intent, we just got back from vacation",
    })
    void aLongUnrelatedSentenceGetsTheNoMatchReprompt(String taskName, String spoken) throws Exception {
        UnderstandingBenchmark.Task t = UnderstandingBenchmark.task(taskName);
        Dialog d = dialogs.get(t.dialog());
        assertFalse(hear(withoutCheck, d, t, spoken).text().isEmpty(), "without the check it is taken as a phrase");
        RecognitionResult r = hear(recognizer, d, t, spoken);
        assertEquals("", r.text(), "rejected");
        assertTrue(r.rejection().matches("confidence 0\\.[0-2][0-9] below 0\\.30: [0-9]+ ms of speech outside the "
                + "words"), r.rejection());
        OutOfGrammarTest.assertNoMatchReprompt(d, t, UnderstandingBenchmark.runAt(d, t), r, "outside the words");
    }

    @ParameterizedTest(name = "{0}: \"{1}\" is heard")
    @CsvSource({
            "yes_no, correct",
            "rating_1_5, five stars",
            "hotline_intent, check my balance",
            "date_weekday, the day after tomorrow",
            "globals@identity, remove my number",
    })
    void answersAreStillHeard(String taskName, String spoken) throws Exception {
        UnderstandingBenchmark.Task t = UnderstandingBenchmark.task(taskName);
        Dialog d = dialogs.get(t.dialog());
        RecognitionResult r = hear(recognizer, d, t, spoken);
        assertEquals(Probe.meaning(d, t, spoken, 0.9), Probe.meaning(d, t, r.text(), 0.9), "heard " + r.text());
        assertTrue(r.confidence() > 0.5, "confidence " + r.confidence());
    }

    @Test
    void leftoverSpeechMapsToAConfidenceAndZeroTurnsItOff() {
        assertEquals(0.5, AcousticConfidence.unexplainedConfidence(19, 190), 1e-9);
        assertTrue(AcousticConfidence.unexplainedConfidence(14, 190) > 0.8, "a few frames: no doubt");
        assertTrue(AcousticConfidence.unexplainedConfidence(22, 190) < REJECT_BELOW, "a word's worth: a no-match");
        assertTrue(AcousticConfidence.unexplainedConfidence(0, 190) > 0.99);
        assertEquals(0.5, AcousticConfidence.unexplainedConfidence(40, 400), 1e-9, "the midpoint is the setting");
        AsrException e = assertThrows(AsrException.class, () -> SphinxSettings.SHIPPED.withUnexplainedMs(-1));
        assertTrue(e.getMessage().contains("speech.sphinx.unexplained.ms"), e.getMessage());
    }

    private static RecognitionResult hear(SphinxRecognizer rec, Dialog d, UnderstandingBenchmark.Task t,
                                          String spoken) throws Exception {
        return steps.hear(rec, d, t, spoken);
    }
}
