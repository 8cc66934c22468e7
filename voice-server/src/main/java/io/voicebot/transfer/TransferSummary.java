package io.voicebot.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The short, spoken-form text an agent hears in the whisper and sees on the screen-pop: who, why, what the robot
 * already collected. Numbers are read digit by digit and only the last four digits of the phone number are given.
 */
public final class TransferSummary {
    private static final int MAX = 400;

    private TransferSummary() {}

    public static String of(String dialog, String callerName, String phone, String reason,
                            Map<String, String> answers) {
        List<String> parts = new ArrayList<>();
        String who = callerName == null || words(callerName).isEmpty() ? "Caller" : words(callerName);
        String tail = lastDigits(phone);
        parts.add(who + (tail.isEmpty() ? "" : ", number ending " + tail) + ", from the " + words(dialog) + " call.");
        parts.add("Reason: " + words(reason == null ? "caller asked for an agent" : reason) + ".");
        if (!answers.isEmpty()) {
            List<String> got = new ArrayList<>();
            answers.forEach((k, v) -> got.add(words(k) + " " + words(v)));
            parts.add("Collected: " + String.join("; ", got) + ".");
        }
        String s = String.join(" ", parts);
        return s.length() <= MAX ? s : s.substring(0, MAX);
    }

    /** "payment_reminder" -> "payment reminder"; characters a voice cannot read become spaces. */
    static String words(String s) {
        return s.replaceAll("[_\\-]+", " ").replaceAll("[^\\p{L}\\p{N} .,:'/]", " ").replaceAll("\\s+", " ").strip();
    }

    /** "+15550100001" -> "0 0 0 1" (read digit by digit). */
    static String lastDigits(String phone) {
        if (phone == null) {
            return "";
        }
        String d = phone.replaceAll("\\D", "");
        if (d.length() < 4) {
            return "";
        }
        return String.join(" ", d.substring(d.length() - 4).split(""));
    }
}
