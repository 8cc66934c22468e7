package io.voicebot.telephony.agi;

import io.netty.channel.Channel;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.SayDigitsCommand;
import org.asteriskjava.fastagi.command.SetAutoHangupCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.VerboseCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One FastAGI session seen from a script: blocking, typed commands, one at a time (AGI is strictly
 * request/reply). Must be used from the script's thread, never from a Netty event loop.
 */
public final class AgiCall {
    private static final Logger log = LoggerFactory.getLogger(AgiCall.class);
    static final int DEFAULT_MAX_REPLY_CHARS = 64 * 1024;
    /** Lines no command asked for: a peer can send them at will, so they are logged at most once a second. */
    private static final io.voicebot.log.RateLimitedLog STRAY = new io.voicebot.log.RateLimitedLog(log, 1,
            TimeUnit.SECONDS);

    /** What a STREAM FILE / SAY DIGITS left behind: the escape digit pressed (0 if none) and the sample offset. */
    public record PlaybackResult(char digit, long endpos) {}

    private final AgiRequest request;
    private final Channel channel;
    private final Duration commandTimeout;
    private final Object lock = new Object();

    // Guarded by lock; touched by the event loop (replies) and the script thread (commands).
    private CompletableFuture<AgiReply> pending;
    private String pendingCommand;
    private StringBuilder usage;
    /** Most characters of one 520- usage reply kept; a peer that sends more is not Asterisk (AGI ends). */
    private int maxReplyChars = DEFAULT_MAX_REPLY_CHARS;
    private volatile boolean hungUp;
    private volatile boolean closed;

    AgiCall(AgiRequest request, Channel channel, Duration commandTimeout) {
        this.request = request;
        this.channel = channel;
        this.commandTimeout = commandTimeout;
    }

    public AgiRequest request() {
        return request;
    }

    /** True once Asterisk sent "HANGUP" or the socket closed; further commands throw AgiHangupException. */
    public boolean isHungUp() {
        return hungUp || closed;
    }

    public void answer() throws AgiException {
        AgiReply r = send(new AnswerCommand(), commandTimeout);
        if (r.result() < 0) {
            throw new AgiHangupException("ANSWER failed (result=" + r.result() + ")");
        }
    }

    /** Hangs up the channel; Asterisk will then send "HANGUP" and refuse channel commands with 511. */
    public void hangup() throws AgiException {
        send(new HangupCommand(), commandTimeout);
    }

    /** Runs a dialplan application; returns its result (-2 when Asterisk has no such application). */
    public int exec(String application, String args) throws AgiException {
        return exec(application, args, commandTimeout);
    }

    /** As {@link #exec(String, String)} for applications that run long (the reply comes when the app returns). */
    public int exec(String application, String args, Duration maxDuration) throws AgiException {
        checkText("application", application);
        checkText("args", args);
        return send(new ExecCommand(application, args), maxDuration.plus(commandTimeout)).result();
    }

    /**
     * Runs AudioSocket(uuid,hostPort) and blocks while the AudioSocket session lasts. Returns 0 when voicebot
     * ended the session (kind 0x00 frame or socket close: app_audiosocket returns 0 and the dialplan goes on),
     * -1 on an error or when the caller hung up (app_audiosocket returns -1).
     */
    public int execAudioSocket(UUID uuid, String hostPort, Duration maxDuration) throws AgiException {
        return exec("AudioSocket", uuid + "," + hostPort, maxDuration);
    }

    public void setVariable(String name, String value) throws AgiException {
        checkText("variable name", name);
        checkText("variable value", value);
        send(new SetVariableCommand(name, value), commandTimeout);
    }

    /** GET VARIABLE: empty when the variable is not set (result=0). */
    public Optional<String> getVariable(String name) throws AgiException {
        checkText("variable name", name);
        AgiReply r = send(new GetVariableCommand(name), commandTimeout);
        return r.result() == 1 ? Optional.of(r.data() == null ? "" : r.data()) : Optional.empty();
    }

    /** GET FULL VARIABLE: evaluates an expression such as "${CALLERID(num)}" on the channel. */
    public Optional<String> getFullVariable(String expression) throws AgiException {
        checkText("expression", expression);
        AgiReply r = send(new GetFullVariableCommand(expression), commandTimeout);
        return r.result() == 1 ? Optional.of(r.data() == null ? "" : r.data()) : Optional.empty();
    }

    /** Plays a sound file; stops early on one of escapeDigits. Fails when the file is missing (result -1). */
    public PlaybackResult streamFile(String file, String escapeDigits) throws AgiException {
        checkText("file", file);
        checkText("escape digits", escapeDigits);
        AgiReply r = send(new StreamFileCommand(file, escapeDigits), commandTimeout.multipliedBy(4));
        if (r.result() < 0) {
            if (isHungUp()) {
                throw new AgiHangupException("channel hung up during STREAM FILE '" + file + "'");
            }
            throw new AgiException("STREAM FILE '" + file + "' failed (result=-1): file missing or channel gone");
        }
        return new PlaybackResult(r.digit(), r.endpos());
    }

    /** Waits for one DTMF digit; returns 0 when none came within timeoutMs. */
    public char waitForDigit(long timeoutMs) throws AgiException {
        AgiReply r = send(new WaitForDigitCommand(timeoutMs), Duration.ofMillis(Math.max(0, timeoutMs)).plus(commandTimeout));
        if (r.result() < 0) {
            throw new AgiHangupException("WAIT FOR DIGIT failed (result=-1): channel gone");
        }
        return r.digit();
    }

    public PlaybackResult sayDigits(String digits, String escapeDigits) throws AgiException {
        if (!digits.matches("[0-9]+")) {
            throw new IllegalArgumentException("SAY DIGITS needs decimal digits, got '" + digits + "'");
        }
        checkText("escape digits", escapeDigits);
        AgiReply r = send(new SayDigitsCommand(digits, escapeDigits), commandTimeout.multipliedBy(2));
        if (r.result() < 0) {
            throw new AgiHangupException("SAY DIGITS failed (result=-1): channel gone");
        }
        return new PlaybackResult(r.digit(), r.endpos());
    }

    /** The channel state number (ast_channel_state: 4 = ring, 6 = up, ...). */
    public int channelStatus() throws AgiException {
        return send(new ChannelStatusCommand(), commandTimeout).result();
    }

    public void verbose(String message, int level) throws AgiException {
        checkText("message", message);
        send(new VerboseCommand(message, level), commandTimeout);
    }

    /** Asterisk hangs the channel up this many seconds from now; 0 cancels. */
    public void setAutoHangup(int seconds) throws AgiException {
        send(new SetAutoHangupCommand(seconds), commandTimeout);
    }

    private static void checkText(String what, String value) {
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            // A newline would end the command line early and desynchronise the session.
            throw new IllegalArgumentException(what + " must not contain a line break");
        }
    }

    private AgiReply send(AgiCommand command, Duration wait) throws AgiException {
        String line = command.buildCommand();
        CompletableFuture<AgiReply> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new AgiHangupException("FastAGI socket closed before '" + line + "'");
            }
            if (hungUp) {
                throw new AgiHangupException("channel hung up before '" + line + "'");
            }
            if (pending != null) {
                throw new IllegalStateException("AGI command '" + line + "' sent while '" + pendingCommand
                        + "' is still waiting; AgiCall is for one thread");
            }
            pending = future;
            pendingCommand = line;
        }
        channel.writeAndFlush(line + "\n");
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (lock) {
                pending = null;
            }
            channel.close();
            throw new AgiTimeoutException("no reply to '" + line + "' within " + wait.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new AgiHangupException("interrupted while waiting for '" + line + "'");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgiException ae) {
                throw ae;
            }
            throw new AgiException("AGI command '" + line + "' failed", e.getCause());
        }
    }

    /** One line from Asterisk after the environment; called on the event loop. */
    void maxReplyChars(int max) {
        this.maxReplyChars = max;
    }

    void onLine(String line) {
        CompletableFuture<AgiReply> f;
        AgiException failure = null;
        AgiReply reply = null;
        synchronized (lock) {
            if (line.equals("HANGUP")) {
                // Asterisk still answers a command in flight, so only later commands are refused.
                hungUp = true;
                return;
            }
            if (pending == null) {
                STRAY.warn("AGI line with no command in flight ignored: '{}'", AgiReply.abbreviate(line));
                return;
            }
            if (usage != null) {
                if (line.startsWith("520 End of proper usage.")) {
                    failure = new AgiUsageException(pendingCommand, usage.toString().strip());
                    usage = null;
                } else if (usage.length() + line.length() + 1 > maxReplyChars) {
                    // Asterisk's usage texts are a few hundred bytes; without a bound a peer fills the heap
                    failure = new AgiProtocolException("520- usage reply to '" + pendingCommand + "' longer than "
                            + maxReplyChars + " characters (agi.max.reply.bytes)");
                    usage = null;
                } else {
                    usage.append(line).append('\n');
                    return;
                }
            } else if (line.startsWith("520-")) {
                usage = new StringBuilder();
                return;
            } else if (line.startsWith("520 ")) {
                failure = new AgiUsageException(pendingCommand, line.substring(4));
            } else if (line.startsWith("511 ")) {
                // The channel is dead: the caller hung up, possibly just before this command arrived.
                failure = new AgiHangupException("'" + pendingCommand + "' refused: " + line.substring(4));
            } else if (line.startsWith("510 ")) {
                failure = new AgiCommandException(510, pendingCommand, line.substring(4));
            } else {
                try {
                    reply = AgiReply.parse(line);
                    if (reply.code() != 200) {
                        failure = new AgiProtocolException("unexpected status " + reply.code() + " in '" + line + "'");
                        reply = null;
                    }
                } catch (AgiProtocolException e) {
                    failure = e;
                }
            }
            f = pending;
            pending = null;
        }
        if (failure instanceof AgiProtocolException) {
            // Cannot tell which reply belongs to which command any more.
            channel.close();
        }
        if (failure != null) {
            f.completeExceptionally(failure);
        } else {
            f.complete(reply);
        }
    }

    void channelClose() {
        channel.close();
    }

    /** The socket closed; called on the event loop. */
    void onClose() {
        CompletableFuture<AgiReply> f;
        synchronized (lock) {
            closed = true;
            f = pending;
            pending = null;
        }
        if (f != null) {
            f.completeExceptionally(new AgiHangupException("FastAGI socket closed while waiting for '"
                    + pendingCommand + "'"));
        }
    }
}
