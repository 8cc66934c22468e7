package io.voicebot.call;

import io.voicebot.telephony.audiosocket.AudioChannel;
import io.voicebot.telephony.audiosocket.Playback;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One robot turn's audio, sentence by sentence: each sentence is queued on the channel right behind the one before
 * as soon as it is synthesized, so the fixed first sentence of "Hello, this is Example Bank. Am I speaking with
 * ${name}?" plays while the name's sentence still renders, and the two join with no gap (the channel fills a frame
 * across playbacks; the audio is that of {@link io.voicebot.speech.tts.Sentences#join}). Only when the audio ahead
 * has ended and the next sentence is still not ready does the turn wait, with the {@link LatePrompt} line after
 * {@code late} (once per turn) and the call failing at the synthesis deadline, as a turn whose first sentence is
 * late. A barge-in, a hang-up or a machine's verdict stops the channel's playback; sentences ready after that never
 * play ({@link AudioChannel#playAfter}) and every prompt of the turn ends as not played in full.
 * <p>
 * Thread-safe: sentences arrive on synthesis and cache threads, playbacks end on the channel's callback threads.
 */
final class PromptStream {
    /** What the call hears of: the late line played, a prompt failed (the call fails). Called on any thread. */
    interface Events {
        void fillerSaid();

        void failed(CallException error);
    }

    /** One prompt (Say) of the turn. */
    static final class Prompt {
        private final String stepId;
        private final CompletableFuture<Boolean> done = new CompletableFuture<>();
        private volatile Playback first;

        private Prompt(String stepId) {
            this.stepId = stepId;
        }

        /** True once its last sentence played to its end; false when it was stopped or could not be rendered. */
        CompletableFuture<Boolean> done() {
            return done;
        }

        /** When its first frame went out ({@link System#nanoTime()}); 0 if not yet. */
        long startedNanos() {
            Playback p = first;
            return p == null ? 0 : p.startedNanos();
        }
    }

    private record Part(Prompt prompt, CompletableFuture<short[]> audio, boolean last) {}

    private final AudioChannel channel;
    private final ScheduledExecutorService scheduler;
    private final Duration late;
    private final long deadlineNanos;
    private final CompletableFuture<short[]> filler;
    private final Events events;
    /** The previous turn's stream while it still has sentences to queue: this turn's audio goes after them. */
    private volatile PromptStream previous;
    private volatile PromptStream next;

    // Guarded by this.
    private final ArrayDeque<Part> waiting = new ArrayDeque<>();
    private final List<Prompt> open = new ArrayList<>();
    private Playback last;
    private boolean fillerSaid;
    private boolean over;

    /**
     * @param filler        the late line's audio (null: none in this turn)
     * @param fillerSaid    the turn said it already, before its first sentence
     * @param deadlineNanos a sentence not ready then fails the call
     */
    PromptStream(AudioChannel channel, ScheduledExecutorService scheduler, Duration late, long deadlineNanos,
                 CompletableFuture<short[]> filler, boolean fillerSaid, Events events, PromptStream previous) {
        this.previous = previous;
        if (previous != null) {
            previous.next = this;
        }
        this.channel = channel;
        this.scheduler = scheduler;
        this.late = late;
        this.deadlineNanos = deadlineNanos;
        this.filler = filler;
        this.fillerSaid = fillerSaid;
        this.events = events;
    }

    /** Plays {@code parts} (a prompt's sentences, in order) after everything added before. */
    Prompt add(String stepId, List<CompletableFuture<short[]>> parts) {
        Prompt p = new Prompt(stepId);
        synchronized (this) {
            if (over) {
                p.done.complete(false);
                return p;
            }
            open.add(p);
            for (int i = 0; i < parts.size(); i++) {
                CompletableFuture<short[]> audio = parts.get(i);
                if (!audio.isDone()) {
                    audio = audio.copy().orTimeout(Math.max(0, deadlineNanos - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                    audio.whenComplete((pcm, e) -> pump());
                }
                waiting.addLast(new Part(p, audio, i == parts.size() - 1));
            }
        }
        pump();
        return p;
    }

    /** Queues every sentence that is ready and has nothing unready before it. */
    private void pump() {
        PromptStream before = previous;
        if (before != null) {
            if (!before.idle()) {
                return; // it calls this again once it is
            }
            previous = null;
        }
        CallException failure = null;
        boolean idle;
        synchronized (this) {
            while (!over && !waiting.isEmpty() && waiting.peekFirst().audio().isDone()) {
                Part part = waiting.pollFirst();
                short[] pcm;
                try {
                    pcm = part.audio().join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    failure = PromptBatch.failed(part.prompt().stepId, e.getCause() == null ? e : e.getCause());
                    break;
                }
                Playback p = last == null ? channel.play(pcm) : channel.playAfter(last, pcm);
                last = p;
                if (part.prompt().first == null) {
                    part.prompt().first = p;
                }
                p.done().whenComplete((played, e) -> played(part, p, Boolean.TRUE.equals(played)));
            }
            idle = waiting.isEmpty();
        }
        if (failure != null) {
            if (channel.isOpen()) { // a call that hung up meanwhile has ended already, and not with this error
                events.failed(failure); // first, so the call has failed before its prompts' ends are handled
            }
            end();
        } else if (idle) {
            wakeNext();
        }
    }

    /** Every sentence added so far is queued on the channel, or none will be. */
    private synchronized boolean idle() {
        return over || waiting.isEmpty();
    }

    private void wakeNext() {
        PromptStream n = next;
        if (n != null) {
            n.pump();
        }
    }

    private void played(Part part, Playback p, boolean played) {
        if (!played) {
            end(); // stopped: barge-in, hang-up, answering machine
            return;
        }
        boolean ranOut;
        synchronized (this) {
            if (part.last()) {
                open.remove(part.prompt());
                part.prompt().done.complete(true);
            }
            ranOut = !over && last == p && !waiting.isEmpty();
        }
        if (ranOut && filler != null) {
            scheduler.schedule(() -> stillLate(p), late.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The audio ended {@code late} ago at {@code ended} and the next sentence is still not ready: the late line. */
    private void stillLate(Playback ended) {
        synchronized (this) {
            if (over || fillerSaid || last != ended || waiting.isEmpty() || waiting.peekFirst().audio().isDone()) {
                return;
            }
            short[] pcm = filler.isCompletedExceptionally() ? null : filler.getNow(null);
            if (pcm == null) {
                return;
            }
            fillerSaid = true;
            Playback p = channel.playAfter(ended, pcm);
            last = p;
            p.done().whenComplete((played, e) -> {
                if (!Boolean.TRUE.equals(played)) {
                    end();
                }
            });
        }
        events.fillerSaid();
        pump(); // ready meanwhile: right behind the line
    }

    /** Nothing more plays in this turn; its prompts not played to their end are done, not in full. */
    private void end() {
        List<Prompt> unfinished;
        synchronized (this) {
            over = true;
            waiting.clear();
            unfinished = new ArrayList<>(open);
            open.clear();
        }
        unfinished.forEach(p -> p.done.complete(false));
        wakeNext();
    }
}
