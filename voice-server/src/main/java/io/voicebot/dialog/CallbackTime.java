package io.voicebot.dialog;

import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.spoken.SpokenTime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Callback times: the caller asked to be called later ("call me tomorrow at ten"), with a time or without one
 * (then asked when, twice at most, before the campaign's retry rules decide), and the times scripts schedule.
 * Part of one {@link DialogRun}; times are read and spoken in the caller's zone.
 */
final class CallbackTime {
    static final String STEP = "callback_time";
    private static final int TRIES = 2;

    private final DialogRun run;
    private final Dialog dialog;
    private final Clock clock;
    private final ZoneId zone;
    private int tries;

    CallbackTime(DialogRun run, Dialog dialog, Clock clock, ZoneId zone) {
        this.run = run;
        this.dialog = dialog;
        this.clock = clock;
        this.zone = zone;
    }

    /** The callback intent at {@code ask}: scheduled at the time in {@code text}, or the caller is asked when. */
    void requested(String text, Step.Ask ask, List<Action> out) {
        Optional<ZonedDateTime> when = SpokenTime.dateTime(text, ZonedDateTime.now(clock.withZone(zone)));
        if (when.isPresent()) {
            scheduleAndEnd(when.get(), text, out);
            return;
        }
        tries = 0;
        run.moveTo(DialogRun.State.ASKING_CALLBACK_TIME);
        out.add(run.prompt(run.say(STEP, dialog.messages().get("callback_ask"), true, false)));
        out.add(run.listening(new Action.Listen(STEP, null, dialog.phrases().callback(ask), false,
                SlotType.FREE_TEXT, Duration.ofMillis(ask.noInputTimeoutMs()), false, 0,
                dialog.phrases().callbackGlobals(ask))));
    }

    /** The caller's answer to "when should we call you back?". */
    void onInput(Input input, List<Action> out) {
        Step.Ask ask = (Step.Ask) dialog.step(run.currentStep());
        String text = "";
        if (input instanceof Input.Speech sp) {
            text = sp.text();
            if (!Grammar.normalize(text).isEmpty()) {
                run.markInput();
            }
            Set<GlobalIntent> allowed = EnumSet.copyOf(StepPhrases.DURING_CALLBACK_QUESTION);
            allowed.retainAll(ask.globals());
            Optional<GlobalIntent> global = run.globals().find(text, sp.intentHint(), allowed);
            if (global.isPresent()) {
                run.logTurn(STEP, Turn.Mode.SPEECH, text, sp.confidence(), global.get().scriptName(),
                        "global intent");
                run.globals().on(global.get(), text, sp.confidence(), false, ask, out);
                return;
            }
            Optional<ZonedDateTime> at = SpokenTime.dateTime(text, ZonedDateTime.now(clock.withZone(zone)));
            if (at.isPresent()) {
                run.logTurn(STEP, Turn.Mode.SPEECH, text, sp.confidence(), "callback", "time understood");
                scheduleAndEnd(at.get(), text, out);
                return;
            }
            run.logTurn(STEP, Turn.Mode.SPEECH, text, sp.confidence(), null, "time not understood");
        } else if (input instanceof Input.NoInput || input instanceof Input.Dtmf) {
            run.logTurn(STEP, input instanceof Input.NoInput ? Turn.Mode.NO_INPUT : Turn.Mode.DTMF,
                    null, 0, null, "time not understood");
        } else {
            return;
        }
        if (++tries < TRIES) {
            out.add(run.prompt(run.say(STEP, dialog.messages().get("callback_retry"), true, false)));
            out.add(run.lastListen());
        } else {
            // the caller wants a callback; when is up to the campaign's retry rules
            out.add(new Action.ScheduleCallback(STEP, null, text));
            run.end(Outcome.CALLBACK_REQUESTED, STEP, dialog.messages().get("callback_unknown"), out);
        }
    }

    private void scheduleAndEnd(ZonedDateTime at, String text, List<Action> out) {
        run.putVar("callback_time", speakable(at));
        out.add(new Action.ScheduleCallback(run.currentStep(), at.toInstant(), text));
        run.end(Outcome.CALLBACK_REQUESTED, run.currentStep(), dialog.messages().get("callback_done"), out);
    }

    /** "today at 3 PM", "tomorrow at 9:30 AM", "on Monday, March 3 at 10 AM": words the voice can read. */
    String speakable(ZonedDateTime at) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        ZonedDateTime local = at.withZoneSameInstant(zone);
        String time = local.format(DateTimeFormatter.ofPattern(local.getMinute() == 0 ? "h a" : "h:mm a",
                Locale.US));
        long days = ChronoUnit.DAYS.between(today, local.toLocalDate());
        String day = days == 0 ? "today" : days == 1 ? "tomorrow"
                : "on " + local.format(DateTimeFormatter.ofPattern("EEEE, MMMM d", Locale.US));
        return day + " at " + time;
    }

    /** A scripted callback time: ISO instant, ISO local date-time / date in the caller's zone, or spoken. */
    Instant parseWhen(String text) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            // not an instant; try the other forms
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(t).atTime(SpokenTime.DEFAULT_TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        return SpokenTime.dateTime(t, ZonedDateTime.now(clock.withZone(zone))).map(ZonedDateTime::toInstant)
                .orElse(null);
    }
}
