package io.voicebot.speech.asr;

import io.voicebot.dialog.Dialog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmark's labelling, without audio: every task reaches its step, and "right" compares meanings. */
class UnderstandingBenchmarkTest {
    private static final Map<String, Dialog> DIALOGS = UnderstandingBenchmark.dialogs(
            Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize());

    private static String meaning(String task, String text) {
        UnderstandingBenchmark.Task t = UnderstandingBenchmark.task(task);
        return Probe.meaning(DIALOGS.get(t.dialog()), t, text, 0.9);
    }

    @Test
    void everyTaskListensAtItsStepForItsLabels() {
        for (UnderstandingBenchmark.Task t : UnderstandingBenchmark.tasks()) {
            Probe.check(DIALOGS.get(t.dialog()), t); // throws when a label is not a phrase of the step
        }
        UnderstandingBenchmark.Task bad = new UnderstandingBenchmark.Task("x", "satisfaction_survey", "identity",
                java.util.List.of(), java.util.List.of("the weather is nice today"), true);
        assertThrows(IllegalStateException.class, () -> Probe.check(DIALOGS.get("satisfaction_survey"), bad));
    }

    @Test
    void rightMeansTheRunDoesTheSameThing() {
        assertEquals(meaning("date_weekday", "monday"), meaning("date_weekday", "on monday"));
        assertNotEquals(meaning("date_weekday", "tuesday"), meaning("date_weekday", "today"));
        // both read back ("I heard ... Is that the date you will pay?"), but the caller's yes records another date
        assertNotEquals(meaning("date_weekday", "sunday"), meaning("date_weekday", "monday"));
        assertNotEquals(meaning("payment_response", "i can't pay"), meaning("payment_response", "i can pay"));
        assertEquals(meaning("rating_1_5", "four"), meaning("rating_1_5", "four stars"));
        assertNotEquals(meaning("rating_1_5", "four"), meaning("rating_1_5", "five"));
        assertEquals(meaning("yes_no", "yes"), meaning("yes_no", "yeah"));
        assertEquals(meaning("unsure@identity", "not sure"), meaning("unsure@identity", "maybe"));
        assertNotEquals(meaning("unsure@identity", "not sure"), meaning("unsure@identity", "sure"));
        assertEquals(meaning("unsure@rating", "not sure"), meaning("unsure@rating", "i don't know"));
        assertNotEquals(meaning("unsure@rating", "not sure"), meaning("rating_1_5", "two"));
        assertEquals(meaning("hold@one_digit", "hang on"), meaning("hold@one_digit", "wait"));
        assertNotEquals(meaning("hold@one_digit", "wait"), meaning("one_digit", "eight"));
        assertNotEquals(meaning("hold@rating", "one second"), meaning("rating_1_5", "one"));
        assertEquals(meaning("globals@rating", "stop calling me"), meaning("globals@rating", "remove my number"));
        assertNotEquals(meaning("globals@rating", "agent"), meaning("globals@rating", "wrong number"));
        assertNotEquals(meaning("callback_time", "tomorrow"), meaning("callback_time", "tomorrow morning"));
    }

    @Test
    void humanRecordingsAreVoicesThatSayOnlyTheirDigits(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        short[] three = TestAudio.tone(300, 440, -20);
        short[] threeAgain = TestAudio.tone(300, 660, -20);
        TestAudio.writeWav(three, dir.resolve("3_ann_0.wav"));
        TestAudio.writeWav(threeAgain, dir.resolve("3_ann_1.wav"));
        TestAudio.writeWav(TestAudio.tone(300, 880, -20), dir.resolve("0_bob_0.wav"));
        Files.writeString(dir.resolve("README.md"), "not a recording");

        Map<String, TestAudio.Voice> voices = HumanDigits.voices(dir, 2);
        assertEquals(java.util.List.of("fsdd-ann-0", "fsdd-ann-1", "fsdd-bob-0", "fsdd-bob-1"),
                java.util.List.copyOf(voices.keySet()));
        assertArrayEquals(three, voices.get("fsdd-ann-0").speak("three"));
        assertArrayEquals(threeAgain, voices.get("fsdd-ann-1").speak("three"));
        assertNull(voices.get("fsdd-ann-0").speak("zero"), "ann has no zero");
        assertNull(voices.get("fsdd-bob-1").speak("zero"), "bob has no second take");
        assertNull(voices.get("fsdd-ann-0").speak("four stars"), "not a digit word");
        assertNotNull(voices.get("fsdd-bob-0").speak("zero"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HumanDigits.voices(dir.resolve("recordings"), 1));
        assertTrue(e.getMessage().contains("recordings"), e.getMessage());
        Files.delete(dir.resolve("3_ann_0.wav"));
        Files.delete(dir.resolve("3_ann_1.wav"));
        Files.delete(dir.resolve("0_bob_0.wav"));
        e = assertThrows(IllegalArgumentException.class, () -> HumanDigits.voices(dir, 1));
        assertTrue(e.getMessage().contains("{digit}_{speaker}_{take}.wav"), e.getMessage());
    }

    @Test
    void humanRecordingsReplaceTheSyntheticVoicesUnlessTheseAreNamed() {
        UnderstandingBenchmark.Options o = UnderstandingBenchmark.Options.parse(new String[] {"--human", "/x"});
        assertEquals(Path.of("/x"), o.human());
        assertEquals(java.util.List.of(), o.voices());
        assertEquals(5, o.takes());
        o = UnderstandingBenchmark.Options.parse(new String[] {"--human", "/x", "--voices", "espeak-f3", "--takes",
                "2"});
        assertEquals(java.util.List.of("espeak-f3"), o.voices());
        assertEquals(2, o.takes());
        assertEquals(java.util.List.of("mary-slt", "espeak-f3"),
                UnderstandingBenchmark.Options.parse(new String[0]).voices());
        assertThrows(IllegalArgumentException.class,
                () -> UnderstandingBenchmark.Options.parse(new String[] {"--human", "/x", "--wideband"}));
        assertEquals("espeak-f3, fsdd (human) ann/bob: 2 takes each", BenchReport.voiceList(java.util.List.of(
                "espeak-f3", "fsdd-ann-0", "fsdd-ann-1", "fsdd-bob-0", "fsdd-bob-1")));
    }

    @Test
    void humanOutOfGrammarSpeechIsTheDigitsAStepDoesNotListenFor() {
        UnderstandingBenchmark.Options human = UnderstandingBenchmark.Options.parse(new String[] {"--human", "/x"});
        java.util.function.Function<String, java.util.List<String>> at = name -> UnderstandingBenchmark.oog(
                DIALOGS.get(UnderstandingBenchmark.task(name).dialog()), UnderstandingBenchmark.task(name), human);
        assertEquals(HumanDigits.WORDS, at.apply("yes_no"));
        assertEquals(java.util.List.of("zero", "six", "seven", "eight", "nine"), at.apply("rating_1_5"));
        assertEquals(java.util.List.of(), at.apply("one_digit"));
        java.util.List<String> sentences = new java.util.ArrayList<>(BenchUtterances.OOG);
        sentences.removeAll(java.util.List.of("hello", "what")); // repeat requests where the repeat global listens
        // requests to wait where the hold global listens
        sentences.removeAll(java.util.List.of("hold on a second", "let me check", "give me a minute"));
        sentences.remove("i don't know"); // the unsure global's phrase
        assertEquals(sentences, UnderstandingBenchmark.oog(DIALOGS.get("hotline"),
                UnderstandingBenchmark.task("hotline_intent"), UnderstandingBenchmark.Options.parse(new String[0])),
                "synthetic voices: sentences");
        java.util.List<String> atYesNo = new java.util.ArrayList<>(sentences);
        atYesNo.remove("maybe");
        assertEquals(atYesNo, UnderstandingBenchmark.oog(DIALOGS.get("satisfaction_survey"),
                UnderstandingBenchmark.task("yes_no"), UnderstandingBenchmark.Options.parse(new String[0])),
                "the yes/no grammar's unsure phrases are left out at a yes/no question");
    }

    @Test
    void shortRepliesAreAnOutOfGrammarSetThatNoStepListensFor() {
        UnderstandingBenchmark.Options shortSet = UnderstandingBenchmark.Options.parse(
                new String[] {"--oog-set", "short"});
        for (UnderstandingBenchmark.Task t : UnderstandingBenchmark.tasks()) {
            if (t.oog()) { // checks each reply against the step's phrases, globals included
                java.util.List<String> expected = new java.util.ArrayList<>(BenchUtterances.SHORT_OOG);
                expected.removeAll(java.util.List.of("huh", "excuse me")); // repeat requests at every such step
                expected.removeAll(java.util.List.of("hang on", "wait", "one moment")); // requests to wait
                expected.remove("not sure"); // the yes/no grammar's and the unsure global's phrase: asked again
                assertEquals(expected, UnderstandingBenchmark.oog(DIALOGS.get(t.dialog()), t, shortSet), t.name());
            }
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> UnderstandingBenchmark.Options.parse(new String[] {"--oog-set", "words"}));
        assertTrue(bad.getMessage().contains("--oog-set") && bad.getMessage().contains("words"), bad.getMessage());
        assertEquals(java.util.List.of("one", "two"), UnderstandingBenchmark.Options.parse(
                new String[] {"--other-answers", "one,two"}).otherAnswers());
        assertEquals(java.util.List.of(), UnderstandingBenchmark.Options.parse(
                new String[] {"--other-answers", "none"}).otherAnswers());
        assertEquals(SphinxSettings.DEFAULT_OTHER_ANSWERS, UnderstandingBenchmark.Options.parse(new String[0])
                .otherAnswers(), "the shipped list by default");
    }

    @Test
    void digitsAreScoredByAlignmentNotPosition() {
        assertEquals(6, DigitScore.hits("four one two three five six", "four one two three five six"));
        assertEquals(5, DigitScore.hits("four one two three five six", "one two three five six"), "first dropped");
        assertEquals(3, DigitScore.hits("one oh two", "one zero two"), "oh and zero are both 0");
        assertEquals(6, DigitScore.hits("four one two three five six", "four one two two three five six"),
                "an inserted digit takes no said digit away");
        assertEquals(2, DigitScore.hits("four one two", "four nine two"), "a substituted one does");
        assertEquals(0, DigitScore.hits("four one two", ""));
        assertEquals(2, DigitScore.hits("four one two", "four agent two"));
        assertTrue(DigitScore.isDigits("one oh two"));
        assertFalse(DigitScore.isDigits("one stars"));
    }
}
