package io.voicebot.call;

import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.speech.asr.TurnCallback;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.speech.asr.Vocabulary;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A call's listening: the recognizer input (made with the first audio frame), the Listen step the current turn
 * answers, keys typed between turns ({@link KeyBuffer}) and the keys of a number, one turn each
 * ({@link DigitCollector}), and a recognizer result made into the dialog's {@link Input}. While the caller speaks,
 * the prompts the answers so far complete are rendered ({@link PromptLookahead}). {@link CallSession} decides when
 * a result counts (state, answering-machine verdict). Owned by the call's serial executor, except {@link #open},
 * {@link #listener} and {@link #offerKey}, which the media thread calls.
 */
final class Listening {
    private static final Duration INTER_DIGIT_TIMEOUT = Duration.ofSeconds(3);

    private final CallContext ctx;
    private final Dialog dialog;
    private final DialogRun run;
    private final TurnLog turns;
    private final TurnCallback events;

    private volatile SpeechListener listener;
    private volatile boolean dtmfAllowed;
    private Action.Listen currentListen;
    private PromptLookahead lookahead;
    private final DigitCollector digits = new DigitCollector();
    private final KeyBuffer pendingKeys = new KeyBuffer();

    /** A turn's barge-in, result and error go to the call's {@code serial} executor, to the session's handlers. */
    Listening(CallContext ctx, Dialog dialog, DialogRun run, TurnLog turns, Executor serial, Runnable bargeIn,
              BiConsumer<Utterance, Long> heard, Consumer<Exception> failed) {
        this.ctx = ctx;
        this.dialog = dialog;
        this.run = run;
        this.turns = turns;
        this.events = new TurnCallback() {
            @Override
            public void onBargeIn(long speechStartMs, long atMs) {
                serial.execute(bargeIn);
            }

            @Override
            public void onResult(Utterance u) {
                long endNanos = System.nanoTime();
                serial.execute(() -> heard.accept(u, endNanos));
            }

            @Override
            public void onError(Exception error) {
                serial.execute(() -> failed.accept(error));
            }
        };
    }

    /** Makes the recognizer input at {@code sampleRate} unless there is one; true when it was made now. */
    synchronized boolean open(int sampleRate) {
        if (listener != null) {
            return false;
        }
        listener = new SpeechListener(ctx.recognizer(), sampleRate, ctx.turnOptions());
        return true;
    }

    /** The recognizer input, or null before the first audio frame. */
    SpeechListener listener() {
        return listener;
    }

    /** The Listen step a turn is waiting on, or null. */
    Action.Listen current() {
        return currentListen;
    }

    /** A key from the media thread; true when it waits, so the session schedules {@link #deliverKey}. */
    boolean offerKey(char digit) {
        SpeechListener l = listener;
        if (l == null || !dtmfAllowed) {
            return false;
        }
        return pendingKeys.offer(digit, l);
    }

    /** The oldest key still waiting goes to the turn now listening, if any and if the call is {@code open}. */
    void deliverKey(boolean open) {
        pendingKeys.deliverNext(listener, open && dtmfAllowed);
    }

    void listen(Action.Listen l, int sampleRate) {
        if (lookahead == null) {
            lookahead = new PromptLookahead(ctx.prompts(), dialog, sampleRate);
        }
        lookahead.ahead(run.vars()); // prompts the answers so far complete render while the caller speaks
        currentListen = l;
        dtmfAllowed = l.dtmfAllowed();
        Action.Listen.EarlyEndHints early = l.earlyEnd();
        Vocabulary vocabulary = new Vocabulary(l.phrases(), l.repeat(), l.secondary(), early.meanings(),
                early.minLength(), early.maxLength());
        TurnOptions options = ctx.turnOptions().withEarlyMinConfidence(early.readBackBelow());
        if (l.noInputTimeout() != null) {
            options = options.withNoInput(l.noInputTimeout());
        }
        startTurn(vocabulary, options);
    }

    private void startTurn(Vocabulary vocabulary, TurnOptions options) {
        if (listener.isListening()) {
            listener.cancel();
        }
        listener.listen(vocabulary, options, events);
        // only a call still going starts a turn, so the call is open here
        deliverKey(true);
    }

    /**
     * The result of the current turn as the dialog's input, its timing noted in the turn log; null while the keys of
     * a number are still coming (a turn for the next key is started).
     */
    Input take(Utterance u, long resultNanos) {
        Action.Listen l = currentListen;
        if (u.kind() == Utterance.Kind.DTMF && l.maxDigits() > 1 && digits.add(u.dtmf(), l.maxDigits())) {
            // more keys to come, each its own short turn
            startTurn(new Vocabulary(List.of(), false), ctx.turnOptions().withNoInput(INTER_DIGIT_TIMEOUT));
            return null;
        }
        u = digits.complete(u); // every key of a number, not only the '#' or the last digit that ended it
        digits.reset();
        currentListen = null;
        dtmfAllowed = false;
        pendingKeys.clear();
        turns.heard(u);
        Input input = switch (u.kind()) {
            case SPEECH -> new Input.Speech(u.text(), Math.max(0, Math.min(1, u.confidence())), null,
                    u.rejection());
            case DTMF -> new Input.Dtmf(u.text());
            case NO_INPUT -> new Input.NoInput();
        };
        if (u.kind() != Utterance.Kind.NO_INPUT) {
            // The caller stopped speaking this long before the result arrived (trailing silence + decoding).
            long speechEndAgo = u.kind() == Utterance.Kind.SPEECH
                    ? TimeUnit.MILLISECONDS.toNanos(Math.max(0, listener.nowMs() - u.endMs())) : 0;
            turns.speechEnded(resultNanos - speechEndAgo);
        }
        return input;
    }

    /** An answering machine answered: no turn, no keys. */
    void stop() {
        currentListen = null;
        dtmfAllowed = false;
        pendingKeys.clear();
        listener.cancel();
    }
}
