package io.voicebot.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An in-process Asterisk Manager Interface on a real TCP port, speaking manager.c's wire format: banner, Challenge
 * and Login (plain Secret or MD5 Key), Ping, Logoff, Events, CoreSettings, Originate (async, with scripted outcomes
 * producing Newchannel / DialEnd / OriginateResponse / Hangup events), Redirect, Setvar, Getvar, CoreShowChannels,
 * QueueSummary and QueueStatus. Anything else gets "Invalid/unknown command" like Asterisk.
 *
 * <p>Test controls: {@link #dropConnections()}, {@link #silence(boolean)} (read but never answer, like a hung
 * Asterisk), {@link #stop()} and {@link #restart()} on the same port. Write permissions from manager.conf are not
 * modelled: an authenticated session may run every action.
 */
public final class AmiPeer implements AutoCloseable {

    /** What happens to an originated call, with the events Asterisk sends for it. */
    public enum Outcome {
        /** DialEnd ANSWER, OriginateResponse Success reason 4; the channel stays up. */
        ANSWER,
        /** DialEnd BUSY, OriginateResponse Failure reason 5, Hangup cause 17. */
        BUSY,
        /** DialEnd CANCEL (dial timeout), OriginateResponse Failure reason 3, Hangup cause 16. */
        NO_ANSWER,
        /** DialEnd CONGESTION, OriginateResponse Failure reason 8, Hangup cause 34. */
        CONGESTION,
        /** No channel could be created: only OriginateResponse Failure reason 0. */
        CHANUNAVAIL,
        /** Far end declined: DialEnd NOANSWER (dial.c maps cause 21 so), reason 1, Hangup cause 21. */
        REJECT,
        /** Newchannel, then nothing: the call rings forever and no OriginateResponse comes. */
        NEVER
    }

    static final String AMI_VERSION = "9.0.0";
    static final String ASTERISK_VERSION = "20.10.0";

    private final String username;
    private volatile String secret;
    private volatile Clock clock = Clock.systemUTC();
    private volatile Supplier<String> challenges;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private volatile Script defaultScript = new Script(Outcome.ANSWER, Duration.ZERO);
    private final Map<String, AmiQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, PeerChannel> channels = new ConcurrentHashMap<>();
    /** Global dialplan variables (Setvar without Channel). */
    final Map<String, String> globals = new ConcurrentHashMap<>();
    private final List<AmiMessage> received = new CopyOnWriteArrayList<>();
    private final List<Consumer<OriginatedCall>> answeredHooks = new CopyOnWriteArrayList<>();
    private final Set<AmiPeerSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger channelSeq = new AtomicInteger();
    private final AtomicInteger uniqueSeq = new AtomicInteger();
    private final long startedAt;

    private volatile boolean silent;
    private ServerSocket server;
    private Thread acceptor;
    private int port;
    private ScheduledExecutorService scheduler;

    private record Script(Outcome outcome, Duration ringTime) {}

    public AmiPeer(String username, String secret) {
        this.username = username;
        this.secret = secret;
        this.challenges = () -> String.valueOf(random.nextInt(Integer.MAX_VALUE));
        this.startedAt = System.currentTimeMillis();
    }

    /** Changes the secret logins must match, as editing manager.conf and "manager reload" would. */
    public AmiPeer secret(String secret) {
        this.secret = secret;
        return this;
    }

    /** A fixed clock makes Ping timestamps and generated uniqueids reproducible (wire fixtures). */
    public AmiPeer clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The MD5 challenge to hand out; random by default. */
    public AmiPeer challenges(Supplier<String> challenges) {
        this.challenges = challenges;
        return this;
    }

    /** Starts listening on 127.0.0.1:{@code port} (0 picks a free port) and returns the port. */
    public synchronized int start(int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("AMI peer already started on port " + this.port);
        }
        ServerSocket ss = port == 0 ? bindBelowEphemeralRange() : bind(port);
        server = ss;
        this.port = ss.getLocalPort();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ami-peer-calls");
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(() -> acceptLoop(ss), "ami-peer-accept-" + this.port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this.port;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        return ss;
    }

    /**
     * A free port below Linux's ephemeral range (32768+): {@link #restart()} rebinds the same port, and a port the
     * kernel handed out could meanwhile be the local end of some other outgoing connection (seen in CI).
     */
    private static ServerSocket bindBelowEphemeralRange() throws IOException {
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        IOException last = null;
        for (int i = 0; i < 200; i++) {
            try {
                return bind(20_000 + rnd.nextInt(12_000));
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no free port between 20000 and 32000 for the AMI peer", last);
    }

    public synchronized int port() {
        return port;
    }

    /** Closes the listener and every session; channels are gone, as after an Asterisk crash. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listener cannot fail in a way that matters here
        }
        server = null;
        dropConnections();
        scheduler.shutdownNow();
        channels.clear();
    }

    /**
     * Stops and starts again on the same port. Like a restarting Asterisk, it retries the bind for a while: the
     * kernel can refuse the port for a moment while the old connections are being closed (seen in CI).
     */
    public synchronized void restart() throws IOException, InterruptedException {
        int p = port;
        stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                start(p);
                return;
            } catch (java.net.BindException e) {
                if (System.nanoTime() > deadline) {
                    throw new java.net.BindException("AMI peer cannot listen on port " + p + " again after 10 s: "
                            + e.getMessage());
                }
                Thread.sleep(50); // the port is not free yet: retry, as a restarting Asterisk would
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Closes every TCP session at once, as a network cut or a "manager reload" with changed users would. */
    public void dropConnections() {
        for (AmiPeerSession s : sessions) {
            s.close();
        }
        sessions.clear();
    }

    /** While silent the peer keeps reading but answers nothing and sends no events. */
    public void silence(boolean silent) {
        this.silent = silent;
    }

    boolean isSilent() {
        return silent;
    }

    /** The outcome for calls to {@code number} (the part of the Originate Channel between '/' and '@'). */
    public void script(String number, Outcome outcome, Duration ringTime) {
        scripts.put(number, new Script(outcome, ringTime));
    }

    public void defaultOutcome(Outcome outcome, Duration ringTime) {
        defaultScript = new Script(outcome, ringTime);
    }

    /** Called (on the peer's call thread) once an originated call is answered. */
    public void onAnswered(Consumer<OriginatedCall> hook) {
        answeredHooks.add(hook);
    }

    public void queue(AmiQueue queue) {
        queues.put(queue.name(), queue);
    }

    /** Every action received, in order, including those received while silent. */
    public List<AmiMessage> received() {
        return List.copyOf(received);
    }

    public List<AmiMessage> received(String action) {
        List<AmiMessage> out = new ArrayList<>();
        for (AmiMessage m : received) {
            if (m.isAction(action)) {
                out.add(m);
            }
        }
        return out;
    }

    /** TCP connections accepted since this peer was created. */
    public int connectionCount() {
        return connections.get();
    }

    public int loginCount() {
        return logins.get();
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Channel variables set on a live channel (by Originate's Variable headers or Setvar), or null. */
    public Map<String, String> channelVariables(String channelName) {
        PeerChannel c = byName(channelName);
        return c == null ? null : c.snapshotVariables();
    }

    /** Where the last Redirect sent a channel: "context,exten,priority", or null. */
    public String location(String channelName) {
        PeerChannel c = byName(channelName);
        return c == null ? null : c.context + "," + c.exten + "," + c.priority;
    }

    public List<String> channelNames() {
        return channels.values().stream().map(c -> c.name).sorted().toList();
    }

    /** Hangs a live channel up with {@code cause} and sends its Hangup event. */
    public void hangup(String channelName, int cause) {
        PeerChannel c = byName(channelName);
        if (c != null) {
            channels.remove(c.uniqueId);
            broadcast(c.hangupEvent(cause));
        }
    }

    // ---------------------------------------------------------------- internals used by AmiPeerSession

    boolean authenticate(AmiMessage login, String challenge) {
        if (!username.equals(login.get("Username"))) {
            return false;
        }
        if (login.get("AuthType").equalsIgnoreCase("MD5")) {
            return challenge != null && md5Hex(challenge + secret).equalsIgnoreCase(login.get("Key"));
        }
        return secret.equals(login.get("Secret"));
    }

    String newChallenge() {
        return challenges.get();
    }

    long uptimeSeconds() {
        return Math.max(0, (clock.millis() - startedAt) / 1000);
    }

    Clock clock() {
        return clock;
    }

    void loggedIn() {
        logins.incrementAndGet();
    }

    void record(AmiMessage m) {
        received.add(m);
    }

    void ended(AmiPeerSession s) {
        sessions.remove(s);
    }

    AmiQueue queueNamed(String name) {
        for (AmiQueue q : queues.values()) {
            if (q.name().equalsIgnoreCase(name)) {
                return q;
            }
        }
        return null;
    }

    List<AmiQueue> queuesMatching(String filter) {
        List<AmiQueue> out = new ArrayList<>();
        for (AmiQueue q : queues.values()) {
            if (filter.isEmpty() || q.name().equalsIgnoreCase(filter)) {
                out.add(q);
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    List<PeerChannel> liveChannels() {
        List<PeerChannel> out = new ArrayList<>(channels.values());
        out.sort((a, b) -> a.name.compareTo(b.name));
        return out;
    }

    PeerChannel byName(String name) {
        for (PeerChannel c : channels.values()) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Sends an event to every logged-in session that wants events (manager.c's manager_event). */
    void broadcast(String event) {
        if (silent) {
            return;
        }
        for (AmiPeerSession s : sessions) {
            s.sendEvent(event);
        }
    }

    /**
     * Plays the scripted call for an accepted async Originate; events go out on the peer's call thread after the
     * "Originate successfully queued" response, as Asterisk's fast_originate thread does.
     */
    void startCall(AmiMessage originate) {
        String dial = originate.get("Channel");
        int slash = dial.indexOf('/');
        String tech = dial.substring(0, slash);
        String resource = dial.substring(slash + 1);
        int at = resource.indexOf('@');
        String number = at < 0 ? resource : resource.substring(0, at);
        String endpoint = at < 0 ? resource : resource.substring(at + 1);
        Script script = scripts.getOrDefault(number, defaultScript);
        String uniqueId = originate.get("ChannelId").isEmpty()
                ? clock.instant().getEpochSecond() + "." + uniqueSeq.getAndIncrement()
                : originate.get("ChannelId");
        PeerChannel c = new PeerChannel();
        c.name = tech + "/" + endpoint + "-" + String.format("%08x", channelSeq.getAndIncrement());
        c.uniqueId = uniqueId;
        c.number = number;
        String[] cid = parseCallerId(originate.get("CallerID"));
        c.callerIdName = cid[0];
        c.callerIdNum = cid[1];
        c.context = originate.get("Context");
        c.exten = originate.get("Exten");
        c.priority = originate.get("Priority").isEmpty() ? 1 : Integer.parseInt(originate.get("Priority"));
        for (String v : originate.all("Variable")) {
            // Asterisk accepts several NAME=value pairs in one header, separated by ','
            for (String pair : v.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    c.variables.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                }
            }
        }
        String idText = originate.get("ActionID");
        String requested = dial;
        ScheduledExecutorService sched;
        synchronized (this) {
            sched = scheduler;
        }
        if (sched == null || sched.isShutdown()) {
            return;
        }
        sched.execute(() -> {
            if (script.outcome() != Outcome.CHANUNAVAIL) {
                channels.put(c.uniqueId, c);
                broadcast(c.event("Newchannel", ""));
            }
        });
        sched.schedule(() -> finishCall(script.outcome(), c, idText, requested, originate),
                script.ringTime().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finishCall(Outcome outcome, PeerChannel c, String actionId, String requested, AmiMessage req) {
        switch (outcome) {
            case ANSWER -> {
                c.state = 6;
                broadcast(c.dialEnd("ANSWER"));
                broadcast(originateResponse(req, actionId, "Success", c.name, 4, c));
                OriginatedCall call = new OriginatedCall(c.number, c.name, c.uniqueId, c.context, c.exten,
                        c.priority, req.get("CallerID"), c.snapshotVariables());
                for (Consumer<OriginatedCall> hook : answeredHooks) {
                    hook.accept(call);
                }
            }
            case BUSY -> failed(c, req, actionId, "BUSY", 5, 17);
            case NO_ANSWER -> failed(c, req, actionId, "CANCEL", 3, 16);
            case CONGESTION -> failed(c, req, actionId, "CONGESTION", 8, 34);
            case REJECT -> failed(c, req, actionId, "NOANSWER", 1, 21);
            case CHANUNAVAIL -> broadcast(originateResponse(req, actionId, "Failure", requested, 0, c));
            case NEVER -> { }
        }
    }

    /**
     * A failed call: DialEnd, then OriginateResponse, then Hangup. Asterisk delivers Hangup through stasis, so it
     * commonly reaches AMI clients after the OriginateResponse; the client must cope with that order.
     */
    private void failed(PeerChannel c, AmiMessage req, String actionId, String dialStatus, int reason, int cause) {
        broadcast(c.dialEnd(dialStatus));
        broadcast(originateResponse(req, actionId, "Failure", c.name, reason, c));
        if (channels.remove(c.uniqueId) != null) {
            broadcast(c.hangupEvent(cause));
        }
    }

    private String originateResponse(AmiMessage req, String actionId, String response, String channel, int reason,
                                     PeerChannel c) {
        AmiWireCodec.Out o = AmiWireCodec.out().header("Event", "OriginateResponse").header("Privilege", "call,all");
        if (!actionId.isEmpty()) {
            o.header("ActionID", actionId);
        }
        o.header("Response", response).header("Channel", channel);
        if (!req.get("Application").isEmpty()) {
            o.header("Application", req.get("Application")).header("Data", req.get("Data"));
        } else {
            o.header("Context", req.get("Context")).header("Exten", req.get("Exten"));
        }
        return o.header("Reason", reason).header("Uniqueid", c.uniqueId.isEmpty() ? "<unknown>" : c.uniqueId)
                .header("CallerIDNum", c.callerIdNum).header("CallerIDName", c.callerIdName).end();
    }

    /** "Name <number>", "<number>", "number" or "Name", like ast_callerid_parse; missing parts are "<unknown>". */
    static String[] parseCallerId(String cid) {
        String name = "";
        String num = "";
        int lt = cid.indexOf('<');
        int gt = cid.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            name = cid.substring(0, lt).trim().replace("\"", "");
            num = cid.substring(lt + 1, gt).trim();
        } else if (cid.trim().matches("[+0-9*#]+")) {
            num = cid.trim();
        } else {
            name = cid.trim();
        }
        return new String[] {name.isEmpty() ? "<unknown>" : name, num.isEmpty() ? "<unknown>" : num};
    }

    static String md5Hex(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 missing from the JDK", e);
        }
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket socket;
            try {
                socket = ss.accept();
            } catch (IOException e) {
                return; // listener closed by stop()
            }
            connections.incrementAndGet();
            AmiPeerSession s = new AmiPeerSession(this, socket);
            sessions.add(s);
            Thread t = new Thread(s, "ami-peer-session-" + connections.get());
            t.setDaemon(true);
            t.start();
        }
    }
}
