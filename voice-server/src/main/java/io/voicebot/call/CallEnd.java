package io.voicebot.call;

import io.voicebot.call.CallSession.Result;
import io.voicebot.dialog.Outcome;
import io.voicebot.log.CallLog;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.telephony.audiosocket.AudioChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * How a call ends: the result the AGI waits for, completed once, and the release of the call's audio. The session's
 * state machine decides when a call ends; this class says with what, and lets go of the recognizer and the channel.
 * Runs on the call's serial executor.
 */
final class CallEnd {
    private static final Logger log = LoggerFactory.getLogger(CallEnd.class);

    private final UUID id;
    private final String dialog;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private Result pending; // the robot's own end, while its last prompt plays

    CallEnd(UUID id, String dialog) {
        this.id = id;
        this.dialog = dialog;
    }

    CompletableFuture<Result> result() {
        return result;
    }

    /** The robot ends the call with {@code r} once its last prompt has played. */
    void ending(Result r) {
        pending = r;
    }

    /** The robot's own end, or null when it has not ended the call. */
    Result pending() {
        return pending;
    }

    /** The robot is done: end the AudioSocket session so that Asterisk's AudioSocket() returns to the AGI. */
    void close(SpeechListener listener, AudioChannel channel) {
        closeListener(listener);
        if (channel != null) {
            channel.hangup();
        }
        log.info("dialog {} ended: {} -> {}", dialog, pending.outcome().scriptName(), pending.next());
        result.complete(pending);
    }

    /**
     * Asterisk's side of the audio went silent (no frames, connection open): the call ends as media_timeout, once
     * {@code storeTurns} has kept what was said.
     */
    void mediaTimeout(long silentMs, SpeechListener listener, Runnable storeTurns) {
        log.warn("no audio from Asterisk for {} ms in dialog {}: the call ends as media_timeout", silentMs, dialog);
        closeListener(listener);
        storeTurns.run();
        result.complete(new Result(Outcome.MEDIA_TIMEOUT, "error", null, "media_timeout"));
    }

    /**
     * The audio closed before the dialog started, so there is nothing to tell it. Without audio ever connected
     * (Asterisk could not reach our AudioSocket port: AudioSocket() returned -1 at once) it is voicebot's failure
     * and the dialplan hands the caller to a person; with audio connected the caller left before the greeting.
     */
    Result beforeStart(boolean connected, String why) {
        Result r = connected ? new Result(Outcome.HUNG_UP, "hangup", null, null)
                : new Result(Outcome.FAILED, "error", null, why != null ? why : "audio closed before it connected");
        log.info("call ended before dialog {} started: {}", dialog, r.outcome().scriptName());
        return r;
    }

    /** The answering machine hung up, before or after the voicemail started. */
    Result machineHungUp(boolean voicemailStarted) {
        Result r = new Result(voicemailStarted ? Outcome.VOICEMAIL : Outcome.MACHINE, "hangup", null, null);
        log.info("the answering machine hung up: {}", r.outcome().scriptName());
        return r;
    }

    /** An error ends this call (never the server): logged once, reported to the dialplan as an outcome. */
    void failed(Throwable error, String step, SpeechListener listener, AudioChannel channel) {
        try (CallLog ignored = CallLog.call(id.toString())) {
            log.error("call failed in step '{}': {}", step, error.toString(), error);
        }
        closeListener(listener);
        if (channel != null) {
            channel.stopPlayback();
            channel.hangup();
        }
        result.complete(failure(error));
    }

    /** Thrown while ending (storing the last turns, say): the result may still be open, and the AGI waits on it. */
    void failedWhileEnding(Throwable error) {
        if (result.complete(failure(error))) {
            try (CallLog ignored = CallLog.call(id.toString())) {
                log.error("call failed while ending: {}", error.toString(), error);
            }
        }
    }

    private static Result failure(Throwable error) {
        return new Result(Outcome.FAILED, "error", null, error.getMessage());
    }

    static void closeListener(SpeechListener listener) {
        if (listener != null) {
            listener.close();
        }
    }
}
