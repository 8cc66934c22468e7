package io.voicebot.dialog;

import java.util.Locale;

/** What kind of value an ask step stores. */
public enum SlotType {
    /** "yes" or "no". */
    YES_NO,
    /** A number within the step's min/max ("twenty five", DTMF 2 5 #). */
    NUMBER,
    /** One of the step's choices (its key); DTMF n picks the n-th choice. */
    CHOICE,
    /** A calendar day, stored as ISO yyyy-MM-dd; min/max are days from today. */
    DATE,
    /** A money amount, stored as a plain decimal ("250.40"). */
    AMOUNT,
    /** Whatever was said. */
    FREE_TEXT,
    /** A digit string (account number, PIN); min/max are lengths. */
    DIGITS,
    /** The intent of the step's grammar that matched (menus). */
    INTENT;

    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SlotType fromScript(String s) {
        for (SlotType t : values()) {
            if (t.scriptName().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
