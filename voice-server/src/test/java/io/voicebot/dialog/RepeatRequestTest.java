package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * "What?", "huh?", "hello?" and "excuse me?" alone ask for the question again; inside longer words they are no
 * request ("what time do you open" is a hotline question, "what I liked ..." a free-text answer).
 */
class RepeatRequestTest {

    @ParameterizedTest
    @ValueSource(strings = {"what", "What?", "huh", "hello", "excuse me"})
    void aloneTheyRepeatTheQuestionWithoutCountingAFailure(String said) {
        DialogRun run = run(builtIn("satisfaction_survey"));
        List<Action> a = run.start(Map.of("name", "John Smith"));
        String identity = templates(a).get(0);
        for (int i = 0; i < 4; i++) { // more than max_failures (3): a repeat is no failure
            a = run.onInput(say(said, 0.99));
            assertEquals(List.of(identity), templates(a), said);
            assertEquals("identity", listensAt(a));
        }
        assertEquals("repeat", run.turns().get(run.turns().size() - 1).intent());
        run.onInput(say("yes"));
        assertEquals("yes", run.answers().get("identity_confirmed"));
    }

    @Test
    void insideLongerWordsTheyAreNoRequest() {
        Grammar repeat = grammars().get("repeat_request");
        assertEquals("repeat", repeat.intentOf("what").orElseThrow());
        assertEquals("repeat", repeat.intentOf("sorry what").orElseThrow(), "a longer phrase still counts inside");
        assertTrue(repeat.intentOf("what time do you open").isEmpty());
        assertTrue(repeat.intentOf("hello i would like my balance").isEmpty());

        DialogRun hotline = run(builtIn("hotline"));
        hotline.start(Map.of());
        List<Action> a = hotline.onInput(say("what is the interest"));
        assertEquals("faq:interest_rate", hotline.turns().get(hotline.turns().size() - 1).intent(), "" + a);

        Dialog d = loader().parse("feedback.yaml", """
                name: feedback
                steps:
                  - id: liked
                    ask: "What did you like about our service?"
                    slot: free_text
                    key: liked
                    next: done
                  - id: done
                    hangup: completed
                """);
        DialogRun run = run(d);
        run.start(Map.of());
        a = run.onInput(say("hello"));
        assertEquals(List.of("What did you like about our service?"), templates(a));
        run.onInput(say("what i liked was the staff"));
        assertEquals("what i liked was the staff", run.answers().get("liked"));
    }

    @Test
    void aloneNamesPhrasesOfTheGrammar() {
        List<String> errors = new ArrayList<>();
        assertNull(GrammarLibrary.parse("grammars/r.yaml", """
                name: r
                intents:
                  repeat: [repeat, what]
                alone: [what, huh]
                """, errors));
        assertEquals(List.of("grammars/r.yaml: alone: 'huh' is not a phrase of any intent"), errors);
        errors.clear();
        assertNull(GrammarLibrary.parse("grammars/r.yaml", "name: r\nintents: {repeat: [what]}\nalone: what\n",
                errors));
        assertEquals(List.of("grammars/r.yaml: alone: must be a list of phrases"), errors);
    }
}
