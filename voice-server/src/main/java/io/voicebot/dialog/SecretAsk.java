package io.voicebot.dialog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ask step with {@code secret: true} (a PIN): typed on the keypad only, never stored, logged or read back; its
 * value reaches only the payload of the next webhook, as {@code ${secret.<step id>}}. The static checks refuse
 * scripts that would break this; an instance answers the secret steps of one {@link DialogRun}.
 */
final class SecretAsk {
    static final String VAR_PREFIX = "secret.";
    /** What a turn keeps of a secret answer. */
    static final String MASK = "****";

    private final DialogRun run;
    private final AnswerValues values;
    /** Secret answers (secret.<step id>) waiting for the next webhook; never in vars, answers or turns. */
    private final Map<String, String> secrets = new LinkedHashMap<>();

    SecretAsk(DialogRun run, AnswerValues values) {
        this.run = run;
        this.values = values;
    }

    /** On a secret step the voice only serves global intents (agent, repeat); anything else is not kept. */
    void onSpeech(Input.Speech sp, Step.Ask ask, List<Action> out) {
        Optional<GlobalIntent> global = run.globals().find(sp.text(), sp.intentHint(), ask.globals());
        if (global.isPresent()) {
            run.logTurn(ask.id(), Turn.Mode.SPEECH, MASK, sp.confidence(), global.get().scriptName(),
                    "global intent");
            run.globals().on(global.get(), global.get().scriptName(), sp.confidence(), false, ask, out);
            return;
        }
        run.logTurn(ask.id(), Turn.Mode.SPEECH, MASK, sp.confidence(), null, "secret step: keypad only");
        run.asking().failed(ask, false, out);
    }

    void onDtmf(String keys, Step.Ask ask, List<Action> out) {
        Optional<String> value = values.dtmfValue(ask, keys);
        boolean valid = value.isPresent() && values.valid(ask, value.get());
        if (!valid && keys.equals("0") && ask.globals().contains(GlobalIntent.AGENT)) {
            run.logTurn(ask.id(), Turn.Mode.DTMF, keys, 1, GlobalIntent.AGENT.scriptName(), "global intent");
            run.globals().on(GlobalIntent.AGENT, keys, 1, true, ask, out);
            return;
        }
        if (!valid) {
            run.logTurn(ask.id(), Turn.Mode.DTMF, MASK, 1, null, "no match");
            run.asking().failed(ask, false, out);
            return;
        }
        run.logTurn(ask.id(), Turn.Mode.DTMF, MASK, 1, MASK, "accepted; kept for the next webhook only");
        secrets.put(VAR_PREFIX + ask.id(), value.get());
        run.enterStep(ask.next(), out);
    }

    /** {@code vars} with the secret answers given so far, for one webhook's payload; a secret serves one only. */
    Map<String, String> withSecrets(Map<String, String> vars) {
        Map<String, String> out = new LinkedHashMap<>(vars);
        out.putAll(secrets);
        secrets.clear();
        return out;
    }

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
