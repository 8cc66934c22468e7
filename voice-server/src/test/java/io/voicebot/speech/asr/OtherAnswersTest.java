package io.voicebot.speech.asr;

import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.Dialog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers to other questions: a digit said to a yes/no question or outside a one-to-five rating gets the step's
 * no-match reprompt, the turn log saying why; without the branch (prior 0) the same audio is taken as one of the
 * step's answers. Built-in dialogs brought to their step by a real {@link io.voicebot.dialog.DialogRun}, the step's
 * listen as the vocabulary exactly as CallSession builds it, espeak-ng audio over G.711 mu-law.
 */
class OtherAnswersTest {
    private static final Set<String> DICT = Set.of("zero", "oh", "one", "two", "three", "yes", "no", "stop",
            "calling", "me", "agent");
    private static final Vocabulary YES_NO = new Vocabulary(List.of("yes", "no", "stop calling me", "agent"),
            false, List.of("stop calling me", "agent"));
    private static SphinxRecognizer recognizer;
    private static SphinxRecognizer without;
    private static Map<String, Dialog> dialogs;
    private static EspeakAtSteps steps;

    @BeforeAll
    static void start() throws Exception {
        recognizer = new SphinxRecognizer(1, 8000, SphinxSettings.SHIPPED);
        without = new SphinxRecognizer(1, 8000, SphinxSettings.SHIPPED.withOtherAnswers(0, List.of()));
        steps = new EspeakAtSteps();
        dialogs = steps.dialogs();
    }

    @AfterAll
    static void stop() throws Exception {
        recognizer.close();
        without.close();
        steps.close();
    }

    @ParameterizedTest(name = "{0}: \"{1}\" is a no-match")
    @CsvSource({
            "yes_no, three", // taken as "repeat" without the branch
            "rating_1_5, zero", // taken as "three"
            "hotline_intent, yes", // taken as "balance"
            "hotline_intent, no", // taken as "loan"
            // taken as "wednesday"; "one" is only part of a global's phrase ("one more time"), and a branch without
            // it (as before session 17) took it as "wednesday" too
            "date_weekday, one",
    })
    void anotherQuestionsAnswerGetsTheNoMatchReprompt(String taskName, String spoken) throws Exception {
        UnderstandingBenchmark.Task t = UnderstandingBenchmark.task(taskName);
        Dialog d = dialogs.get(t.dialog());
        String taken = hear(without, d, t, spoken).text();
        RecognitionResult r = hear(recognizer, d, t, spoken);
        assertFalse(taken.isEmpty(), "without the branch it is taken as an answer");
        assertEquals("", r.text(), "rejected");
        assertEquals(OtherAnswers.REASON, r.rejection());
        OutOfGrammarTest.assertNoMatchReprompt(d, t, UnderstandingBenchmark.runAt(d, t), r, OtherAnswers.REASON);
    }

    @ParameterizedTest(name = "{0}: \"{1}\" is heard")
    @CsvSource({
            "yes_no, yes",
            "yes_no, no",
            "yes_no, correct",
            "rating_1_5, one",
            "rating_1_5, two",
            "rating_1_5, three",
            "rating_1_5, four",
            "rating_1_5, five",
            "one_digit, two",
            "one_digit, four",
            "one_digit, nine",
    })
    void theStepsOwnAnswersAreStillHeard(String taskName, String spoken) throws Exception {
        UnderstandingBenchmark.Task t = UnderstandingBenchmark.task(taskName);
        Dialog d = dialogs.get(t.dialog());
        RecognitionResult r = hear(recognizer, d, t, spoken);
        assertEquals(Probe.meaning(d, t, spoken, 0.9), Probe.meaning(d, t, r.text(), 0.9), "heard " + r.text());
    }

    @Test
    void theBranchIsTheListWithoutTheStepsWords() {
        OtherAnswers others = new OtherAnswers(0.001, List.of("zero", "oh", "one", "two", "yes", "no"), DICT);
        assertEquals(List.of("zero", "oh", "one", "two"), others.wordsFor(YES_NO));
        assertEquals("( /1/ ( yes | no ) | /" + SphinxGrammars.SECONDARY_PRIOR + "/ ( stop calling me | agent ) | "
                + "/0.001/ ( zero | oh | one | two ) )", SphinxGrammars.jsgfBody(YES_NO, null, others));
        Vocabulary digits = new Vocabulary(List.of("zero", "oh", "one", "two"), true);
        assertEquals("( /1/ ( zero | oh | one | two )+ | /0.001/ ( yes | no ) )",
                SphinxGrammars.jsgfBody(digits, null, others), "a sequence keeps its digits");
        Vocabulary repeat = new Vocabulary(List.of("yes", "no", "one more time", "no thanks"), false,
                List.of("one more time"));
        assertEquals(List.of("zero", "oh", "one", "two"), others.wordsFor(repeat),
                "a word only part of a longer phrase stays: 'one' alone is no answer where 'one more time' is");
        Vocabulary all = new Vocabulary(List.of("zero", "oh", "one", "two", "yes", "no"), false);
        assertEquals("( zero | oh | one | two | yes | no )", SphinxGrammars.jsgfBody(all, null, others),
                "nothing left: no branch");
    }

    @Test
    void onlyOneWordOfTheBranchAloneIsAnotherQuestionsAnswer() {
        OtherAnswers others = new OtherAnswers(0.001, List.of("zero", "one", "two", "yes", "no"), DICT);
        assertTrue(others.heard(YES_NO, List.of("two")));
        assertFalse(others.heard(YES_NO, List.of("yes")), "the step's own word");
        assertFalse(others.heard(YES_NO, List.of("stop", "calling", "me")));
        assertFalse(new OtherAnswers(0, List.of("two"), DICT).heard(YES_NO, List.of("two")), "prior 0: off");
        assertEquals("( /1/ ( yes | no ) | /" + SphinxGrammars.SECONDARY_PRIOR + "/ ( stop calling me | agent ) )",
                SphinxGrammars.jsgfBody(YES_NO, null, new OtherAnswers(0, List.of("two"), DICT)));
    }

    @Test
    void settingsAreCheckedNamingTheKey() {
        AsrException unknown = assertThrows(AsrException.class,
                () -> new OtherAnswers(0.001, List.of("one", "zzyzx"), DICT));
        assertTrue(unknown.getMessage().contains("speech.sphinx.other.answers")
                && unknown.getMessage().contains("zzyzx"), unknown.getMessage());
        AsrException prior = assertThrows(AsrException.class,
                () -> SphinxSettings.SHIPPED.withOtherAnswers(2, List.of("one")));
        assertTrue(prior.getMessage().contains("speech.sphinx.other.prior"), prior.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> VoicebotConfig.defaults(Path.of(".."),
                Map.of("speech.sphinx.other.answers", "one, Two Three")));
        assertTrue(bad.getMessage().contains("speech.sphinx.other.answers"), bad.getMessage());
        VoicebotConfig.Speech shipped = VoicebotConfig.defaults(Path.of(".."), Map.of()).speech();
        assertEquals(SphinxSettings.DEFAULT_OTHER_PRIOR, shipped.sphinxOtherPrior(), "config/voicebot.properties");
        assertEquals(SphinxSettings.DEFAULT_OTHER_ANSWERS, shipped.sphinxOtherAnswers());
        assertEquals(List.of(), VoicebotConfig.defaults(Path.of(".."), Map.of("speech.sphinx.other.answers", ""))
                .speech().sphinxOtherAnswers(), "empty: no words");
    }

    private static RecognitionResult hear(SphinxRecognizer rec, Dialog d, UnderstandingBenchmark.Task t,
                                          String spoken) throws Exception {
        return steps.hear(rec, d, t, spoken);
    }
}
