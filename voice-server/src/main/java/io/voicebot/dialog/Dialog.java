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
    private final StepPhrases phrases;
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
        this.phrases = new StepPhrases(this.steps, this.stepGrammars, this.globalGrammars, yesNo, knowledge,
                slotWords, callbackWords);
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

    /** The phrases each ask step listens for. */
    StepPhrases phrases() {
        return phrases;
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

    /**
     * Every phrase list this dialog will listen with (answers, read-back confirmations, callback times), so a
     * recognizer can get ready for each in advance.
     */
    public Set<PhraseList> vocabularies() {
        Set<PhraseList> all = new LinkedHashSet<>();
        for (String id : steps.keySet()) {
            all.addAll(phrases.vocabularies(id));
        }
        return all;
    }

    /** The phrase lists step {@code stepId} listens with; empty for a step that does not listen. */
    public Set<PhraseList> vocabularies(String stepId) {
        return phrases.vocabularies(stepId);
    }

    /** The yes/no grammar (keys 1 and 2), for the call layer's own questions (a callback offer). */
    public Grammar yesNoGrammar() {
        return yesNo;
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
        m.put("unsure", "No problem, take your time.");
        m.put("hold", "Sure, I will wait. Take your time.");
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
