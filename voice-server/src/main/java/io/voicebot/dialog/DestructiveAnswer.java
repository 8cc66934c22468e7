package io.voicebot.dialog;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a step's answer leads, with no question in between, to something that cannot be undone: ending the call as
 * wrong person or opted out, or a transfer. Such an answer heard by voice is confirmed first unless it was a long
 * clear phrase, with the policy of the matching global intent ({@code confirm_globals}): a recognizer can hear
 * "hello" as "no" at "Am I speaking with John Smith?" with high confidence.
 */
final class DestructiveAnswer {
    /** Steps followed from an answer before giving up (scripts seldom say more than two things before acting). */
    private static final int DEPTH = 8;

    private DestructiveAnswer() {}

    /**
     * The global intent whose policy applies to an answer that goes to {@code target}, when it is destructive.
     * {@code vars}: the call's variables with the answer in them, to take branches as the run will.
     */
    static Optional<GlobalIntent> of(Dialog dialog, String target, Map<String, String> vars) {
        return walk(dialog, target, vars, new HashSet<>(), 0);
    }

    private static Optional<GlobalIntent> walk(Dialog dialog, String id, Map<String, String> vars, Set<String> seen,
                                               int depth) {
        if (id == null || depth > DEPTH || !seen.add(id)) {
            return Optional.empty();
        }
        Step s = dialog.step(id);
        if (s instanceof Step.Transfer) {
            return Optional.of(GlobalIntent.AGENT);
        }
        if (s instanceof Step.Hangup h) {
            return switch (h.outcome()) {
                case WRONG_PERSON -> Optional.of(GlobalIntent.WRONG_PERSON);
                case OPTED_OUT -> Optional.of(GlobalIntent.OPT_OUT);
                default -> Optional.empty();
            };
        }
        if (s instanceof Step.Say x) {
            return walk(dialog, x.next(), vars, seen, depth + 1);
        }
        if (s instanceof Step.SetVars x) {
            return walk(dialog, x.next(), vars, seen, depth + 1);
        }
        if (s instanceof Step.Branch b) {
            String next = b.otherwise();
            for (Step.Rule r : b.rules()) {
                if (r.when().test(vars)) {
                    next = r.next();
                    break;
                }
            }
            return walk(dialog, next, vars, seen, depth + 1);
        }
        return Optional.empty();
    }

    /** {@code vars} as they are once {@code ask} has accepted {@code value}. */
    static Map<String, String> after(Map<String, String> vars, Step.Ask ask, String value) {
        Map<String, String> m = new HashMap<>(vars);
        if (ask.key() != null) {
            m.put(ask.key(), value);
        }
        m.put("last_answer", value);
        return m;
    }

    /** The name stored with the decision: opt_out, wrong_person, or transfer. */
    static String decisionName(GlobalIntent g) {
        return g == GlobalIntent.AGENT ? "transfer" : g.scriptName();
    }
}
