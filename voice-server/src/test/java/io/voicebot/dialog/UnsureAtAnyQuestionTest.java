package io.voicebot.dialog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.voicebot.dialog.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * "I don't know" at a rating, a digit or a date question is no answer either: the unsure global asks again with the
 * "unsure" message, as the yes/no grammar does, and is never taken as the number or day it sounds like. At a
 * free-text question it is the answer.
 */
class UnsureAtAnyQuestionTest {
    private static final String UNSURE = Dialog.DEFAULT_MESSAGES.get("unsure");

    @ParameterizedTest
    @ValueSource(strings = {"not sure", "i'm not sure", "I don't know.", "i don't remember", "well i'm not sure"})
    void atTheRatingItAsksAgainAndCountsAFailure(String said) {
        DialogRun run = run(builtIn("satisfaction_survey"));
        run.start(Map.of("name", "John Smith"));
        run.onInput(say("yes"));
        run.onInput(say("yes"));
        Step.Ask rating = (Step.Ask) builtIn("satisfaction_survey").step("rating");
        List<Action> a = run.onInput(say(said, 0.99));
        assertEquals(List.of(UNSURE, rating.noMatch().get(0)), templates(a), said);
        assertEquals("rating", listensAt(a));
        assertTrue(one(a, Action.Listen.class).secondary().contains("i don't know"), "a global phrase there");
        Turn t = run.turns().get(run.turns().size() - 1);
        assertEquals("unsure", t.intent());
        assertEquals("not sure; asking again", t.note());
        assertFalse(run.answers().containsKey("rating"));

        run.onInput(say("i don't know"));
        a = run.onInput(say("not sure"));
        assertEquals(Outcome.PARTIAL, hangupOutcome(a), "three at one question end it as unanswered questions do");
    }

    @Test
    void atThePromiseDateAndTheHotlineItIsNoAnswer() {
        DialogRun run = reminderAtPayment(Map.of("name", "John Smith", "amount", "120.50", "due_date", "2026-02-20"));
        run.onInput(say("i will pay"));
        List<Action> a = run.onInput(say("i don't know", 0.99));
        assertEquals(UNSURE, templates(a).get(0));
        assertEquals("promise_date", listensAt(a));
        run.onInput(say("tomorrow", 0.99));
        assertEquals("2026-03-03", run.answers().get("promise_date"));

        DialogRun hotline = run(builtIn("hotline"));
        hotline.start(Map.of());
        a = hotline.onInput(say("not sure"));
        assertEquals(UNSURE, templates(a).get(0));
        assertEquals("main", listensAt(a));
    }

    @Test
    void atAFreeTextQuestionItIsTheAnswerUnlessTheStepListsIt() {
        Dialog d = loader().parse("feedback.yaml", """
                name: feedback
                steps:
                  - id: liked
                    ask: "What did you like about our service?"
                    slot: free_text
                    key: liked
                    next: improve
                  - id: improve
                    ask: "What should we improve?"
                    slot: free_text
                    key: improve
                    globals: [unsure, repeat]
                    next: done
                  - id: done
                    hangup: completed
                """);
        DialogRun run = run(d);
        run.start(Map.of());
        List<Action> a = run.onInput(say("i don't know"));
        assertEquals("i don't know", run.answers().get("liked"));
        assertEquals("improve", listensAt(a));
        a = run.onInput(say("i don't know"));
        assertEquals(UNSURE, templates(a).get(0), "listed by the step: asked again");
        assertFalse(run.answers().containsKey("improve"));
    }
}
