package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled, validated dialog script: immutable and shared by all calls that use it. Built only by
 * {@link DialogLoader}; start a call with {@link #newRun(Clock, ZoneId)}.
 */
public final class Dialog {

    /** Built-in prompts; a script's {@code messages} replace any of them. */
    public static final Map<String, String> DEFAULT_MESSAGES = defaultMessages();

    /** Values used where a step does not say otherwise. */
    public record Defaults(int maxFailures, double confirmBelow, long noInputTimeoutMs, Set<GlobalIntent> globals) {
        public static final Defaults STANDARD = new Defaults(3, 0.5, 5000, Set.of(GlobalIntent.values()));

        public Defaults {
            globals = Set.copyOf(globals);
        }
    }

    private final String name;
    private final String source;
    private final String description;
    private final String start;
    private final String agentQueue;
    private final Map<String, String> vars;
    private final List<String> contactFields;
    private final Map<String, String> messages;
    private final Map<String, String> messageOverrides;
    private final Defaults defaults;
    private final Map<String, Step> steps;
    private final Map<String, Grammar> stepGrammars;
    private final Map<GlobalIntent, Grammar> globalGrammars;
    private final Grammar yesNo;
    private final Knowledge knowledge;
    private final List<String> warnings;
    /** Precomputed per ask step: phrases normalized once, not on every turn of every call. */
    private final Map<String, Set<String>> answerPhrases = new java.util.HashMap<>();
    private final Map<String, List<String>> listenPhrases = new java.util.HashMap<>();
    private final List<String> callbackPhrases;
    private final Map<String, List<String>> confirmPhrases = new java.util.HashMap<>();
    /** Per ask step: the global phrases among its listen phrases (not also an answer of the step). */
    private final Map<String, List<String>> globalPhrases = new java.util.HashMap<>();
    private final Set<String> yesNoPhrases;
    private final boolean recorded;
    private final Map<GlobalIntent, GlobalPolicy> globalPolicies;

    Dialog(String name, String source, String description, String start, String agentQueue,
           Map<String, String> vars, List<String> contactFields, Map<String, String> messageOverrides,
           Defaults defaults, Map<String, Step> steps, Map<String, Grammar> stepGrammars,
           Map<GlobalIntent, Grammar> globalGrammars, Grammar yesNo, Knowledge knowledge, List<String> warnings,
           Map<SlotType, Grammar> slotWords, Grammar callbackWords, Map<GlobalIntent, GlobalPolicy> globalPolicies,
           boolean recorded) {
        this.recorded = recorded;
        Map<GlobalIntent, GlobalPolicy> gp = new java.util.EnumMap<>(GlobalIntent.class);
        gp.putAll(globalPolicies);
        this.globalPolicies = Collections.unmodifiableMap(gp);
        this.name = name;
        this.source = source;
        this.description = description;
        this.start = start;
        this.agentQueue = agentQueue;
        this.vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        this.contactFields = List.copyOf(contactFields);
        this.messageOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(messageOverrides));
        Map<String, String> m = new LinkedHashMap<>(DEFAULT_MESSAGES);
        m.putAll(messageOverrides);
        this.messages = Collections.unmodifiableMap(m);
        this.defaults = defaults;
        this.steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        this.stepGrammars = Map.copyOf(stepGrammars);
        this.globalGrammars = Map.copyOf(globalGrammars);
        this.yesNo = yesNo;
        this.knowledge = knowledge;
        this.warnings = List.copyOf(warnings);
        this.callbackPhrases = callbackWords == null ? List.of() : callbackWords.phrases();
        this.yesNoPhrases = Set.copyOf(yesNo.phrases());
        for (Step s : this.steps.values()) {
            if (s instanceof Step.Ask ask) {
                Grammar g = stepGrammars.get(ask.id());
                java.util.LinkedHashSet<String> listen = new java.util.LinkedHashSet<>();
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
                java.util.LinkedHashSet<String> confirm = new java.util.LinkedHashSet<>(yesNo.phrases());
                ask.globals().stream().sorted().forEach(gi -> {
                    listen.addAll(globalGrammars.get(gi).phrases());
                    confirm.addAll(globalGrammars.get(gi).phrases());
                });
                if (ask.secret()) {
                    listen.retainAll(confirm); // a secret is typed: the recognizer listens for global intents only
                }
                listenPhrases.put(ask.id(), List.copyOf(listen));
                confirmPhrases.put(ask.id(), List.copyOf(confirm));
                java.util.LinkedHashSet<String> global = new java.util.LinkedHashSet<>();
                ask.globals().stream().sorted().forEach(gi -> global.addAll(globalGrammars.get(gi).phrases()));
                if (g != null) {
                    global.removeAll(g.phrases()); // "agent" at the hotline's menu is an answer, not a global
                }
                globalPhrases.put(ask.id(), List.copyOf(global));
            }
        }
    }

    /** A new run for one call; {@code clock} and {@code zone} place "tomorrow at three" in the caller's time. */
    public DialogRun newRun(Clock clock, ZoneId zone) {
        return new DialogRun(this, clock, zone);
    }

    public String name() {
        return name;
    }

    /** The script says {@code record: true} and its disclosure tells the caller: calls of it are recorded. */
    public boolean recorded() {
        return recorded;
    }

    /** Where the script came from (file name or upload name). */
    public String source() {
        return source;
    }

    public String description() {
        return description;
    }

    public String start() {
        return start;
    }

    /** Queue for agent requests; empty means the server's transfer.default.queue. */
    public String agentQueue() {
        return agentQueue;
    }

    /** Default variables; contact variables given to {@link DialogRun#start} override them. */
    public Map<String, String> vars() {
        return vars;
    }

    /** Contact fields the script expects (empty when it does not declare them). */
    public List<String> contactFields() {
        return contactFields;
    }

    /**
     * The contact fields every contact of a list for this dialog must bring: the declared ones that have no
     * default in {@link #vars()} ("name" and "phone" are the contact's own columns).
     */
    public Set<String> requiredContactFields() {
        Set<String> out = new LinkedHashSet<>(contactFields);
        out.removeAll(vars.keySet());
        return Collections.unmodifiableSet(out);
    }

    /** All prompts used by the engine itself, after the script's overrides. */
    public Map<String, String> messages() {
        return messages;
    }

    /** Only the messages the script changed. */
    public Map<String, String> messageOverrides() {
        return messageOverrides;
    }

    public Defaults defaults() {
        return defaults;
    }

    /** Steps in script order. */
    public Map<String, Step> steps() {
        return steps;
    }

    public Step step(String id) {
        return steps.get(id);
    }

    /** Problems that do not stop the dialog from running (unreachable steps). */
    public List<String> warnings() {
        return warnings;
    }

    public Knowledge knowledge() {
        return knowledge;
    }

    /** The grammar an ask step checks answers against, or null for free-form slots (date, amount, text). */
    public Grammar grammarOf(String stepId) {
        return stepGrammars.get(stepId);
    }

    /** Normalized phrases of an ask step's grammar: an utterance equal to one is an exact answer. */
    Set<String> answerPhrases(String stepId) {
        return answerPhrases.getOrDefault(stepId, Set.of());
    }

    /** What a listen at this ask step biases the recognizer to: answers, knowledge phrases, global phrases. */
    /** Words of callback times ("tomorrow at three") the recognizer listens for when asking when to call back. */
    List<String> callbackPhrases() {
        return callbackPhrases;
    }

    /**
     * Prompts whose words are known when the dialog loads (no contact variables), filled in: what a synthesizer
     * can render ahead of the first call.
     */
    public java.util.Set<String> fixedPrompts() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String tmpl : promptTemplates()) {
            if (!Template.hasFormatHints(tmpl) && vars.keySet().containsAll(Template.variables(tmpl))) {
                out.add(Template.fill(tmpl, vars));
            }
        }
        return out;
    }

    /** Every prompt template of the dialog (messages, steps' prompts, re-prompts, parting words), non-blank. */
    public java.util.List<String> promptTemplates() {
        java.util.List<String> templates = new java.util.ArrayList<>(messages.values());
        for (Step s : steps.values()) {
            if (s instanceof Step.Say say) {
                templates.add(say.text());
            } else if (s instanceof Step.Ask ask) {
                templates.add(ask.prompt());
                templates.addAll(ask.noInput());
                templates.addAll(ask.noMatch());
            } else if (s instanceof Step.Transfer tr) {
                templates.add(tr.say());
            } else if (s instanceof Step.Hangup h) {
                templates.add(h.say());
            }
        }
        templates.removeIf(t -> t == null || t.isBlank());
        return templates;
    }

    /** What a caller may still say while asked when to call back. */
    static final Set<GlobalIntent> DURING_CALLBACK_QUESTION = java.util.EnumSet.of(GlobalIntent.OPT_OUT,
            GlobalIntent.WRONG_PERSON, GlobalIntent.AGENT, GlobalIntent.REPEAT);

    /**
     * Phrases one listen biases the recognizer to; {@code repeat}: several may follow in one utterance;
     * {@code secondary}: the global phrases among them (see {@link Action.Listen#secondary()});
     * {@code minLength}/{@code maxLength}: phrases in a {@code repeat} answer, 0 for no bound.
     */
    public record PhraseList(List<String> phrases, boolean repeat, List<String> secondary, int minLength,
                             int maxLength) {
        public PhraseList {
            phrases = List.copyOf(phrases);
            secondary = List.copyOf(secondary);
        }

        public PhraseList(List<String> phrases, boolean repeat, List<String> secondary) {
            this(phrases, repeat, secondary, 0, 0);
        }

        public PhraseList(List<String> phrases, boolean repeat) {
            this(phrases, repeat, List.of());
        }
    }

    /**
     * Every phrase list this dialog will listen with (answers, read-back confirmations, callback times), so a
     * recognizer can get ready for each in advance.
     */
    public java.util.Set<PhraseList> vocabularies() {
        java.util.Set<PhraseList> all = new java.util.LinkedHashSet<>();
        for (String id : steps.keySet()) {
            all.addAll(vocabularies(id));
        }
        return all;
    }

    /** The phrase lists step {@code stepId} listens with; empty for a step that does not listen. */
    public java.util.Set<PhraseList> vocabularies(String stepId) {
        java.util.Set<PhraseList> all = new java.util.LinkedHashSet<>();
        if (steps.get(stepId) instanceof Step.Ask ask) {
            all.add(new PhraseList(listenPhrases.get(ask.id()), sequence(ask.id()), globalPhrases.get(ask.id()),
                    minLength(ask.id()), maxLength(ask.id())));
            all.add(new PhraseList(confirmPhrases.get(ask.id()), false, confirmGlobalPhrases(ask.id())));
            if (ask.globals().stream().anyMatch(GlobalPolicy.DESTRUCTIVE::contains)) {
                all.add(new PhraseList(yesNo.phrases(), false)); // "Just to be sure: ...?"
            }
            if (ask.globals().contains(GlobalIntent.CALLBACK)) {
                all.add(new PhraseList(callbackListenPhrases(ask), false, callbackGlobalPhrases(ask)));
            }
        }
        return all;
    }

    /** Callback-time words plus the global phrases still allowed while asking for a time. */
    List<String> callbackListenPhrases(Step.Ask ask) {
        java.util.LinkedHashSet<String> phrases = new java.util.LinkedHashSet<>(callbackPhrases);
        ask.globals().stream().filter(DURING_CALLBACK_QUESTION::contains).sorted()
                .forEach(gi -> phrases.addAll(globalGrammars.get(gi).phrases()));
        return List.copyOf(phrases);
    }

    /** A digits step whose answer is at most one digit long (max: 1). */
    static boolean singleDigit(Step.Ask ask) {
        return ask.slot() == SlotType.DIGITS && ask.max() != null && ask.max() <= 1;
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

    /** The global phrases among {@link #listenPhrases}. */
    List<String> globalPhrases(String stepId) {
        return globalPhrases.get(stepId);
    }

    /** The global phrases among {@link #confirmPhrases}: all but yes/no. */
    List<String> confirmGlobalPhrases(String stepId) {
        List<String> out = new java.util.ArrayList<>(confirmPhrases.get(stepId));
        out.removeAll(yesNo.phrases());
        return List.copyOf(out);
    }

    /** The global phrases among {@link #callbackListenPhrases}. */
    List<String> callbackGlobalPhrases(Step.Ask ask) {
        List<String> out = new java.util.ArrayList<>(callbackListenPhrases(ask));
        out.removeAll(callbackPhrases);
        return List.copyOf(out);
    }

    List<String> listenPhrases(String stepId) {
        return listenPhrases.get(stepId);
    }

    /** Yes/no and the step's global phrases, for confirming an answer. */
    List<String> confirmPhrases(String stepId) {
        return confirmPhrases.get(stepId);
    }

    /** The yes/no grammar (keys 1 and 2), for the call layer's own questions (a callback offer). */
    public Grammar yesNoGrammar() {
        return yesNo;
    }

    Set<String> yesNoPhrases() {
        return yesNoPhrases;
    }

    /** What each of {@code phrases} means, exactly ({@link PhraseMeanings}), with {@code answers} the step's own. */
    Map<String, String> meanings(List<String> phrases, Grammar answers) {
        return PhraseMeanings.of(phrases, answers, globalGrammars);
    }

    Grammar globalGrammar(GlobalIntent g) {
        return globalGrammars.get(g);
    }

    /** When each destructive global intent is confirmed before it acts (script key confirm_globals). */
    public Map<GlobalIntent, GlobalPolicy> globalPolicies() {
        return globalPolicies;
    }

    GlobalPolicy globalPolicy(GlobalIntent g) {
        return globalPolicies.getOrDefault(g, GlobalPolicy.STANDARD_POLICY);
    }

    Grammar yesNo() {
        return yesNo;
    }

    private static Map<String, String> defaultMessages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("no_input", "Sorry, I did not hear you.");
        m.put("no_match", "Sorry, I did not understand.");
        m.put("confirm", "I heard ${heard}. Is that right?");
        m.put("give_up", "Sorry, I could not understand you. We will try again another time. Goodbye.");
        m.put("opt_out", "Understood. We will not call you again. Goodbye.");
        m.put("wrong_person", "Sorry for the trouble. Goodbye.");
        m.put("transfer", "Please hold while I connect you with an agent.");
        m.put("confirm_opt_out", "Just to be sure: you want us to stop calling this number?");
        m.put("confirm_wrong_person", "Just to be sure: we have reached the wrong person?");
        m.put("confirm_agent", "Just to be sure: you want to speak with an agent?");
        m.put("confirm_global_no", "All right.");
        m.put("callback_ask", "When would be a good time to call you back?");
        m.put("callback_retry", "Sorry, I did not catch the time. You can say, for example, tomorrow at three,"
                + " or in two hours.");
        m.put("callback_done", "Thank you. We will call you back ${callback_time}. Goodbye.");
        m.put("callback_unknown", "Thank you. We will call you back another time. Goodbye.");
        return Collections.unmodifiableMap(m);
    }
}
