package io.voicebot.dialog;

import java.util.Locale;

/**
 * What a caller may say at any step (unless the step turns it off), in the order they are checked: an opt-out
 * must win over "call me" in "don't call me again".
 */
public enum GlobalIntent {
    OPT_OUT("opt_out"),
    WRONG_PERSON("wrong_person"),
    AGENT("agent_request"),
    CALLBACK("call_me_later"),
    UNSURE("unsure"),
    REPEAT("repeat_request"),
    HOLD("hold_request");

    private final String grammar;

    GlobalIntent(String grammar) {
        this.grammar = grammar;
    }

    /** The grammar in grammars/ holding the phrases. */
    public String grammar() {
        return grammar;
    }

    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GlobalIntent fromScript(String s) {
        for (GlobalIntent g : values()) {
            if (g.scriptName().equals(s)) {
                return g;
            }
        }
        return null;
    }
}
