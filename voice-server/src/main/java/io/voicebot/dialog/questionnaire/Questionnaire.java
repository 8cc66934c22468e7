package io.voicebot.dialog.questionnaire;

import java.util.List;

/**
 * An operator's questionnaire before it is compiled into a dialog. {@code identityCheck} is the identity
 * question ("Am I speaking with ${name}?") or null for none.
 */
public record Questionnaire(String name, String greeting, String identityCheck, List<Question> questions,
                            String closing) {

    public enum Type { YES_NO, RATING, NUMBER, CHOICE, DATE, FREE_TEXT }

    /** {@code min}/{@code max} are null when not given; {@code choices} empty unless CHOICE. */
    public record Question(String key, String text, Type type, List<String> choices, Integer min, Integer max,
                           boolean required) {
        public Question {
            choices = List.copyOf(choices);
        }
    }

    public Questionnaire {
        questions = List.copyOf(questions);
    }
}
