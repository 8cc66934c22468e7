package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * Rules for an ask step with {@code secret: true} (a PIN): typed on the keypad only, never stored, logged or read
 * back; its value reaches only the payload of the next webhook, as {@code ${secret.<step id>}}.
 */
final class SecretAsk {
    static final String VAR_PREFIX = "secret.";
    /** What a turn keeps of a secret answer. */
    static final String MASK = "****";

    private SecretAsk() {}

    /** Refuses the options that would store, read back or hear the secret. */
    static void check(ScriptReader script, String id, JsonNode n, SlotType slot, boolean dtmf) {
        if (n.has("key")) {
            script.problem(id, "key", "a secret answer is never stored: remove key (the next webhook's payload"
                    + " gets it as ${" + VAR_PREFIX + id + "})");
        }
        for (String f : List.of("confirm_below", "confirm_prompt")) {
            if (n.has(f)) {
                script.problem(id, f, "a secret answer is never read back for confirmation");
            }
        }
        if (n.has("faq") || n.has("on")) {
            script.problem(id, n.has("faq") ? "faq" : "on", "a secret step only takes the secret: route on the"
                    + " webhook's answer with a branch step");
        }
        if (slot != SlotType.DIGITS) {
            script.problem(id, "slot", "a secret step takes digits typed on the keypad (slot: digits), not "
                    + slot.scriptName());
        }
        if (!dtmf) {
            script.problem(id, "dtmf", "a secret step takes keys only: a spoken secret would be heard by others");
        }
    }

    /** A template that uses a secret anywhere but a webhook payload, or one no secret step gives, is refused. */
    static void checkUse(String where, String text, Set<String> secretVars, List<String> problems) {
        for (String v : Template.variables(text)) {
            if (!v.startsWith(VAR_PREFIX)) {
                continue;
            }
            if (!secretVars.contains(v)) {
                problems.add(where + ": ${" + v + "}: no ask step '" + v.substring(VAR_PREFIX.length())
                        + "' with secret: true");
            } else if (!where.contains(": payload.")) {
                problems.add(where + ": ${" + v + "} is a secret answer: only a webhook payload may use it");
            }
        }
    }
}
