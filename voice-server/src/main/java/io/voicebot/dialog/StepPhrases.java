package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The phrases each ask step of a {@link Dialog} listens for: its answers, the knowledge and global phrases merged
 * in, the read-back and callback questions' phrases, and how long a digit sequence is. Computed once when the
 * dialog loads, not on every turn of every call.
 */
final class StepPhrases {

    /** What a caller may still say while asked when to call back. */
    static final Set<GlobalIntent> DURING_CALLBACK_QUESTION = EnumSet.of(GlobalIntent.OPT_OUT,
            GlobalIntent.WRONG_PERSON, GlobalIntent.AGENT, GlobalIntent.REPEAT);

    private final Map<String, Step> steps;
    private final Map<String, Grammar> stepGrammars;
    private final Map<GlobalIntent, Grammar> globalGrammars;
    private final Grammar yesNo;
    private final Set<String> yesNoPhrases;
    private final List<String> callbackPhrases;
    private final Map<String, Set<String>> answerPhrases = new HashMap<>();
    private final Map<String, List<String>> listenPhrases = new HashMap<>();
    private final Map<String, List<String>> confirmPhrases = new HashMap<>();
    /** Per ask step: the global phrases among its listen phrases (not also an answer of the step). */
    private final Map<String, List<String>> globalPhrases = new HashMap<>();

    StepPhrases(Map<String, Step> steps, Map<String, Grammar> stepGrammars, Map<GlobalIntent, Grammar> globalGrammars,
                Grammar yesNo, Knowledge knowledge, Map<SlotType, Grammar> slotWords, Grammar callbackWords) {
        this.steps = steps;
        this.stepGrammars = stepGrammars;
        this.globalGrammars = globalGrammars;
        this.yesNo = yesNo;
        this.yesNoPhrases = Set.copyOf(yesNo.phrases());
        this.callbackPhrases = callbackWords == null ? List.of() : callbackWords.phrases();
        for (Step s : steps.values()) {
            if (s instanceof Step.Ask ask) {
                Grammar g = stepGrammars.get(ask.id());
                LinkedHashSet<String> listen = new LinkedHashSet<>();
                if (g != null) {
                    answerPhrases.put(ask.id(), Set.copyOf(g.phrases()));
                    listen.addAll(g.phrases());
                    if (singleDigit(ask)) {
                        listen.remove("oh"); // "oh" is zero only inside a sequence ("four oh one")
                    }
                }
                if (g == null && slotWords.containsKey(ask.slot())) {
                    listen.addAll(slotWords.get(ask.slot()).phrases());
                }
                if (ask.faq()) {
                    listen.addAll(knowledge.phrases());
                }
                LinkedHashSet<String> confirm = new LinkedHashSet<>(yesNo.phrases());
                ask.globals().stream().sorted().forEach(gi -> {
                    listen.addAll(globalGrammars.get(gi).phrases());
                    confirm.addAll(globalGrammars.get(gi).phrases());
                });
                if (ask.secret()) {
                    listen.retainAll(confirm); // a secret is typed: the recognizer listens for global intents only
                }
                listenPhrases.put(ask.id(), List.copyOf(listen));
                confirmPhrases.put(ask.id(), List.copyOf(confirm));
                LinkedHashSet<String> global = new LinkedHashSet<>();
                ask.globals().stream().sorted().forEach(gi -> global.addAll(globalGrammars.get(gi).phrases()));
                if (g != null) {
                    global.removeAll(g.phrases()); // "agent" at the hotline's menu is an answer, not a global
                }
                globalPhrases.put(ask.id(), List.copyOf(global));
            }
        }
    }

    /** The phrase lists step {@code stepId} listens with; empty for a step that does not listen. */
    Set<PhraseList> vocabularies(String stepId) {
        Set<PhraseList> all = new LinkedHashSet<>();
        if (steps.get(stepId) instanceof Step.Ask ask) {
            all.add(new PhraseList(listen(ask.id()), sequence(ask.id()), globals(ask.id()),
                    minLength(ask.id()), maxLength(ask.id())));
            all.add(new PhraseList(confirm(ask.id()), false, confirmGlobals(ask.id())));
            if (ask.globals().stream().anyMatch(GlobalPolicy.DESTRUCTIVE::contains)) {
                all.add(new PhraseList(yesNo.phrases(), false)); // "Just to be sure: ...?"
            }
            if (ask.globals().contains(GlobalIntent.CALLBACK)) {
                all.add(new PhraseList(callback(ask), false, callbackGlobals(ask)));
            }
        }
        return all;
    }

    /** Normalized phrases of an ask step's grammar: an utterance equal to one is an exact answer. */
    Set<String> answers(String stepId) {
        return answerPhrases.getOrDefault(stepId, Set.of());
    }

    /** What a listen at this ask step biases the recognizer to: answers, knowledge phrases, global phrases. */
    List<String> listen(String stepId) {
        return listenPhrases.get(stepId);
    }

    /** The global phrases among {@link #listen}. */
    List<String> globals(String stepId) {
        return globalPhrases.get(stepId);
    }

    /** Yes/no and the step's global phrases, for confirming an answer. */
    List<String> confirm(String stepId) {
        return confirmPhrases.get(stepId);
    }

    /** The global phrases among {@link #confirm}: all but yes/no. */
    List<String> confirmGlobals(String stepId) {
        List<String> out = new ArrayList<>(confirmPhrases.get(stepId));
        out.removeAll(yesNo.phrases());
        return List.copyOf(out);
    }

    /** Callback-time words ("tomorrow at three") plus the global phrases still allowed while asking for a time. */
    List<String> callback(Step.Ask ask) {
        LinkedHashSet<String> phrases = new LinkedHashSet<>(callbackPhrases);
        ask.globals().stream().filter(DURING_CALLBACK_QUESTION::contains).sorted()
                .forEach(gi -> phrases.addAll(globalGrammars.get(gi).phrases()));
        return List.copyOf(phrases);
    }

    /** The global phrases among {@link #callback}. */
    List<String> callbackGlobals(Step.Ask ask) {
        List<String> out = new ArrayList<>(callback(ask));
        out.removeAll(callbackPhrases);
        return List.copyOf(out);
    }

    Set<String> yesNo() {
        return yesNoPhrases;
    }

    /** What each of {@code phrases} means, exactly ({@link PhraseMeanings}), with {@code answers} the step's own. */
    Map<String, String> meanings(List<String> phrases, Grammar answers) {
        return PhraseMeanings.of(phrases, answers, globalGrammars);
    }

    /** Whether the answer at this ask step may be several phrases in a row: a digits grammar, not for one digit. */
    boolean sequence(String stepId) {
        Grammar g = stepGrammars.get(stepId);
        return g != null && g.repeat() && !singleDigit((Step.Ask) steps.get(stepId));
    }

    /** The fewest phrases a sequence answer at this step has (the digits step's min), 0 for no bound. */
    int minLength(String stepId) {
        Step.Ask ask = (Step.Ask) steps.get(stepId);
        return countsDigits(stepId) && ask.min() != null ? ask.min().intValue() : 0;
    }

    /** The most phrases a sequence answer at this step has (the digits step's max), 0 for no bound. */
    int maxLength(String stepId) {
        Step.Ask ask = (Step.Ask) steps.get(stepId);
        return countsDigits(stepId) && ask.max() != null ? ask.max().intValue() : 0;
    }

    /**
     * Whether the length of a sequence at this step is its number of digits: a digits step whose grammar is a
     * sequence where every phrase stands for one digit. A phrase for two ("double five") would make the counts
     * differ, so such a grammar gets no bound.
     */
    private boolean countsDigits(String stepId) {
        Grammar g = stepGrammars.get(stepId);
        return sequence(stepId) && ((Step.Ask) steps.get(stepId)).slot() == SlotType.DIGITS
                && g.intents().keySet().stream().allMatch(i -> i.length() == 1);
    }

    /** A digits step whose answer is at most one digit long (max: 1). */
    private static boolean singleDigit(Step.Ask ask) {
        return ask.slot() == SlotType.DIGITS && ask.max() != null && ask.max() <= 1;
    }
}
