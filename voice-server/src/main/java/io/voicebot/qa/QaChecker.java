package io.voicebot.qa;

import io.voicebot.store.CallStore;
import io.voicebot.store.QaStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks one finished call's stored turns against the rules. Pure: no I/O. */
public final class QaChecker {

    /** Outcomes on which no person was on the line: a disclosure is not owed to an answering machine. */
    private static final Set<String> NO_PERSON = Set.of("machine", "voicemail");

    private QaChecker() {}

    public static List<QaStore.Flag> check(CallStore.CallRecord call, List<CallStore.Turn> turns, QaRules rules) {
        List<QaStore.Flag> out = new ArrayList<>();
        for (QaRules.Rule r : rules.rules()) {
            if (!r.appliesTo(call.dialogName())) {
                continue;
            }
            switch (r.kind()) {
                case REQUIRED_DISCLOSURE -> disclosure(r, call, turns, out);
                case PROHIBITED_PHRASE -> phrases(r, turns, true, out);
                case CALLER_WORDS -> phrases(r, turns, false, out);
                case LONG_SILENCE -> silences(r, turns, out);
                case REPEATED_NO_MATCH -> noMatches(r, turns, out);
            }
        }
        return out;
    }

    /** Played in full: a turn's robot speech has the text, and the part of it that was cut does not. */
    private static void disclosure(QaRules.Rule r, CallStore.CallRecord call, List<CallStore.Turn> turns,
                                   List<QaStore.Flag> out) {
        if (call.outcome() != null && NO_PERSON.contains(call.outcome())) {
            return;
        }
        String text = normalize(r.text());
        CallStore.Turn cut = null;
        for (CallStore.Turn t : turns) {
            if (contains(t.promptText(), text)) {
                if (!contains(t.cutText(), text)) {
                    return; // heard in full at least once
                }
                cut = cut == null ? t : cut;
            }
        }
        if (cut == null) {
            out.add(flag(r, null, "disclosure \"" + r.text() + "\" was never played"));
        } else {
            out.add(flag(r, cut.seq(), "disclosure \"" + r.text() + "\" was cut short: "
                    + ("barge_in".equals(cut.cutBy()) ? "the caller spoke over it" : "the call ended during it")));
        }
    }

    /** {@code robot}: phrases in what the robot said; else in what the caller said. One flag per phrase. */
    private static void phrases(QaRules.Rule r, List<CallStore.Turn> turns, boolean robot, List<QaStore.Flag> out) {
        for (String phrase : r.phrases()) {
            String p = normalize(phrase);
            String previousPrompt = null;
            for (CallStore.Turn t : turns) {
                String said = robot ? t.promptText() : t.inputMode() == CallStore.InputMode.SPEECH ? t.transcript()
                        : null;
                if (robot && said != null && said.equals(previousPrompt)) {
                    continue; // the same prompt stored again with the next input
                }
                previousPrompt = robot ? said : previousPrompt;
                if (contains(said, p)) {
                    out.add(flag(r, t.seq(), (robot ? "the robot said" : "the caller said") + " \"" + phrase
                            + "\": \"" + said + "\""));
                    break;
                }
            }
        }
    }

    /**
     * Silence after turn n's prompt: from the end of its last prompt (start + length) to the start of the next
     * turn's prompt, less the caller's speech in between. Prompts cut by a barge-in count in full, so a barge-in
     * never looks like silence.
     */
    private static void silences(QaRules.Rule r, List<CallStore.Turn> turns, List<QaStore.Flag> out) {
        for (int i = 0; i + 1 < turns.size(); i++) {
            CallStore.Turn t = turns.get(i);
            CallStore.Turn next = turns.get(i + 1);
            if (t.startedAt() == null || next.startedAt() == null || t.promptMs() == null) {
                continue;
            }
            long gap = Duration.between(t.startedAt(), next.startedAt()).toMillis() - t.promptMs();
            if (t.speechStartMs() != null && t.speechEndMs() != null) {
                gap -= Math.max(0, t.speechEndMs() - t.speechStartMs());
            }
            if (gap > r.maxMs()) {
                out.add(flag(r, t.seq(), gap + " ms without speech after the prompt (more than " + r.maxMs()
                        + " ms)"));
            }
        }
    }

    /** {@code count} no-matches in a row (no input in between breaks the run); one flag per run. */
    private static void noMatches(QaRules.Rule r, List<CallStore.Turn> turns, List<QaStore.Flag> out) {
        int run = 0;
        for (CallStore.Turn t : turns) {
            if (isNoMatch(t)) {
                if (++run == r.count()) {
                    out.add(flag(r, t.seq(), r.count() + " answers in a row not understood"));
                }
            } else if (t.inputMode() != CallStore.InputMode.NONE || t.note() != null) {
                run = 0;
            }
        }
    }

    /** The dialog's note when stored; before notes were kept, caller input that matched no intent. */
    static boolean isNoMatch(CallStore.Turn t) {
        if (t.note() != null) {
            return t.note().equals("no match");
        }
        return t.inputMode() != CallStore.InputMode.NONE && t.intent() == null;
    }

    private static QaStore.Flag flag(QaRules.Rule r, Integer seq, String detail) {
        return new QaStore.Flag(r.name(), r.kind().id(), seq, detail);
    }

    private static boolean contains(String text, String normalizedPhrase) {
        return text != null && (" " + normalize(text) + " ").contains(" " + normalizedPhrase + " ");
    }

    /** Lower case, words only, single spaces: "Recorded," and "recorded" match. */
    static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']+", " ").strip();
    }
}
