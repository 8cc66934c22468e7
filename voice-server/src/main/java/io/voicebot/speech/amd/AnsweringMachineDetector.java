package io.voicebot.speech.amd;

import io.voicebot.speech.audio.Levels;

import java.util.Locale;

/**
 * Decides from the first seconds of a call's inbound audio whether a person or an answering machine answered, the
 * way Asterisk's app_amd does: a person says a short greeting ("hello?") and waits; a machine talks on (a long
 * greeting, many words) or beeps. Fed every inbound frame from the moment the call is answered, it reports one
 * {@link Decision}; after MACHINE it goes on listening and reports the {@link GreetingEnd} (the beep, or silence
 * after the greeting, or the longest wait), when a voicemail can start.
 * <p>
 * Pure and deterministic: time is the audio received (frames and samples counted), never the clock. Not
 * thread-safe: one detector per call, fed from one thread at a time.
 */
public final class AnsweringMachineDetector {
    public enum Verdict {
        HUMAN, MACHINE, NOT_SURE;

        /** Lower case, as stored ("not_sure"). */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Something the detector found: a {@link Decision}, then (after MACHINE only) a {@link GreetingEnd}. */
    public sealed interface Event permits Decision, GreetingEnd {}

    /**
     * The verdict, why in words, and where: the frame it was decided on (0-based) and the audio time after it.
     * {@code greetingEndMs} is the end of the last sound heard before the verdict, -1 when there was none: speech
     * that started before it was the caller's greeting.
     */
    public record Decision(Verdict verdict, String reason, long frame, long atMs, long greetingEndMs)
            implements Event {
        @Override
        public String toString() {
            return verdict.id() + " at " + atMs + " ms (frame " + frame + "): " + reason;
        }
    }

    /** How a machine's greeting ended. */
    public enum EndCause { BEEP, SILENCE, MAX_WAIT }

    /** The machine's greeting is over at {@code atMs}: a voicemail starting now is recorded. */
    public record GreetingEnd(EndCause cause, String reason, long frame, long atMs) implements Event {
        @Override
        public String toString() {
            return "greeting ended at " + atMs + " ms (frame " + frame + "): " + reason;
        }
    }

    private enum Phase { ANALYSING, AWAITING_GREETING_END, DONE }

    private final AmdSettings settings;
    private final int sampleRate;
    private final SoundGate gate;
    private final BeepDetector beeps;

    private Phase phase = Phase.ANALYSING;
    private long samples;
    private long frames;
    private long speechMs;      // all sound so far
    private long wordMs;        // sound since the last between-words silence
    private long silenceMs;     // silence since the last sound
    private long lastSoundEndMs = -1;
    private boolean inWord;
    private int words;
    private boolean inGreeting;
    private Decision decision;
    private GreetingEnd greetingEnd;

    public AnsweringMachineDetector(AmdSettings settings, int sampleRate) {
        if (sampleRate < 8000) {
            throw new IllegalArgumentException("sample rate must be at least 8000, got " + sampleRate);
        }
        this.settings = settings;
        this.sampleRate = sampleRate;
        this.gate = new SoundGate(20);
        this.beeps = new BeepDetector(sampleRate, settings.minBeepMs());
    }

    public Event accept(short[] pcm) {
        return accept(pcm, 0, pcm.length);
    }

    /** One inbound frame (normally 20 ms); returns what it decided, or null. */
    public Event accept(short[] pcm, int off, int len) {
        if (len <= 0) {
            return null;
        }
        long startMs = nowMs();
        samples += len;
        long frame = frames++;
        if (phase == Phase.DONE) {
            return null;
        }
        long endMs = nowMs();
        double level = Levels.rmsDbfs(pcm, off, len);
        BeepDetector.Change beep = beeps.accept(pcm, off, len, startMs, endMs, level);
        boolean sound = gate.isSound(level);
        return phase == Phase.ANALYSING ? analyse(frame, endMs, endMs - startMs, sound, beep)
                : awaitGreetingEnd(frame, endMs, endMs - startMs, sound, beep);
    }

    private Event analyse(long frame, long now, long ms, boolean sound, BeepDetector.Change beep) {
        if (beep == BeepDetector.Change.STARTED) {
            lastSoundEndMs = now;
            return decide(Verdict.MACHINE, String.format(Locale.ROOT, "a %.0f Hz beep", beeps.hz()), frame, now);
        }
        if (sound) {
            speechMs += ms;
            wordMs += ms;
            silenceMs = 0;
            lastSoundEndMs = now;
            if (!inWord && wordMs >= settings.minWordMs()) {
                inWord = true;
                words++;
                inGreeting = true;
            }
            if (words > settings.maxWords()) {
                return decide(Verdict.MACHINE, words + " words in the greeting, more than " + settings.maxWords(),
                        frame, now);
            }
            if (inGreeting && speechMs >= settings.greetingMaxMs()) {
                return decide(Verdict.MACHINE, "a greeting with " + speechMs + " ms of speech, the most a person's has "
                        + "is " + settings.greetingMaxMs() + " ms", frame, now);
            }
        } else {
            silenceMs += ms;
            if (silenceMs >= settings.betweenWordsMs()) {
                inWord = false;
                wordMs = 0;
            }
            if (inGreeting && silenceMs >= settings.afterGreetingSilenceMs()) {
                return decide(Verdict.HUMAN, "a short greeting (" + speechMs + " ms of speech, " + words
                        + (words == 1 ? " word" : " words") + ") then " + silenceMs + " ms of silence", frame, now);
            }
        }
        if (!inGreeting && now >= settings.initialSilenceMs()) {
            return decide(Verdict.NOT_SURE, "no greeting in the first " + settings.initialSilenceMs()
                    + " ms (a person waiting for the robot, or a silent line)", frame, now);
        }
        if (now >= settings.analysisMs()) {
            return decide(Verdict.NOT_SURE, "no decision within " + settings.analysisMs() + " ms (" + words
                    + " words, " + speechMs + " ms of speech)", frame, now);
        }
        return null;
    }

    private Decision decide(Verdict v, String reason, long frame, long now) {
        decision = new Decision(v, reason, frame, now, lastSoundEndMs);
        phase = v == Verdict.MACHINE ? Phase.AWAITING_GREETING_END : Phase.DONE;
        return decision;
    }

    private Event awaitGreetingEnd(long frame, long now, long ms, boolean sound, BeepDetector.Change beep) {
        if (beep == BeepDetector.Change.ENDED) {
            return end(EndCause.BEEP, String.format(Locale.ROOT, "a %.0f Hz beep from %d to %d ms", beeps.hz(),
                    beeps.startMs(), beeps.endMs()), frame, now);
        }
        if (sound) {
            silenceMs = 0;
        } else {
            silenceMs += ms;
        }
        if (!beeps.inBeep() && silenceMs >= settings.greetingEndSilenceMs()) {
            return end(EndCause.SILENCE, silenceMs + " ms of silence after the greeting", frame, now);
        }
        if (now - decision.atMs() >= settings.beepMaxWaitMs()) {
            return end(EndCause.MAX_WAIT, "no beep or silence within " + settings.beepMaxWaitMs()
                    + " ms of the verdict", frame, now);
        }
        return null;
    }

    private GreetingEnd end(EndCause cause, String reason, long frame, long now) {
        greetingEnd = new GreetingEnd(cause, reason, frame, now);
        phase = Phase.DONE;
        return greetingEnd;
    }

    /**
     * The call's audio ended: the decision, or NOT_SURE when it ended before one. Later frames are ignored.
     */
    public Decision end() {
        if (decision == null) {
            decision = new Decision(Verdict.NOT_SURE, "the call ended after " + nowMs() + " ms, before a decision",
                    Math.max(0, frames - 1), nowMs(), lastSoundEndMs);
        }
        phase = Phase.DONE;
        return decision;
    }

    /** The verdict so far, or null while still listening. */
    public Decision decision() {
        return decision;
    }

    /** After MACHINE: how its greeting ended, or null until it has. */
    public GreetingEnd greetingEnd() {
        return greetingEnd;
    }

    /** Nothing more to report: a HUMAN or NOT_SURE verdict, or a machine's greeting end. */
    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /** Milliseconds of audio received. */
    public long nowMs() {
        return samples * 1000 / sampleRate;
    }

    /** Frames received. */
    public long frames() {
        return frames;
    }

    /** The decision and, after a machine, how its greeting ended, in one line (null before a decision). */
    public String summary() {
        if (decision == null) {
            return null;
        }
        return decision + (greetingEnd == null ? "" : "; " + greetingEnd);
    }
}
