package io.voicebot.speech.asr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the understanding benchmark's voices say besides each step's own phrases: the labelled extra sets. */
final class BenchUtterances {
    private BenchUtterances() {}

    /** Out-of-grammar speech: nothing a step or a global intent expects. */
    static final List<String> OOG = List.of("i had a question about my mortgage", "the weather is nice today",
            "hello", "what", "i don't know", "hold on a second", "my card was stolen last week", "maybe",
            "how much do i owe", "good morning", "thanks for calling", "let me check", "who is this",
            "i am driving right now", "can you send me an email", "my wife handles the bills",
            "i already talked to someone yesterday", "what time is it", "the kids are making noise",
            "sorry the line is bad", "is this a real person", "i need to find my glasses",
            "we just got back from vacation", "the internet is down again", "put it on my account",
            "i think there is a mistake", "how did you get this number", "give me a minute",
            "the dog is barking", "okay fine whatever", "what company is this", "i was in the shower");

    /**
     * Short replies that answer no step ({@code --oog-set short}): one or two words, which leave no speech over for
     * the unexplained-speech check. Chosen before they were first measured, to check out-of-grammar measures tuned
     * on {@link #OOG} (which has three such words: "hello", "what", "maybe") on words they were not tuned on.
     */
    static final List<String> SHORT_OOG = List.of("perhaps", "huh", "excuse me", "who", "why", "really", "hang on",
            "wait", "hi", "hey", "good", "fine", "nothing", "i guess", "not sure", "whatever", "well", "thanks",
            "i see", "go on", "please", "thank you", "one moment", "what is it");

    /**
     * The yes/no grammar's "unsure" phrases, said at the identity question ({@code kind} "unsure"): right when the run
     * asks again with the "unsure" message. Some are in the out-of-grammar sets, which skip them at yes/no steps.
     */
    static final List<String> UNSURE = List.of("not sure", "i'm not sure", "i don't know", "maybe",
            "i don't remember");

    /**
     * The unsure global's phrases ({@code grammars/unsure.yaml}: the yes/no ones but "maybe"), said at questions that
     * are not yes/no ({@code kind} "unsure"): right when the run asks again with the "unsure" message.
     */
    static final List<String> UNSURE_GLOBAL = List.of("not sure", "i'm not sure", "i don't know",
            "i don't remember");

    /**
     * Requests to wait ({@code kind} "hold"), said where a question's answers are short words they could be taken
     * for: right when the run says it will wait. Three of them ("hang on", "wait", "one moment") are short replies
     * of {@link #SHORT_OOG} and three ("hold on a second", "let me check", "give me a minute") sentences of
     * {@link #OOG}, which skip them wherever the hold global listens; the other two are new here.
     */
    static final List<String> HOLD = List.of("hang on", "wait", "one moment", "hold on a second", "let me check",
            "give me a minute", "just a second", "one second");

    /**
     * Answers in other words ({@code --wordy}): an answer wrapped in words the step does not list, by task, with the
     * phrase it means. Out-of-grammar speech too, strictly: counted apart, as right when the run does with it what
     * it does with the phrase.
     */
    static final Map<String, Map<String, String>> WORDY = Map.of(
            "yes_no", wordy("yes that's me", "yes", "uh yes", "yes", "yes i think so", "yes", "well no", "no",
                    "no not at all", "no", "yes it is", "yes", "yeah sure", "yes", "no sorry", "no"),
            "rating_1_5", wordy("three i guess", "three", "i'd say four", "four", "um five", "five",
                    "five out of five", "five", "maybe a four", "four", "two i think", "two"),
            "hotline_intent", wordy("i want to check my balance", "check my balance", "my balance please",
                    "balance", "i lost my card yesterday", "lost my card", "i'd like a loan", "a loan"),
            "payment_response", wordy("yes i already paid", "already paid", "i already paid it", "already paid"),
            "date_weekday", wordy("maybe on monday", "monday", "by friday", "friday", "let's say tuesday",
                    "tuesday"));

    private static Map<String, String> wordy(String... spokenMeant) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < spokenMeant.length; i += 2) {
            m.put(spokenMeant[i], spokenMeant[i + 1]);
        }
        return m;
    }

    /** The phrase {@code spoken} means at task {@code t}: itself, or for an answer in other words its phrase. */
    static String meant(UnderstandingBenchmark.Task t, String kind, String spoken) {
        return kind.equals("wordy") ? WORDY.get(t.name()).get(spoken) : spoken;
    }
}
