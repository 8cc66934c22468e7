package io.voicebot;

import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.KnowledgeLoader;
import io.voicebot.dialog.grammar.GrammarLibrary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server renders of the shipped dialogs before any call: whole fixed prompts and fixed sentences. */
class SpeechPartsTest {
    private static Map<String, Dialog> shipped() {
        Path home = Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath();
        DialogLoader loader = new DialogLoader(GrammarLibrary.load(home.resolve("grammars")),
                KnowledgeLoader.load(home.resolve("config/hotline-faq.yaml")));
        return loader.loadDir(home.resolve("config/dialogs"));
    }

    @Test
    void theSurveyGreetingIsRenderedAheadWithoutTheName() {
        Set<String> survey = SpeechParts.fixedSentences(shipped().get("satisfaction_survey"));
        assertTrue(survey.contains("Hello, this is an automated survey from Example Bank about your recent call "
                + "with our support team."), survey.toString());
        assertTrue(survey.contains("Please say yes or no."), survey.toString());
        assertTrue(survey.stream().noneMatch(s -> s.contains("${")), "nothing with a contact's detail: " + survey);
    }

    @Test
    void fixedPromptsStayWholeAndHintedSentencesWait() {
        Dialog reminder = shipped().get("payment_reminder");
        Set<String> fixed = SpeechParts.fixedSentences(reminder);
        assertTrue(fixed.containsAll(reminder.fixedPrompts()), "every whole fixed prompt is still rendered ahead");
        assertTrue(fixed.contains("Can you make this payment?"), fixed.toString());
        assertFalse(fixed.stream().anyMatch(s -> s.contains("dollars") || s.contains("due on")),
                "the amount's sentence needs the contact: " + fixed);
    }
}
