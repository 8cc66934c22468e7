package io.voicebot.sim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated channel running a FastAGI script, answering commands as res_agi.c does, including
 * EXEC AudioSocket (which connects an {@link AudioSocketPeer} and blocks until that session ends).
 */
public final class SimulatedCall {
    private static final Logger log = LoggerFactory.getLogger(SimulatedCall.class);
    private static final int STATE_RING = 4;
    private static final int STATE_UP = 6;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern VAR_REF = Pattern.compile("\\$\\{([^}]*)}");
    /** Placed into voicebot-outbound (agi:///outbound...), which routes differently from the inbound context. */
    private volatile boolean outbound;

    /** How the AGI ended and what the dialplan of dialplans/extensions_voicebot.conf does next. */
    public record Result(String agiStatus, boolean hungUp, Map<String, String> variables, boolean outbound) {
        /** "queue:&lt;name&gt;" or "hangup", as the voicebot contexts route on VOICEBOT_NEXT. */
        public String dialplanNext() {
            if (hungUp) {
                return "hangup";
            }
            String next = variables.getOrDefault("VOICEBOT_NEXT", "");
            // voicebot-outbound hangs up unless voicebot asked for the queue; voicebot-inbound sends everything
            // else to the agents, including no answer from voicebot.
            if (outbound ? !next.equals("queue") : next.equals("hangup")) {
                return "hangup";
            }
            String queue = variables.getOrDefault("VOICEBOT_QUEUE", "");
            return "queue:" + (queue.isEmpty() ? "voicebot-agents" : queue);
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final String channelName;
    private final Map<String, Integer> sounds;
    private final Map<String, String> vars = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    private final List<String> commandsSeen = Collections.synchronizedList(new ArrayList<>());
    private final List<String> verbose = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final CompletableFuture<AudioSocketPeer> audioSocket = new CompletableFuture<>();
    private final Object lock = new Object();
    private volatile Consumer<AudioSocketPeer> onAudioSocket = p -> { };
    private volatile int state = STATE_RING;
    private volatile int audioSocketRate = 8000;
    private volatile boolean audioIdleFrames = true;
    // guarded by lock
    private boolean executing;
    private boolean hungUp;
    private boolean hangupSent;
    private AudioSocketPeer activeAudio;

    private SimulatedCall(Socket socket, String channelName, Map<String, Integer> sounds) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
        this.channelName = channelName;
        this.sounds = sounds;
    }

    static SimulatedCall start(String host, int port, String script, Map<String, String> initialVars,
                               String callerId, List<String> args, String uniqueId, String channel,
                               Map<String, Integer> sounds, java.util.function.Consumer<SimulatedCall> setup)
            throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5000);
        SimulatedCall call = new SimulatedCall(s, channel, sounds);
        call.vars.putAll(initialVars);
        call.outbound = script.replaceFirst("^/", "").startsWith("outbound");
        setup.accept(call); // before the environment goes out, so hooks are in place when voicebot answers
        String path = script.startsWith("/") ? script.substring(1) : script;
        StringBuilder env = new StringBuilder();
        // launch_netscript, then setup_env, in res_agi.c's order.
        env.append("agi_network: yes\n");
        if (!path.isEmpty()) {
            env.append("agi_network_script: ").append(path).append('\n');
        }
        String number = callerId == null || callerId.isEmpty() ? "unknown" : callerId;
        env.append("agi_request: agi://").append(host).append(':').append(port).append('/').append(path).append('\n')
                .append("agi_channel: ").append(channel).append('\n')
                .append("agi_language: en\n")
                .append("agi_type: PJSIP\n")
                .append("agi_uniqueid: ").append(uniqueId).append('\n')
                .append("agi_version: 20.0.0-voicebot-sim\n")
                .append("agi_callerid: ").append(number).append('\n')
                .append("agi_calleridname: unknown\n")
                .append("agi_callingpres: 0\n")
                .append("agi_callingani2: 0\n")
                .append("agi_callington: 0\n")
                .append("agi_callingtns: 0\n")
                .append("agi_dnid: ").append(initialVars.getOrDefault("DNID", "unknown")).append('\n')
                .append("agi_rdnis: unknown\n")
                .append("agi_context: ").append(initialVars.getOrDefault("CONTEXT", "voicebot-inbound")).append('\n')
                .append("agi_extension: s\n")
                .append("agi_priority: 2\n")
                .append("agi_enhanced: 0.0\n")
                .append("agi_accountcode: \n")
                .append("agi_threadid: ").append(Thread.currentThread().getId()).append('\n');
        for (int i = 0; i < args.size(); i++) {
            env.append("agi_arg_").append(i + 1).append(": ").append(args.get(i)).append('\n');
        }
        env.append('\n');
        call.send(env.toString());
        Thread t = new Thread(call::commandLoop, "sim-call-" + uniqueId);
        t.setDaemon(true);
        t.start();
        return call;
    }

    /** Digits the caller will press, in order (consumed by WAIT FOR DIGIT and playback escape digits). */
    public SimulatedCall pressDigits(String keys) {
        for (char c : keys.toCharArray()) {
            digits.add(c);
        }
        return this;
    }

    /** Runs when EXEC AudioSocket has connected: feed caller audio or DTMF through the peer there. */
    public SimulatedCall onAudioSocket(Consumer<AudioSocketPeer> hook) {
        this.onAudioSocket = hook;
        return this;
    }

    /** Options for the AudioSocket leg: sample rate and whether the channel sends silence while idle. */
    public SimulatedCall audioSocketOptions(int sampleRate, boolean idleFrames) {
        this.audioSocketRate = sampleRate;
        this.audioIdleFrames = idleFrames;
        return this;
    }

    /** The AudioSocket leg, once EXEC AudioSocket connected it. */
    public CompletableFuture<AudioSocketPeer> audioSocket() {
        return audioSocket;
    }

    /** The caller hangs up now. */
    public void hangup() {
        AudioSocketPeer audio;
        boolean sendNow;
        synchronized (lock) {
            if (hungUp) {
                return;
            }
            hungUp = true;
            audio = activeAudio;
            sendNow = !executing;
        }
        digits.add('\0'); // wakes WAIT FOR DIGIT
        if (audio != null) {
            audio.hangupCaller();
        }
        if (sendNow) {
            sendHangupLine();
        }
    }

    /**
     * The FastAGI connection drops without a HANGUP line (Asterisk restarted, network cut); the AudioSocket leg is
     * left as it is.
     */
    public void dropAgi() throws IOException {
        socket.close();
    }

    public Map<String, String> variables() {
        return Map.copyOf(vars);
    }

    public List<String> commands() {
        return List.copyOf(commandsSeen);
    }

    public List<String> verboseMessages() {
        return List.copyOf(verbose);
    }

    public CompletableFuture<Result> result() {
        return result;
    }

    /** Waits until the AGI script closed the connection. */
    public Result awaitEnd(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("simulated call failed", e.getCause());
        }
    }

    private void commandLoop() {
        String status = "SUCCESS";
        try {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lock) {
                    executing = true;
                }
                commandsSeen.add(line);
                boolean failure = handle(line);
                boolean dead;
                synchronized (lock) {
                    executing = false;
                    dead = hungUp;
                }
                if (failure && !dead) {
                    status = "FAILURE"; // RESULT_FAILURE not caused by a hangup
                }
                if (dead) {
                    sendHangupLine();
                }
            }
        } catch (IOException e) {
            log.debug("simulated call socket ended: {}", e.toString());
        } finally {
            boolean dead;
            synchronized (lock) {
                dead = hungUp;
            }
            vars.put("AGISTATUS", dead ? "HANGUP" : status);
            try {
                socket.close();
            } catch (IOException ignored) {
                // done anyway
            }
            result.complete(new Result(vars.get("AGISTATUS"), dead, Map.copyOf(vars), outbound));
        }
    }

    private void sendHangupLine() {
        synchronized (lock) {
            if (hangupSent) {
                return;
            }
            hangupSent = true;
        }
        try {
            send("HANGUP\n");
        } catch (IOException e) {
            log.debug("could not send HANGUP: {}", e.toString());
        }
    }

    private void send(String text) throws IOException {
        synchronized (out) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Returns true when the handler returned RESULT_FAILURE. */
    private boolean handle(String line) throws IOException {
        List<String> argv = AgiCommandLine.parseArgs(line);
        AgiCommandLine.Command c = AgiCommandLine.find(argv);
        if (c == null) {
            send("510 Invalid or unknown command\n");
            return false;
        }
        boolean dead;
        synchronized (lock) {
            dead = hungUp;
        }
        if (dead && !c.deadOk()) {
            send("511 Command Not Permitted on a dead channel or intercept routine\n");
            return false;
        }
        int argc = argv.size();
        String name = String.join(" ", c.words());
        Integer failed = switch (name) {
            case "answer" -> {
                state = STATE_UP;
                reply("200 result=0");
                yield 0;
            }
            case "channel status" -> {
                if (argc == 2) {
                    reply("200 result=" + state);
                } else if (argc == 3) {
                    reply("200 result=" + (argv.get(2).equals(channelName) ? state : -1));
                } else {
                    yield null;
                }
                yield 0;
            }
            case "exec" -> argc < 2 ? null : exec(argv.get(1), argc == 2 ? "" : argv.get(2));
            case "get full variable" -> {
                if (argc != 4 && argc != 5) {
                    yield null;
                }
                if (argc == 5 && !argv.get(4).equals(channelName)) {
                    reply("200 result=0");
                } else {
                    reply("200 result=1 (" + substitute(argv.get(3)) + ")");
                }
                yield 0;
            }
            case "get variable" -> {
                if (argc != 3) {
                    yield null;
                }
                String v = variable(argv.get(2));
                reply(v == null ? "200 result=0" : "200 result=1 (" + v + ")");
                yield 0;
            }
            case "hangup" -> {
                if (argc > 2) {
                    yield null;
                }
                if (argc == 2 && !argv.get(1).equals(channelName)) {
                    reply("200 result=-1");
                    yield 0;
                }
                reply("200 result=1");
                synchronized (lock) {
                    hungUp = true; // soft hangup: the loop reports HANGUP after this reply
                }
                yield 0;
            }
            case "noop" -> {
                reply("200 result=0");
                yield 0;
            }
            case "say digits" -> {
                if (argc != 4 || !argv.get(2).matches("-?\\d+")) {
                    yield null;
                }
                int digit = escapeDigit(argv.get(3));
                reply("200 result=" + digit);
                yield 0;
            }
            case "set autohangup" -> {
                if (argc != 3) {
                    yield null;
                }
                double seconds;
                try {
                    seconds = Double.parseDouble(argv.get(2));
                } catch (NumberFormatException e) {
                    yield null;
                }
                if (seconds > 0) {
                    CompletableFuture.delayedExecutor((long) (seconds * 1000), TimeUnit.MILLISECONDS)
                            .execute(this::hangup);
                }
                reply("200 result=0");
                yield 0;
            }
            case "set variable" -> {
                if (argc != 4) {
                    yield null;
                }
                vars.put(argv.get(2), argv.get(3));
                reply("200 result=1");
                yield 0;
            }
            case "stream file" -> {
                if (argc < 4 || argc > 5) {
                    yield null;
                }
                long offset = 0;
                if (argc > 4) {
                    try {
                        offset = Long.parseLong(argv.get(4));
                    } catch (NumberFormatException e) {
                        yield null;
                    }
                }
                Integer length = sounds.get(argv.get(2));
                if (length == null) {
                    reply("200 result=-1 endpos=" + offset);
                    yield 1;
                }
                int digit = escapeDigit(argv.get(3));
                long endpos = digit > 0 ? Math.min(length, offset + length / 2) : length;
                reply("200 result=" + digit + " endpos=" + endpos);
                vars.put("PLAYBACKSTATUS", "SUCCESS");
                yield 0;
            }
            case "verbose" -> {
                if (argc < 2) {
                    yield null;
                }
                verbose.add(argv.get(1));
                reply("200 result=1");
                yield 0;
            }
            case "wait for digit" -> {
                if (argc != 4) {
                    yield null;
                }
                int timeout;
                try {
                    timeout = Integer.parseInt(argv.get(3));
                } catch (NumberFormatException e) {
                    yield null;
                }
                int res = waitForDigit(timeout);
                reply("200 result=" + res);
                yield res >= 0 ? 0 : 1;
            }
            default -> throw new IllegalStateException(name);
        };
        if (failed == null) {
            send("520-Invalid command syntax.  Proper usage follows:\n" + c.usage() + "\n520 End of proper usage.\n");
            return false;
        }
        return failed == 1;
    }

    private void reply(String line) throws IOException {
        send(line + "\n");
    }

    private int escapeDigit(String escapeDigits) {
        Character next = digits.peek();
        if (next != null && next != '\0' && escapeDigits.indexOf(next) >= 0) {
            digits.poll();
            return next;
        }
        return 0;
    }

    private int waitForDigit(int timeoutMs) {
        try {
            Character d = timeoutMs < 0 ? digits.take() : digits.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (d == null) {
                return 0;
            }
            return d == '\0' ? -1 : d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String variable(String name) {
        if (name.equals("CHANNEL")) {
            return channelName;
        }
        return vars.get(name);
    }

    private String substitute(String expression) {
        Matcher m = VAR_REF.matcher(expression);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = variable(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Runs a dialplan application; returns its result like pbx_exec (-2: no such application). */
    private int exec(String app, String data) throws IOException {
        int res = switch (app.toLowerCase(Locale.ROOT)) {
            case "audiosocket" -> audioSocket(data);
            case "noop" -> 0;
            case "set" -> {
                int eq = data.indexOf('=');
                if (eq > 0) {
                    vars.put(data.substring(0, eq), data.substring(eq + 1));
                }
                yield 0;
            }
            default -> {
                log.warn("simulated channel {}: could not find application ({})", channelName, app);
                yield -2;
            }
        };
        reply("200 result=" + res);
        return 0; // handle_exec returns res itself, which the AGI loop never treats as RESULT_FAILURE
    }

    /** app_audiosocket.c audiosocket_exec + audiosocket_run. */
    private int audioSocket(String data) {
        String[] args = data.split(",", -1);
        String id = args[0].strip();
        if (id.isEmpty() || !UUID_TEXT.matcher(id).matches()) {
            log.warn("simulated AudioSocket: failed to parse UUID '{}'", id);
            return -1;
        }
        if (args.length < 2 || args[1].isBlank()) {
            return -1;
        }
        String server = args[1].strip();
        int colon = server.lastIndexOf(':');
        if (colon < 0) {
            return -1; // PARSE_PORT_REQUIRE
        }
        String host = server.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
        AudioSocketPeer peer;
        try {
            peer = AudioSocketPeer.connect(host, port, UUID.fromString(id), audioSocketRate, audioIdleFrames);
        } catch (IOException e) {
            log.warn("simulated AudioSocket: connecting to {} failed: {}", server, e.toString());
            return -1;
        }
        if (state != STATE_UP) {
            peer.close(); // "Channel is not answered"
            return -1;
        }
        boolean dead;
        synchronized (lock) {
            activeAudio = peer;
            dead = hungUp;
        }
        if (dead) {
            peer.hangupCaller();
        }
        audioSocket.complete(peer);
        try {
            onAudioSocket.accept(peer);
        } catch (RuntimeException e) {
            log.warn("onAudioSocket hook failed", e);
        }
        int res = peer.result().join();
        synchronized (lock) {
            activeAudio = null;
        }
        return res;
    }
}
