package io.voicebot.sim;

import io.voicebot.speech.audio.Levels;
import io.voicebot.telephony.audiosocket.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A caller that talks like a person: it waits until the robot has finished a prompt (its audio went quiet),
 * then answers with the next reply: speech audio, keys, silence or hanging up. A barge-in reply starts
 * speaking while the robot is still talking. A caller {@link #withGreeting with a greeting} plays it the moment
 * the audio connects, over whatever the robot says: a person's "hello?", or an answering machine's greeting and
 * beep (with no replies it then stays on the line, silent, as a machine records). Runs on its own thread once the
 * AudioSocket leg is up; {@link #heard()} keeps what the robot sent.
 */
public final class SimulatedCaller {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCaller.class);
    /** Mean square of a frame above which the robot counts as speaking (about -45 dBFS). */
    private static final double SPEAKING = 1e-4 * 32768.0 * 32768.0 / 3;
    private static final long POLL_MS = 10;
    /**
     * Quiet that marks the robot's stop after a barge-in. Shorter than the quiet that ends a prompt: an early
     * endpoint answers a short barged-in word within about 600 ms of the stop, and a longer gap would take the cut
     * prompt and the next one for one.
     */
    private static final long BARGE_IN_QUIET_MS = 400;

    /** One thing the caller does after a prompt. */
    public sealed interface Reply {
        /** Say {@code text}, already rendered to {@code pcm} at the leg's sample rate. */
        record Speak(String text, short[] pcm) implements Reply {}

        /** Press keys, 150 ms apart. */
        /** Keys pressed one after another, {@code gapMs} apart (150 ms by default; 0: a burst). */
        record Keys(String digits, int gapMs) implements Reply {
            public Keys(String digits) {
                this(digits, 150);
            }
        }

        /** Stay silent through the next prompt (the robot's no-input timeout runs). */
        record Silence() implements Reply {}

        /** Hang up after the prompt. */
        record HangUp() implements Reply {}

        /** Start speaking {@code afterMs} after the robot starts its next prompt, without waiting for its end. */
        record BargeIn(String text, short[] pcm, long afterMs) implements Reply {}

        /**
         * Hang up as soon as {@code when} holds (polled), whether or not the robot is talking: a caller who gives up
         * in the middle of a prompt at a point the test names by what the server has done, not by a clock.
         */
        record HangUpWhen(String what, java.util.function.BooleanSupplier when) implements Reply {}
    }

    /** What happened, in order, for the transcript a simulation prints. */
    public record Event(long atMs, String what) {}

    private final List<Reply> replies;
    private final long quietMs;
    private final long giveUpMs;
    private final String greetingText;
    private final short[] greeting;
    private volatile AudioSocketPeer peer;
    private volatile long connectedNanos;
    private volatile long greetingSentNanos;
    private final List<Event> events = new ArrayList<>();
    private final List<Long> bargeInStops = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile java.util.function.IntFunction<short[]> filler;
    private long t0;

    /**
     * @param quietMs  robot silence that ends a prompt (longer than the pauses inside one prompt)
     * @param giveUpMs how long to wait for a prompt before giving up on the rest of the replies
     */
    public SimulatedCaller(List<Reply> replies, long quietMs, long giveUpMs) {
        this(replies, quietMs, giveUpMs, null, null);
    }

    private SimulatedCaller(List<Reply> replies, long quietMs, long giveUpMs, String greetingText, short[] greeting) {
        this.replies = List.copyOf(replies);
        this.quietMs = quietMs;
        this.giveUpMs = giveUpMs;
        this.greetingText = greetingText;
        this.greeting = greeting;
    }

    /** This caller, saying {@code pcm} (described by {@code text}) as soon as the audio connects. */
    public SimulatedCaller withGreeting(String text, short[] pcm) {
        return new SimulatedCaller(replies, quietMs, giveUpMs, text, pcm.clone());
    }

    /**
     * How voicebot's late-prompt line ("One moment, please.", played when a turn's prompt is late) sounds at a
     * sample rate: a prompt that is just that line is not the question, so the caller keeps waiting instead of
     * answering into the silence after it. Returns this caller.
     */
    public SimulatedCaller knowingFiller(java.util.function.IntFunction<short[]> filler) {
        this.filler = filler;
        return this;
    }

    /** What the robot sent so far (silence frames included), each with when it arrived; empty before audio. */
    public List<AudioSocketPeer.ReceivedFrame> heard() {
        AudioSocketPeer p = peer;
        return p == null ? List.of() : p.received();
    }

    /** When the audio connected (System.nanoTime()), or 0 before. */
    public long connectedNanos() {
        return connectedNanos;
    }

    /** When the greeting's last frame went out (System.nanoTime()), or 0 before (or without a greeting). */
    public long greetingSentNanos() {
        return greetingSentNanos;
    }

    public SimulatedCaller(List<Reply> replies) {
        this(replies, 900, 30_000);
    }

    /** Starts answering on {@code call}'s AudioSocket leg when it connects. */
    public SimulatedCaller attach(SimulatedCall call) {
        call.onAudioSocket(peer -> {
            Thread t = new Thread(() -> talk(call, peer), "sim-caller");
            t.setDaemon(true);
            t.start();
        });
        return this;
    }

    /** Completes when every reply has been given (or the call ended first). */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** For each barge-in: ms from the caller's speech onset to the robot's last loud frame (negative: it had
     * already stopped). */
    public synchronized List<Long> bargeInStops() {
        return List.copyOf(bargeInStops);
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    private synchronized void event(String what) {
        events.add(new Event(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), what));
    }

    private void talk(SimulatedCall call, AudioSocketPeer peer) {
        t0 = System.nanoTime();
        connectedNanos = t0;
        this.peer = peer;
        Watcher robot = new Watcher(peer);
        java.util.function.IntFunction<short[]> f = filler;
        short[] fillerPcm = f == null ? null : f.apply(peer.sampleRate());
        if (fillerPcm != null) {
            robot.filler(Watcher.loudSpanMs(fillerPcm, peer.sampleRate()), () -> event(
                    "robot said its late-prompt line; waiting for the question"));
        }
        try {
            if (greeting != null) {
                event("caller answers: \"" + greetingText + "\"");
                peer.send(greeting).thenRun(() -> {
                    if (!peer.result().isDone()) {
                        greetingSentNanos = System.nanoTime();
                        event("caller's greeting played");
                    }
                });
            }
            for (Reply r : replies) {
                if (r instanceof Reply.HangUpWhen h) {
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
                    while (!h.when().getAsBoolean() && !peer.result().isDone() && System.nanoTime() < end) {
                        sleep(POLL_MS);
                    }
                    if (peer.result().isDone() || !h.when().getAsBoolean()) {
                        event("no " + h.what() + " before the call ended; stopping");
                        break;
                    }
                    event("caller hangs up during " + h.what());
                    call.hangup();
                    done.complete(null);
                    return;
                }
                if (r instanceof Reply.BargeIn b) {
                    if (!robot.awaitSpeechStart(giveUpMs)) {
                        event("robot did not speak; stopping");
                        break;
                    }
                    sleep(b.afterMs());
                    event("caller barges in: \"" + b.text() + "\"");
                    // Speech starts after the lead-in silence that withSilence puts in front.
                    long onset = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    CompletableFuture<Void> sent = peer.send(withSilence(b.pcm(), peer.sampleRate()));
                    long lastLoud = robot.lastLoudBefore(Math.min(quietMs, BARGE_IN_QUIET_MS), giveUpMs);
                    long cutMs = TimeUnit.NANOSECONDS.toMillis(lastLoud - onset);
                    synchronized (this) {
                        bargeInStops.add(cutMs);
                    }
                    event("robot stopped talking " + cutMs + " ms after the caller started speaking");
                    sent.get(60, TimeUnit.SECONDS);
                    continue;
                }
                if (!robot.awaitPromptEnd(quietMs, giveUpMs)) {
                    event(peer.result().isDone() ? "audio ended (" + peer.endReason() + "); stopping"
                            : "robot said nothing more; stopping");
                    break;
                }
                if (r instanceof Reply.Speak s) {
                    event("caller says: \"" + s.text() + "\"");
                    peer.send(withSilence(s.pcm(), peer.sampleRate())).get(60, TimeUnit.SECONDS);
                } else if (r instanceof Reply.Keys k) {
                    event("caller presses " + k.digits());
                    for (char c : k.digits().toCharArray()) {
                        peer.sendDtmf(c);
                        sleep(k.gapMs());
                    }
                } else if (r instanceof Reply.Silence) {
                    event("caller stays silent");
                } else if (r instanceof Reply.HangUp) {
                    event("caller hangs up");
                    call.hangup();
                    done.complete(null);
                    return;
                }
            }
            done.complete(null);
        } catch (Exception e) {
            if (!peer.result().isDone()) {
                log.warn("simulated caller stopped: {}", e.toString());
            }
            done.complete(null);
        }
    }

    /** 200 ms of silence before and 400 ms after, as a person leaves around an answer. */
    private static short[] withSilence(short[] pcm, int rate) {
        short[] out = new short[rate / 5 + pcm.length + rate * 2 / 5];
        System.arraycopy(pcm, 0, out, rate / 5, pcm.length);
        return out;
    }

    private static void sleep(long ms) throws InterruptedException {
        if (ms > 0) {
            Thread.sleep(ms); // the caller's own timing, not a wait for a condition
        }
    }

    /**
     * Follows the robot's audio: is it speaking, and for how long has it been quiet. Quiet is measured in silent
     * audio received (the robot keeps sending silence frames), not in wall-clock time, so a stalled sender (a GC
     * pause, a busy machine) is not taken for the end of a prompt, just as a person hears a gap, not a clock.
     */
    private static final class Watcher {
        private final AudioSocketPeer peer;
        private int seen;
        private boolean speaking;
        private long lastLoudNanos;
        private long quietSinceLoudMs;
        private boolean heardSinceAnswer;
        // audio received so far and the loud span of the current prompt, in ms of audio
        private long audioMs;
        private long firstLoudMs = -1;
        private long lastLoudEndMs;
        private long fillerSpanMs = -1;
        private Runnable onFiller = () -> { };

        Watcher(AudioSocketPeer peer) {
            this.peer = peer;
        }

        void filler(long spanMs, Runnable onHeard) {
            fillerSpanMs = spanMs;
            onFiller = onHeard;
        }

        /** From the first to the end of the last loud 20 ms frame of {@code pcm}, as the robot sends it. */
        static long loudSpanMs(short[] pcm, int rate) {
            int frame = rate / 50;
            long first = -1;
            long lastEnd = 0;
            for (int i = 0; i < pcm.length; i += frame) {
                int n = Math.min(frame, pcm.length - i);
                if (Levels.meanSquare(pcm, i, n) > SPEAKING) {
                    long at = i * 1000L / rate;
                    first = first < 0 ? at : first;
                    lastEnd = (i + n) * 1000L / rate;
                }
            }
            return first < 0 ? -1 : lastEnd - first;
        }

        /** The prompt that just ended was the late-prompt line alone (same loud span, within two frames). */
        private boolean wasFiller() {
            return fillerSpanMs > 0 && firstLoudMs >= 0 && Math.abs((lastLoudEndMs - firstLoudMs) - fillerSpanMs) <= 40;
        }

        private void poll() {
            for (AudioSocketPeer.ReceivedFrame f : peer.receivedSince(seen)) {
                seen++;
                Frame frame = f.frame();
                if (!frame.kind().isAudio()) {
                    continue;
                }
                long ms = frame.samples().length * 1000L / frame.kind().sampleRate();
                if (meanSquare(frame.samples()) > SPEAKING) {
                    speaking = true;
                    heardSinceAnswer = true;
                    lastLoudNanos = f.nanos();
                    quietSinceLoudMs = 0;
                    firstLoudMs = firstLoudMs < 0 ? audioMs : firstLoudMs;
                    lastLoudEndMs = audioMs + ms;
                } else {
                    quietSinceLoudMs += ms;
                }
                audioMs += ms;
            }
        }

        /** Waits until the robot has been quiet for {@code quietMs}; returns when it was last loud (nanoTime). */
        long lastLoudBefore(long quietMs, long giveUpMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
            while (System.nanoTime() < deadline && !peer.result().isDone()) {
                poll();
                if (quietSinceLoudMs >= quietMs) {
                    break;
                }
                Thread.sleep(POLL_MS);
            }
            heardSinceAnswer = false;
            speaking = false;
            firstLoudMs = -1;
            return lastLoudNanos;
        }

        boolean awaitSpeechStart(long giveUpMs) throws InterruptedException {
            heardSinceAnswer = false;
            firstLoudMs = -1;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
            while (System.nanoTime() < deadline && !peer.result().isDone()) {
                poll();
                if (heardSinceAnswer) {
                    return true;
                }
                Thread.sleep(POLL_MS);
            }
            return false;
        }

        /** The robot spoke (since the last answer) and has now been quiet for {@code quietMs}. */
        boolean awaitPromptEnd(long quietMs, long giveUpMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
            try {
                while (System.nanoTime() < deadline && !peer.result().isDone()) {
                    poll();
                    if (heardSinceAnswer && speaking && quietSinceLoudMs >= quietMs) {
                        if (!wasFiller()) {
                            return true;
                        }
                        onFiller.run(); // not the question: it is still coming
                        firstLoudMs = -1;
                        heardSinceAnswer = false;
                        speaking = false;
                    }
                    Thread.sleep(POLL_MS);
                }
                return false;
            } finally {
                heardSinceAnswer = false;
                speaking = false;
                firstLoudMs = -1;
            }
        }

        private static double meanSquare(short[] s) {
            return s == null ? 0 : Levels.meanSquare(s, 0, s.length);
        }
    }
}
