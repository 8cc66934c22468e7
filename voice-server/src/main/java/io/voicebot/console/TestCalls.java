package io.voicebot.console;

import io.voicebot.sim.CallPlacer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.speech.tts.PromptCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Test calls from the console: a simulated caller phones this server through its own FastAGI and AudioSocket
 * listeners, as Asterisk would (the same path as {@code voicebot simulate-call --server}), and speaks or keys
 * the replies given. One call at a time on its own thread, a short queue behind it: a test call is an ordinary
 * call for the server and must never crowd out live ones. The finished call is read like any other
 * (GET /api/calls/{id}).
 */
public final class TestCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestCalls.class);
    static final int MAX_REPLIES = 20;
    static final int MAX_REPLY_CHARS = 200;
    private static final int KEEP = 50;
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);
    private static final int LINE_RATE = 8000;

    /** What the console polls: {@code state} queued, running, done or failed; {@code callId} once done. */
    public record Status(String id, String dialog, String state, String callId, String outcome, String error,
                         String requestedAt) {}

    private final String host;
    private final IntSupplier agiPort;
    private final IntSupplier audioSocketPort;
    private final PromptCache voices;
    private final Clock clock;
    private final Map<String, Status> runs = new LinkedHashMap<>();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(3), r -> {
                Thread t = new Thread(r, "console-test-call");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });

    /** {@code host}: where this server's AGI and AudioSocket listeners are reached from this machine. */
    public TestCalls(String host, IntSupplier agiPort, IntSupplier audioSocketPort, PromptCache voices, Clock clock) {
        this.host = host;
        this.agiPort = agiPort;
        this.audioSocketPort = audioSocketPort;
        this.voices = voices;
        this.clock = clock;
    }

    /**
     * Queues a call to {@code dialog}; replies: "#12" presses keys, "" stays silent through a prompt, anything
     * else is said. Throws IllegalStateException when the queue is full.
     */
    public Status start(String dialog, List<String> replies, Map<String, String> vars, String callerNumber,
                        boolean inbound) {
        String id = UUID.randomUUID().toString();
        Status queued = new Status(id, dialog, "queued", null, null, null, clock.instant().toString());
        remember(queued);
        try {
            worker.execute(() -> run(queued, replies, vars, callerNumber, inbound));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            forget(id);
            throw new IllegalStateException("too many test calls waiting; try again when the current one ends");
        }
        return queued;
    }

    public Optional<Status> find(String id) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(id));
        }
    }

    private void run(Status s, List<String> says, Map<String, String> vars, String number, boolean inbound) {
        remember(new Status(s.id(), s.dialog(), "running", null, null, null, s.requestedAt()));
        try {
            List<SimulatedCaller.Reply> replies = new ArrayList<>();
            for (String say : says) {
                if (say.isEmpty()) {
                    replies.add(new SimulatedCaller.Reply.Silence());
                } else if (say.startsWith("#")) {
                    replies.add(new SimulatedCaller.Reply.Keys(say.substring(1)));
                } else {
                    replies.add(new SimulatedCaller.Reply.Speak(say,
                            voices.render(say, LINE_RATE).get(60, TimeUnit.SECONDS)));
                }
            }
            // Quiet 1.2 s ends a robot prompt; 30 s without one ends the caller's part (as simulate-call).
            SimulatedCaller caller = new SimulatedCaller(replies, 1200, 30_000);
            CallPlacer placer = new CallPlacer(host, agiPort.getAsInt(), audioSocketPort.getAsInt());
            SimulatedCall call = inbound ? placer.inbound(s.dialog(), vars, number, caller)
                    : placer.outbound(s.dialog(), vars, number, caller);
            CallPlacer.Placed placed = placer.await(call, CALL_TIMEOUT);
            remember(new Status(s.id(), s.dialog(), "done", placed.id().toString(),
                    placed.agi().variables().get("VOICEBOT_OUTCOME"), null, s.requestedAt()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remember(new Status(s.id(), s.dialog(), "failed", null, null, "the server is stopping",
                    s.requestedAt()));
        } catch (Exception e) {
            log.warn("console test call of dialog {} failed: {}", s.dialog(), e.toString());
            remember(new Status(s.id(), s.dialog(), "failed", null, null, "the test call did not complete: "
                    + plain(e), s.requestedAt()));
        }
    }

    /** A message for people: the cause's own words, without class names. */
    private static String plain(Exception e) {
        Throwable t = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        String m = t.getMessage();
        return m == null || m.isBlank() ? "no answer from the call (timed out)" : m;
    }

    private void remember(Status s) {
        synchronized (runs) {
            runs.put(s.id(), s);
            while (runs.size() > KEEP) {
                runs.remove(runs.keySet().iterator().next());
            }
        }
    }

    private void forget(String id) {
        synchronized (runs) {
            runs.remove(id);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
