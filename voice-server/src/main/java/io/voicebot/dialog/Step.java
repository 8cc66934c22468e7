package io.voicebot.dialog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a dialog script, exactly as written (so a dialog can be written back as YAML). Every step may
 * {@code set} variables (templates) when it is entered. A null "next" ends nowhere: the loader rejects it.
 */
public sealed interface Step {
    String id();

    Map<String, String> set();

    /** Speak; a {@code nonInterruptible} prompt (disclosure) is waited for until played in full. */
    record Say(String id, Map<String, String> set, String text, boolean bargeIn, boolean nonInterruptible,
               String next) implements Step {
        public Say {
            set = Map.copyOf(set);
        }
    }

    /**
     * Ask and store one answer under {@code key} (may be null: menus). {@code grammar} names a grammar file,
     * {@code choices} are inline choices (value -> phrases); {@code on} routes by value, else {@code next}.
     * After {@code maxFailures} no-input/no-match turns the run goes to {@code fallback} (null: give up).
     * Answers heard with confidence below {@code confirmBelow} are read back and confirmed with yes/no.
     * {@code faq} also answers knowledge-file questions, then goes to {@code faqNext} (null: ask again).
     * {@code globals} are the global intents active here. A {@code secret} answer (a PIN) is never stored,
     * logged or read back: it only fills {@code ${secret.<id>}} in the payload of the next webhook.
     */
    record Ask(String id, Map<String, String> set, String prompt, String key, SlotType slot, String grammar,
               Map<String, List<String>> choices, Double min, Double max, List<String> noInput,
               List<String> noMatch, int maxFailures, String fallback, double confirmBelow, String confirmPrompt,
               boolean dtmf, int maxDigits, long noInputTimeoutMs, boolean bargeIn, Set<GlobalIntent> globals,
               boolean faq, String faqNext, Map<String, String> on, String next, boolean secret) implements Step {
        public Ask {
            set = Map.copyOf(set);
            choices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(choices));
            noInput = List.copyOf(noInput);
            noMatch = List.copyOf(noMatch);
            globals = Set.copyOf(globals);
            on = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(on));
        }
    }

    /** The first rule whose condition holds picks the next step, else {@code otherwise}. */
    record Branch(String id, Map<String, String> set, List<Rule> rules, String otherwise) implements Step {
        public Branch {
            set = Map.copyOf(set);
            rules = List.copyOf(rules);
        }
    }

    record Rule(Condition when, String next) {}

    /** Only sets variables. */
    record SetVars(String id, Map<String, String> set, String next) implements Step {
        public SetVars {
            set = Map.copyOf(set);
        }
    }

    /** Call a web service; its result values become variables {@code resultPrefix}.name. */
    record Webhook(String id, Map<String, String> set, String url, Map<String, String> payload, String resultPrefix,
                   String next, String onError) implements Step {
        public Webhook {
            set = Map.copyOf(set);
            payload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
        }
    }

    /**
     * Say an optional parting prompt and hand over to an agent queue. A non-null {@code decision} (why, in words)
     * is stored as a call decision named {@code reason}.
     */
    record Transfer(String id, Map<String, String> set, String say, String queue, String reason, String decision)
            implements Step {
        public Transfer {
            set = Map.copyOf(set);
        }
    }

    /** Schedule a callback at the time in {@code when} (template: ISO or spoken), then go on. */
    record Callback(String id, Map<String, String> set, String when, String next) implements Step {
        public Callback {
            set = Map.copyOf(set);
        }
    }

    /** Create a back-office follow-up task, then go on. */
    record Task(String id, Map<String, String> set, String type, Map<String, String> details, String next)
            implements Step {
        public Task {
            set = Map.copyOf(set);
            details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        }
    }

    /** Say an optional goodbye and end the call with an outcome. */
    record Hangup(String id, Map<String, String> set, String say, Outcome outcome) implements Step {
        public Hangup {
            set = Map.copyOf(set);
        }
    }
}
