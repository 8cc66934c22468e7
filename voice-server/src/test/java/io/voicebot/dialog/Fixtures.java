package io.voicebot.dialog;

import io.voicebot.dialog.grammar.GrammarLibrary;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/** The shipped grammars, knowledge file and dialogs, a fixed clock, and helpers to read actions. */
final class Fixtures {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    /** Monday 2 March 2026, 10:00 in New York. */
    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZONE);
    static final Clock CLOCK = Clock.fixed(NOW.toInstant(), ZoneId.of("UTC"));

    private static GrammarLibrary grammars;
    private static Knowledge knowledge;
    private static Map<String, Dialog> builtIns;

    private Fixtures() {}

    static Path home() {
        return Path.of(System.getProperty("voicebot.home", "..")).toAbsolutePath().normalize();
    }

    static synchronized GrammarLibrary grammars() {
        if (grammars == null) {
            grammars = GrammarLibrary.load(home().resolve("grammars"));
        }
        return grammars;
    }

    static synchronized Knowledge knowledge() {
        if (knowledge == null) {
            knowledge = KnowledgeLoader.load(home().resolve("config/hotline-faq.yaml"));
        }
        return knowledge;
    }

    static DialogLoader loader() {
        return new DialogLoader(grammars(), knowledge());
    }

    static synchronized Dialog builtIn(String name) {
        if (builtIns == null) {
            builtIns = loader().loadDir(home().resolve("config/dialogs"));
        }
        return builtIns.get(name);
    }

    static DialogRun run(Dialog d) {
        return d.newRun(CLOCK, ZONE);
    }

    /**
     * A payment reminder for {@code contact} at its payment question: past the disclosure and the identity
     * question's "yes".
     */
    static DialogRun reminderAtPayment(Map<String, String> contact) {
        DialogRun r = run(builtIn("payment_reminder"));
        r.start(contact);
        r.onInput(new Input.PlaybackFinished("disclosure", true));
        r.onInput(say("yes"));
        return r;
    }

        static Input.Speech say(String text) {
        return new Input.Speech(text, 0.9);
    }

    static Input.Speech say(String text, double confidence) {
        return new Input.Speech(text, confidence);
    }

    static Input.Dtmf keys(String k) {
        return new Input.Dtmf(k);
    }

    static <T extends Action> List<T> of(List<Action> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends Action> T one(List<Action> actions, Class<T> type) {
        List<T> l = of(actions, type);
        if (l.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " in " + actions);
        }
        return l.get(0);
    }

    static List<String> templates(List<Action> actions) {
        return of(actions, Action.Say.class).stream().map(Action.Say::template).toList();
    }

    /** The step the run now listens in (the last action must be a Listen). */
    static String listensAt(List<Action> actions) {
        if (actions.isEmpty() || !(actions.get(actions.size() - 1) instanceof Action.Listen l)) {
            throw new AssertionError("expected the last action to be a Listen: " + actions);
        }
        return l.stepId();
    }

    static Outcome hangupOutcome(List<Action> actions) {
        if (actions.isEmpty() || !(actions.get(actions.size() - 1) instanceof Action.Hangup h)) {
            throw new AssertionError("expected the last action to be a Hangup: " + actions);
        }
        return h.outcome();
    }
}
