package io.voicebot.speech.tts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SentencesTest {
    @Test
    void splitsAfterSentenceEndsBeforeACapitalOrDigit() {
        assertEquals(List.of("Hello, this is Example Bank.", "Am I speaking with Philippa?"),
                Sentences.split("Hello, this is Example Bank. Am I speaking with Philippa?"));
        assertEquals(List.of("Please say yes or no.", "Was your issue resolved?"),
                Sentences.split("Please say yes or no. Was your issue resolved?"));
        assertEquals(List.of("Thank you!", "Goodbye."), Sentences.split("Thank you! Goodbye."));
        assertEquals(List.of("Your balance is due.", "2 payments are late."),
                Sentences.split("Your balance is due. 2 payments are late."));
    }

    @Test
    void titlesInitialsAndDecimalsDoNotEndASentence() {
        assertEquals(List.of("Am I speaking with Philippa J. Quennell?"),
                Sentences.split("Am I speaking with Philippa J. Quennell?"));
        assertEquals(List.of("Hello Mr. Smith, this is Dr. Jones."),
                Sentences.split("Hello Mr. Smith, this is Dr. Jones."));
        assertEquals(List.of("You owe 12.50 dollars. thank you"), Sentences.split("You owe 12.50 dollars. thank you"));
        assertEquals(List.of("One sentence without an end"), Sentences.split("One sentence without an end"));
    }

    @Test
    void joinsAudioEndToEnd() {
        assertArrayEquals(new short[] {1, 2, 3, 4, 5}, Sentences.join(List.of(new short[] {1, 2}, new short[] {},
                new short[] {3, 4, 5})));
    }
}
