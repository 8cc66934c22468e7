package io.voicebot.telephony.ami;

import io.voicebot.config.VoicebotConfig;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.action.QueueStatusAction;
import org.asteriskjava.manager.action.QueueSummaryAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.GetVarResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * voicebot's connection to the Asterisk Manager Interface (through Asterisk-Java): originate outbound calls,
 * redirect and set variables on channels, read queue state, and listen to events.
 *
 * <p>Connection handling: {@link #start()} logs in (MD5 challenge, so the secret never crosses the network).
 * A Ping goes out every ami.ping.interval.ms; no Pong within min(ping interval, command timeout) or a closed socket
 * drops the connection, and a fresh one is tried after 250 ms, then 500 ms, 1 s, ... doubling up to
 * ami.reconnect.max.backoff.ms. While disconnected every command fails at once; while connected every command
 * fails after ami.command.timeout.ms without an answer.
 *
 * <p>Originates in flight when the connection drops stay pending: Asterisk broadcasts OriginateResponse and
 * Hangup to every manager session, so events arriving after the reconnect still resolve them (they are matched by
 * the ChannelId voicebot assigns). Right after reconnecting, CoreShowChannels settles the rest: a channel that is
 * Up is ANSWERED, one still ringing keeps waiting, one that no longer exists is FAILED with detail
 * "AMI connection lost ...". An originate never resolved within its timeout plus the command timeout fails with
 * {@link AmiTimeoutException}.
 *
 * <p>Threads: Asterisk-Java's reader and event threads only hand work over; logins and writes run on two
 * "ami-io" threads, event listeners on one "ami-events" thread (in arrival order, so keep them quick), timers on
 * the scheduler given to the constructor (not owned, not shut down here).
 */
public final class AmiClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiClient.class);
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(250);

    private enum State { NEW, CONNECTING, CONNECTED, BACKING_OFF, CLOSED }

    /** Told when the AMI connection comes up or goes down, with a reason in words. */
    public interface ConnectionListener {
        void onConnectionChange(boolean connected, String detail);
    }

    private final VoicebotConfig.Ami config;
    private final ScheduledExecutorService scheduler;
    private final PendingOriginates originates;
    private final ThreadPoolExecutor io;
    private final ThreadPoolExecutor events;
    private final AmiEvents converter = new AmiEvents();
    private final Duration pingTimeout;
    private final String where;

    private final Object lock = new Object();
    private State state = State.NEW;
    private AmiConnection connection;
    private long generation;
    private Duration nextBackoff = INITIAL_BACKOFF;
    private int failedAttempts;
    private String lastProblem = "not started";
    private String reason;
    private ScheduledFuture<?> pingTask;

    private final CompletableFuture<Void> firstLogin = new CompletableFuture<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<String, Consumer<AmiEvent>>> eventListeners = new CopyOnWriteArrayList<>();

    public AmiClient(VoicebotConfig.Ami config, ScheduledExecutorService scheduler) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.originates = new PendingOriginates(scheduler);
        this.pingTimeout = config.pingInterval().compareTo(config.commandTimeout()) < 0
                ? config.pingInterval() : config.commandTimeout();
        this.where = config.host() + ":" + config.port() + " as '" + config.username() + "'";
        this.io = executor("ami-io", 2, 1000, new ThreadPoolExecutor.AbortPolicy());
        // CallerRuns: a flood of events slows Asterisk-Java's reader down instead of dropping events
        this.events = executor("ami-events", 1, 10_000, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private static ThreadPoolExecutor executor(String name, int threads, int queue,
                                               java.util.concurrent.RejectedExecutionHandler onFull) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, onFull);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Connects in the background. The future completes at the first successful login, or fails when the client
     * is closed first. An unreachable Asterisk and a refused login are both retried with back-off (a WARN line per
     * attempt, the reason in {@link #unavailableReason()}); the future then stays pending (use a timeout on it).
     */
    public CompletableFuture<Void> start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("AMI client already started");
            }
            state = State.CONNECTING;
        }
        io.execute(this::attemptLogin);
        return firstLogin.copy();
    }

    /** Why AMI is not connected, in a few words (for /health); null while connected. */
    public String unavailableReason() {
        synchronized (lock) {
            return switch (state) {
                case CONNECTED -> null;
                case CLOSED -> "closed";
                case NEW -> "not started";
                default -> reason == null ? "connecting" : reason;
            };
        }
    }

    public boolean isConnected() {
        synchronized (lock) {
            return state == State.CONNECTED;
        }
    }

    /** Logs off, fails whatever is still pending, stops the client's own threads. */
    @Override
    public void close() {
        AmiConnection c;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            generation++;
            cancelPing();
            c = connection;
            connection = null;
        }
        if (c != null) {
            // Logoff politely but briefly: a hung Asterisk must not hold up shutdown
            try {
                send(c, new org.asteriskjava.manager.action.LogoffAction(), Duration.ofSeconds(1))
                        .get(1500, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.debug("AMI logoff not acknowledged: {}", e.toString());
            }
            c.abandon();
        }
        AmiException closed = new AmiException("AMI client closed");
        originates.failAll(closed);
        firstLogin.completeExceptionally(closed);
        io.shutdownNow();
        events.shutdown();
        notifyConnection(false, "closed");
    }

    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
    }

    /** Listens to every event named {@code eventName} ("Hangup", "Newchannel", ...; "*" for all). */
    public void addEventListener(String eventName, Consumer<AmiEvent> listener) {
        eventListeners.add(Map.entry(eventName, listener));
    }

    public void removeEventListener(Consumer<AmiEvent> listener) {
        eventListeners.removeIf(e -> e.getValue() == listener);
    }

    private void attemptLogin() {
        AmiConnection c;
        long gen;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CONNECTING;
            gen = ++generation;
            // Asterisk answers a bad login only after a 1 s delay (manager.c), so login waits a bit longer
            c = new AmiConnection(config.host(), config.port(), config.username(), config.secret(),
                    config.commandTimeout().toMillis() + 2000, () -> connectionLost(gen, "connection closed by Asterisk"));
            connection = c;
        }
        c.addEventListener(this::onEvent);
        try {
            c.login();
        } catch (AuthenticationFailedException e) {
            if (e.getCause() != null) {
                // Asterisk-Java reports a lost or timed-out Challenge/Login as an authentication failure too
                c.abandon();
                retryLater(gen, "cannot log in to AMI at " + where + ": " + describe(e) + " ("
                        + describe(e.getCause()) + ")", "cannot log in: " + describe(e.getCause()));
                return;
            }
            // A refused login is retried like a lost connection: the secret may be fixed on Asterisk's side
            // (manager.conf, "manager reload") without restarting voicebot.
            c.abandon();
            retryLater(gen, "AMI login to " + where + " failed: " + e.getMessage()
                    + " (check ami.username / ami.secret and the manager.conf entry)",
                    "authentication failed (check ami.username and ami.secret)");
            return;
        } catch (IOException | org.asteriskjava.manager.TimeoutException | RuntimeException e) {
            c.abandon();
            retryLater(gen, "cannot log in to AMI at " + where + ": " + describe(e), describe(e));
            return;
        }
        synchronized (lock) {
            if (state == State.CLOSED || gen != generation) {
                c.abandon();
                return;
            }
            state = State.CONNECTED;
            nextBackoff = INITIAL_BACKOFF;
            failedAttempts = 0;
            lastProblem = null;
            reason = null;
            pingTask = scheduler.scheduleWithFixedDelay(() -> io.execute(() -> ping(gen, c)),
                    config.pingInterval().toMillis(), config.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("AMI connected to {}", where);
        notifyConnection(true, "connected to " + where);
        firstLogin.complete(null);
        reconcile(c);
    }

    /** {@code reason}: the problem in a few words for /health, without the address. */
    private void retryLater(long gen, String problem, String reason) {
        Duration delay;
        int attempt;
        synchronized (lock) {
            if (state == State.CLOSED || gen != generation) {
                return;
            }
            state = State.BACKING_OFF;
            lastProblem = problem;
            this.reason = reason;
            delay = nextBackoff;
            Duration doubled = nextBackoff.multipliedBy(2);
            nextBackoff = doubled.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : doubled;
            attempt = ++failedAttempts;
        }
        // every failed attempt is a warning until AMI is back: calls cannot be placed meanwhile
        if (attempt == 1) {
            log.warn("{}; next attempt in {} ms", problem, delay.toMillis());
        } else {
            log.warn("AMI attempt {} failed: {}; next attempt in {} ms", attempt, problem, delay.toMillis());
        }
        scheduler.schedule(() -> io.execute(this::attemptLogin), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The connection of generation {@code gen} is gone (socket closed, or no Pong): drop it and reconnect. */
    private void connectionLost(long gen, String reason) {
        AmiConnection c;
        synchronized (lock) {
            if (gen != generation || state != State.CONNECTED) {
                return;
            }
            state = State.BACKING_OFF;
            cancelPing();
            c = connection;
            originates.interruptAll();
        }
        String problem = "AMI connection to " + where + " lost: " + reason;
        notifyConnection(false, problem);
        io.execute(c::abandon);
        retryLater(gen, problem, "connection lost: " + reason);
    }

    private void cancelPing() {
        if (pingTask != null) {
            pingTask.cancel(false);
            pingTask = null;
        }
    }

    private void ping(long gen, AmiConnection c) {
        send(c, new PingAction(), pingTimeout).whenComplete((r, e) -> {
            if (e instanceof AmiTimeoutException) {
                connectionLost(gen, "no Pong within " + pingTimeout.toMillis() + " ms");
            } else if (e != null) {
                connectionLost(gen, e.getMessage());
            }
        });
    }

    private void notifyConnection(boolean connected, String detail) {
        for (ConnectionListener l : connectionListeners) {
            try {
                events.execute(() -> l.onConnectionChange(connected, detail));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                l.onConnectionChange(connected, detail);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ commands

    /**
     * Places an outbound call (async Originate). Completes with the outcome once Asterisk reports it; fails with
     * {@link AmiException} when Asterisk refuses the action or the client is not connected, and with
     * {@link AmiTimeoutException} when no outcome arrives within the request timeout plus ami.command.timeout.ms.
     */
    public CompletableFuture<OriginateResult> originate(OriginateRequest request) {
        return originate(request, "vb-" + UUID.randomUUID());
    }

    /**
     * Like {@link #originate(OriginateRequest)}, with the channel id chosen by the caller (stored before the call is
     * placed, so that the call can be found with {@link #liveChannelIds()} after a crash). It must be unique.
     */
    public CompletableFuture<OriginateResult> originate(OriginateRequest request, String channelId) {
        checkLine("channel id", channelId);
        AmiConnection c = connected();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected("originate to " + request.maskedChannel()));
        }
        String id = channelId;
        PendingOriginates.PendingOriginate p = originates.add(id, request);
        Duration deadline = request.timeout().plus(config.commandTimeout());
        ScheduledFuture<?> timer = scheduler.schedule(() -> p.fail(p.interrupted
                ? new AmiException("AMI connection lost while originating to " + request.maskedChannel()
                        + " and not back within " + deadline.toMillis() + " ms; outcome unknown")
                : new AmiTimeoutException("no OriginateResponse for " + request.maskedChannel() + " within "
                        + deadline.toMillis() + " ms")), deadline.toMillis(), TimeUnit.MILLISECONDS);
        p.future.whenComplete((r, e) -> {
            originates.remove(id);
            timer.cancel(false);
            if (r != null) {
                log.info("originate {} ({}): {} - {}", request.maskedChannel(), id, r.outcome(), r.detail());
            } else {
                log.warn("originate {} ({}) failed: {}", request.maskedChannel(), id, e.getMessage());
            }
        });
        OriginateAction a = new OriginateAction();
        a.setActionId(id);
        a.setChannelId(id);
        a.setChannel(request.channel());
        a.setContext(request.context());
        a.setExten(request.exten());
        a.setPriority(request.priority());
        if (!request.callerId().isEmpty()) {
            a.setCallerId(request.callerId());
        }
        a.setTimeout(request.timeout().toMillis());
        a.setVariables(new java.util.LinkedHashMap<>(request.variables()));
        a.setAsync(true);
        log.debug("originate {} ({})", request.maskedChannel(), id);
        send(c, a, config.commandTimeout()).whenComplete((r, e) -> {
            if (e instanceof AmiTimeoutException) {
                p.fail(new AmiTimeoutException("no response to Originate " + request.maskedChannel() + " within "
                        + config.commandTimeout().toMillis() + " ms"));
            } else if (e != null) {
                // connection lost before the response: the originate may or may not run; reconcile decides
                p.interrupted = true;
            } else if (r instanceof ManagerError) {
                p.fail(new AmiException("Asterisk refused Originate to " + request.maskedChannel() + ": "
                        + r.getMessage()));
            }
        });
        return p.future.copy();
    }

    /** The unique ids of every channel Asterisk has now (CoreShowChannels). */
    public CompletableFuture<java.util.Set<String>> liveChannelIds() {
        AmiConnection c = connected();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected("list channels"));
        }
        return sendList(c, new CoreShowChannelsAction(), "CoreShowChannels").thenApply(events -> {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (ResponseEvent ev : events) {
                if (ev instanceof CoreShowChannelEvent ch && ch.getUniqueid() != null) {
                    ids.add(ch.getUniqueid());
                }
            }
            return ids;
        });
    }

    /** Sends a channel elsewhere in the dialplan (warm transfer to an agent queue). */
    public CompletableFuture<Void> redirect(String channel, String context, String exten, int priority) {
        checkLine("channel", channel);
        checkLine("context", context);
        checkLine("exten", exten);
        return simple(new RedirectAction(channel, context, exten, priority), "Redirect of " + channel);
    }

    public CompletableFuture<Void> setVar(String channel, String name, String value) {
        checkLine("channel", channel);
        checkLine("variable name", name);
        OriginateRequest.noLineBreak("variable value", value);
        return simple(new SetVarAction(channel, name, value), "Setvar " + name + " on " + channel);
    }

    /** The value of a channel variable ("" when unset). */
    public CompletableFuture<String> getVar(String channel, String name) {
        checkLine("channel", channel);
        checkLine("variable name", name);
        AmiConnection c = connected();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected("Getvar " + name));
        }
        return send(c, new GetVarAction(channel, name), config.commandTimeout()).thenApply(r -> {
            if (r instanceof ManagerError) {
                throw new AmiException("Getvar " + name + " on " + channel + " failed: " + r.getMessage());
            }
            Object v = r instanceof GetVarResponse g ? g.getValue() : r.getAttributes().get("value");
            return v == null ? "" : v.toString();
        });
    }

    /** QueueSummary for one queue; fails when Asterisk does not know the queue. */
    public CompletableFuture<QueueState> queueSummary(String queue) {
        checkLine("queue", queue);
        return sendList(new QueueSummaryAction(queue), "QueueSummary " + queue)
                .thenApply(events -> QueueReports.summary(queue, events));
    }

    /** QueueStatus for one queue, with its members; counts are computed the way app_queue's summary does. */
    public CompletableFuture<QueueState> queueStatus(String queue) {
        checkLine("queue", queue);
        QueueStatusAction action = new QueueStatusAction();
        action.setQueue(queue);
        return sendList(action, "QueueStatus " + queue).thenApply(events -> QueueReports.status(queue, events));
    }

    private CompletableFuture<Void> simple(ManagerAction action, String what) {
        AmiConnection c = connected();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected(what));
        }
        return send(c, action, config.commandTimeout()).thenAccept(r -> {
            if (r instanceof ManagerError) {
                throw new AmiException(what + " failed: " + r.getMessage());
            }
        });
    }

    private AmiConnection connected() {
        synchronized (lock) {
            return state == State.CONNECTED ? connection : null;
        }
    }

    private AmiException notConnected(String what) {
        synchronized (lock) {
            return new AmiException("cannot " + what + ": AMI not connected ("
                    + state.name().toLowerCase(java.util.Locale.ROOT)
                    + (lastProblem == null ? "" : "; " + lastProblem) + ")");
        }
    }

    /** One action, one response; fails on timeout, on a lost connection, or when it cannot be written. */
    private CompletableFuture<ManagerResponse> send(AmiConnection c, ManagerAction action, Duration timeout) {
        CompletableFuture<ManagerResponse> f = new CompletableFuture<>();
        ScheduledFuture<?> timer = scheduler.schedule(() -> f.completeExceptionally(new AmiTimeoutException(
                "no response to " + action.getAction() + " within " + timeout.toMillis() + " ms")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((r, e) -> timer.cancel(false));
        try {
            c.sendAction(action, r -> {
                if (r == null) {
                    f.completeExceptionally(new AmiException("AMI connection lost before the response to "
                            + action.getAction()));
                } else {
                    f.complete(r);
                }
            });
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(new AmiException("cannot send " + action.getAction() + ": " + describe(e), e));
        }
        return f;
    }

    /** An action answered by a list of events and a *Complete event. */
    private CompletableFuture<List<ResponseEvent>> sendList(EventGeneratingAction action, String what) {
        AmiConnection c = connected();
        if (c == null) {
            return CompletableFuture.failedFuture(notConnected(what));
        }
        return sendList(c, action, what);
    }

    private CompletableFuture<List<ResponseEvent>> sendList(AmiConnection c, EventGeneratingAction action,
                                                            String what) {
        CompletableFuture<List<ResponseEvent>> f = new CompletableFuture<>();
        Duration timeout = config.commandTimeout();
        ScheduledFuture<?> timer = scheduler.schedule(() -> f.completeExceptionally(new AmiTimeoutException(
                "no complete answer to " + what + " within " + timeout.toMillis() + " ms")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((r, e) -> timer.cancel(false));
        try {
            c.sendEventGeneratingAction(action, (ResponseEvents re) -> {
                ManagerResponse r = re.getResponse();
                if (r instanceof ManagerError) {
                    f.completeExceptionally(new AmiException(what + " failed: " + r.getMessage()));
                } else if (r == null || !isComplete(re, action)) {
                    f.completeExceptionally(new AmiException("AMI connection lost during " + what));
                } else {
                    f.complete(List.copyOf(re.getEvents()));
                }
            });
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(new AmiException("cannot send " + what + ": " + describe(e), e));
        }
        return f;
    }

    private static boolean isComplete(ResponseEvents re, EventGeneratingAction action) {
        for (ResponseEvent e : re.getEvents()) {
            if (action.getActionCompleteEventClass().isInstance(e)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ events

    /** Runs on Asterisk-Java's event thread: settle originates, hand the rest to the listeners' thread. */
    private void onEvent(ManagerEvent e) {
        if (e instanceof DisconnectEvent) {
            return; // AmiConnection reports losses itself
        }
        originates.onEvent(e);
        if (eventListeners.isEmpty()) {
            return;
        }
        String name = AmiEvents.name(e);
        List<Consumer<AmiEvent>> targets = new ArrayList<>();
        for (Map.Entry<String, Consumer<AmiEvent>> l : eventListeners) {
            if (l.getKey().equals("*") || l.getKey().equalsIgnoreCase(name)) {
                targets.add(l.getValue());
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        AmiEvent event = converter.convert(e);
        for (Consumer<AmiEvent> t : targets) {
            try {
                events.execute(() -> {
                    try {
                        t.accept(event);
                    } catch (RuntimeException ex) {
                        log.warn("AMI event listener failed on {}: {}", event.name(), ex.toString());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException ex) {
                return; // closed
            }
        }
    }

    /** After a reconnect: settle originates whose events may have been lost while disconnected. */
    private void reconcile(AmiConnection c) {
        List<PendingOriginates.PendingOriginate> lost = originates.interrupted();
        if (lost.isEmpty()) {
            return;
        }
        log.info("AMI reconnected with {} originate(s) in flight; checking their channels", lost.size());
        sendList(c, new CoreShowChannelsAction(), "CoreShowChannels").whenComplete((events, e) -> {
            if (e != null) {
                log.warn("cannot check channels after AMI reconnect ({}); in-flight originates wait for their "
                        + "events or time out", e.getMessage());
                return;
            }
            Map<String, CoreShowChannelEvent> live = new HashMap<>();
            for (ResponseEvent ev : events) {
                if (ev instanceof CoreShowChannelEvent ch && ch.getUniqueid() != null) {
                    live.put(ch.getUniqueid(), ch);
                }
            }
            for (PendingOriginates.PendingOriginate p : lost) {
                p.reconciled(live.get(p.id));
            }
        });
    }

    private static void checkLine(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        OriginateRequest.noLineBreak(field, value);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
