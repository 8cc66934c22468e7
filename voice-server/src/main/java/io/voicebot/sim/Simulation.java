package io.voicebot.sim;

import io.voicebot.VoicebotServer;
import io.voicebot.call.CallService;
import io.voicebot.config.Settings;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.store.CallStore;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.ListStore;
import io.voicebot.telephony.ami.OriginateRequest;
import io.voicebot.telephony.ami.OriginateResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A voicebot server on embedded defaults (H2 in a temporary directory, ports chosen by the system) with the
 * in-process Asterisk in front of it: calls go through the real FastAGI, AudioSocket and AMI protocols, and a
 * {@link SimulatedCaller} answers with synthesized speech. Used by {@code voicebot demo}, {@code simulate-call},
 * the end-to-end tests and the latency benchmark.
 */
public final class Simulation implements AutoCloseable {
    private static final String AMI_SECRET = "simulation-" + UUID.randomUUID();

    /** Everything known about one finished call: what the store holds and what the dialplan would do next. */
    public record CallReport(UUID id, CallStore.CallRecord call, List<CallStore.Turn> turns,
                             List<CallStore.Answer> answers, SimulatedCall.Result agi,
                             List<SimulatedCaller.Event> callerEvents, List<Long> latenciesMs) {
        public String outcome() {
            return call.outcome();
        }
    }

    private final Path dataDir;
    private final AmiPeer ami;
    private final VoicebotServer server;
    private final CallPlacer placer;
    private final Map<UUID, CompletableFuture<CallService.EndedCall>> ended = new ConcurrentHashMap<>();
    private final Map<String, Pending> pendingOriginates = new ConcurrentHashMap<>();
    private volatile Function<OriginatedCall, SimulatedCaller> responder;
    private volatile Duration ring = Duration.ofMillis(300);
    private final List<CompletableFuture<CallPlacer.Placed>> campaignCalls = new CopyOnWriteArrayList<>();

    private Simulation(Path dataDir, AmiPeer ami, VoicebotServer server) {
        this.dataDir = dataDir;
        this.ami = ami;
        this.server = server;
        this.placer = new CallPlacer("127.0.0.1", server.agiPort(), server.audioSocketPort());
        server.callService().addListener(e -> ended.computeIfAbsent(e.id(), k -> new CompletableFuture<>())
                .complete(e));
        ami.onAnswered(this::answered);
    }

    /** An originated call whose answer the simulation waits for: the caller to put on it. */
    private record Pending(SimulatedCaller caller, CompletableFuture<SimulatedCall> answered) {}

    /** What the voicebot-outbound context does with an answered channel: AGI with the attempt id. */
    private void answered(OriginatedCall oc) {
        String attempt = oc.variables().get(OriginateRequest.ATTEMPT_VARIABLE);
        Pending p = attempt == null ? null : pendingOriginates.remove(attempt);
        if (p == null) {
            Function<OriginatedCall, SimulatedCaller> r = responder;
            SimulatedCaller caller = r == null || attempt == null ? null : r.apply(oc);
            if (caller != null) {
                campaignCalls.add(CompletableFuture.supplyAsync(() -> runAttempt(oc, attempt, caller)));
            }
            return; // else: like a channel nobody answers
        }
        try {
            p.answered().complete(placer.attempt(attempt, oc.callerId(), hears(p.caller())));
        } catch (IOException | RuntimeException e) {
            p.answered().completeExceptionally(e);
        }
    }

    /**
     * The voicebot-outbound context for a campaign call: AGI into voicebot with the attempt id, then Hangup() of
     * the channel when the AGI session ends, as the shipped dialplan does.
     */
    private CallPlacer.Placed runAttempt(OriginatedCall oc, String attempt, SimulatedCaller caller) {
        try {
            SimulatedCall call = placer.attempt(attempt, oc.callerId(), hears(caller));
            return placer.await(call, Duration.ofMinutes(3));
        } catch (Exception e) {
            throw new IllegalStateException("campaign call for attempt " + attempt + " failed: " + e, e);
        } finally {
            ami.hangup(oc.channel(), 16);
        }
    }

    /**
     * Who answers the calls voicebot originates on its own (campaigns): {@code responder} picks a caller for each
     * answered call (by number, say); null leaves the answered channel alone, like a call nobody picks up.
     */
    public void answerWith(Function<OriginatedCall, SimulatedCaller> responder) {
        this.responder = responder;
    }

    /** The AGI legs of campaign calls answered so far (complete when their AGI session has ended). */
    public List<CompletableFuture<CallPlacer.Placed>> campaignCalls() {
        return List.copyOf(campaignCalls);
    }

    /**
     * Starts the server on {@code settings} with embedded overrides: loopback ports chosen by the system, a fresh
     * H2 database unless {@code keepDatabase}, and AMI pointed at the in-process peer.
     */
    public static Simulation start(Settings settings, Path home, Map<String, String> extra) throws Exception {
        return start(settings, home, extra, java.time.Clock.systemUTC());
    }

    /** As {@link #start(Settings, Path, Map)}, with the server on {@code clock} (tests move time forward). */
    public static Simulation start(Settings settings, Path home, Map<String, String> extra, java.time.Clock clock)
            throws Exception {
        Path dataDir = Files.createTempDirectory("voicebot-sim");
        AmiPeer ami = new AmiPeer("voicebot", AMI_SECRET);
        int amiPort = ami.start(0);
        Map<String, String> o = new HashMap<>();
        o.put("data.dir", dataDir.toString());
        o.put("db.url", "jdbc:h2:file:" + dataDir.resolve("voicebot") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH");
        o.put("db.user", "voicebot");
        o.put("db.password", "");
        for (String k : List.of("agi", "audiosocket", "http")) {
            o.put(k + ".bind", "127.0.0.1");
            o.put(k + ".port", "0");
        }
        o.put("ami.enabled", "true");
        o.put("ami.host", "127.0.0.1");
        o.put("ami.port", String.valueOf(amiPort));
        o.put("ami.username", "voicebot");
        o.put("ami.secret", AMI_SECRET);
        o.put("shutdown.drain.timeout.s", "10");
        o.putAll(extra);
        VoicebotConfig config = VoicebotConfig.from(settings.with(o), home);
        VoicebotServer server = new VoicebotServer(config, clock);
        try {
            server.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!server.ami().isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("voicebot did not log in to the simulated AMI within 10 s");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            server.shutdown();
            ami.close();
            deleteTree(dataDir);
            throw e;
        }
        return new Simulation(dataDir, ami, server);
    }

    public VoicebotServer server() {
        return server;
    }

    public AmiPeer ami() {
        return ami;
    }

    /** {@code text} spoken by the synthesizer, at the telephone rate: what a simulated caller says. */
    public short[] voice(String text) throws Exception {
        return server.prompts().render(text, 8000).get(60, TimeUnit.SECONDS);
    }

    /**
     * An answering machine's greeting at the telephone rate: a moment of line, {@code text} spoken, a pause and a
     * 500 ms 1 kHz beep. The caller's {@link SimulatedCaller#greetingSentNanos()} is then the end of the beep.
     */
    public short[] answeringMachine(String text) throws Exception {
        short[] speech = voice(text);
        int rate = 8000;
        short[] out = new short[rate * 3 / 10 + speech.length + rate * 6 / 10 + rate / 2];
        System.arraycopy(speech, 0, out, rate * 3 / 10, speech.length);
        int beep = out.length - rate / 2;
        double amplitude = 0.25 * 32767; // -15 dBFS RMS
        for (int i = 0; i < rate / 2; i++) {
            out[beep + i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * 1000 * i / rate));
        }
        return out;
    }

    /** A reply list from words: "#123" presses keys, "" stays silent, "hangup" hangs up, else speech. */
    public List<SimulatedCaller.Reply> replies(List<String> says) throws Exception {
        List<SimulatedCaller.Reply> out = new ArrayList<>();
        for (String s : says) {
            if (s.isEmpty()) {
                out.add(new SimulatedCaller.Reply.Silence());
            } else if (s.equals("hangup")) {
                out.add(new SimulatedCaller.Reply.HangUp());
            } else if (s.startsWith("#")) {
                out.add(new SimulatedCaller.Reply.Keys(s.substring(1)));
            } else {
                out.add(new SimulatedCaller.Reply.Speak(s, voice(s)));
            }
        }
        return out;
    }

    /** An inbound call to {@code line} (the dialog of that name) from {@code callerId}. */
    public CallReport inbound(String line, String callerId, SimulatedCaller caller, Duration timeout)
            throws Exception {
        return inbound(line, Map.of(), callerId, caller, timeout);
    }

    /** An inbound call with extra AGI parameters (dialog variables such as name=...). */
    public CallReport inbound(String line, Map<String, String> vars, String callerId, SimulatedCaller caller,
                              Duration timeout) throws Exception {
        return finish(placer.inbound(line, vars, callerId, hears(caller)), caller, timeout);
    }

    /** An outbound call that the dialplan started with a dialog name and contact variables (no campaign). */
    public CallReport outbound(String dialog, Map<String, String> vars, String number, SimulatedCaller caller,
                               Duration timeout) throws Exception {
        return finish(placer.outbound(dialog, vars, number, hears(caller)), caller, timeout);
    }

    /** How long the phone rings before the simulated callee answers an originated call (default 300 ms). */
    public void ringFor(Duration ring) {
        this.ring = ring;
    }

    /**
     * The production outbound path: the contact and a call attempt are stored, voicebot originates the call
     * over AMI, the simulated Asterisk answers it and runs the voicebot-outbound context (AGI with attempt=).
     */
    public CallReport originate(String dialog, String phone, String name, Map<String, String> fields,
                                SimulatedCaller caller, Duration timeout) throws Exception {
        return originate(dialog, phone, name, fields, caller, timeout, null);
    }

    /**
     * {@link #originate(String, String, String, Map, SimulatedCaller, Duration)} with the campaign's
     * answering-machine policy set (its amd_action, voicemail_text and voicemail_max_s); null keeps the campaign
     * defaults.
     */
    public CallReport originate(String dialog, String phone, String name, Map<String, String> fields,
                                SimulatedCaller caller, Duration timeout, AttemptStore.MachinePolicy amd)
            throws Exception {
        Path file = server.config().dialogs().dialogsDir().resolve(dialog + ".yaml");
        server.dialogStore().saveDialog(dialog, "yaml", Files.readString(file));
        long list = server.listStore().createList("simulation-" + UUID.randomUUID());
        ListStore.ContactImport imported = server.listStore().addContacts(list,
                List.of(new ListStore.ContactRow(phone, name, fields, "UTC")));
        if (!imported.rejected().isEmpty()) {
            throw new IllegalArgumentException("contact rejected: " + imported.rejected().get(0).message());
        }
        long contact = imported.imported().get(0).contactId();
        long campaign = server.campaignStore().createCampaign(new CampaignStore.CampaignSpec("simulation-" + UUID.randomUUID(),
                dialog, list, LocalTime.MIN, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class), 1,
                Duration.ofHours(1), 1));
        if (amd != null) {
            setMachinePolicy(campaign, amd);
        }
        long attempt = server.attemptStore().scheduleAttempt(campaign, contact, java.time.Instant.now());
        server.callService().prepareAttempt(attempt); // as the dialer does: the greeting renders while it rings
        CompletableFuture<SimulatedCall> answered = new CompletableFuture<>();
        pendingOriginates.put(String.valueOf(attempt), new Pending(caller, answered));
        ami.script(phone.replace("+", ""), AmiPeer.Outcome.ANSWER, ring);
        VoicebotConfig.Campaign c = server.config().campaign();
        OriginateResult result = server.ami().originate(OriginateRequest.toNumber(c.trunkTemplate(),
                phone.replace("+", ""), c.outboundContext(), c.callerId(), c.originateTimeout(),
                String.valueOf(attempt))).get(c.originateTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        server.attemptStore().markAttemptStarted(attempt, result.uniqueId(), result.channel());
        if (!result.answered()) {
            throw new IllegalStateException("originate ended " + result.outcome() + ": " + result.detail());
        }
        return finish(answered.get(10, TimeUnit.SECONDS), caller, timeout);
    }

    private void setMachinePolicy(long campaign, AttemptStore.MachinePolicy amd) {
        server.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE campaigns SET amd_action = ?, voicemail_text = ?, voicemail_max_s = ? WHERE id = ?")) {
                ps.setString(1, amd.action().id());
                ps.setString(2, amd.voicemailText());
                ps.setInt(3, amd.voicemailMaxSeconds());
                ps.setLong(4, campaign);
                return ps.executeUpdate();
            }
        });
    }

    /** The caller knows what voicebot's late-prompt line sounds like, so it waits for the question after it. */
    private SimulatedCaller hears(SimulatedCaller caller) {
        return caller == null ? null : caller.knowingFiller(rate -> {
            try {
                return server.prompts().render(io.voicebot.call.LatePrompt.TEXT, rate).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                return null; // cannot be rendered: the caller takes every prompt as a question
            }
        });
    }

    private CallReport finish(SimulatedCall call, SimulatedCaller caller, Duration timeout) throws Exception {
        return report(placer.await(call, timeout), caller);
    }

    /** The report of a call whose AGI session has ended (e.g. one of {@link #campaignCalls()}). */
    public CallReport report(CallPlacer.Placed placed, SimulatedCaller caller) throws Exception {
        SimulatedCall.Result agiResult = placed.agi();
        UUID id = placed.id();
        CallService.EndedCall e = ended.computeIfAbsent(id, k -> new CompletableFuture<>())
                .get(10, TimeUnit.SECONDS);
        CallStore store = server.callStore();
        CallStore.CallRecord record = store.findCall(id.toString()).orElseThrow();
        return new CallReport(id, record, store.turns(record.id()), store.answers(record.id()), agiResult,
                caller.events(), e.latencies().stream().map(l -> l.millis()).toList());
    }

    /** The report as a transcript for people: turn by turn, then answers and outcome. */
    public static String transcript(String title, CallReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== ").append(title).append(" (call ").append(r.id()).append(", dialog ")
                .append(r.call().dialogName()).append(") ===\n");
        for (CallStore.Turn t : r.turns()) {
            sb.append(String.format("  robot : %s%n", t.promptText()));
            String heard = switch (t.inputMode()) {
                case SPEECH -> "\"" + t.transcript() + "\"" + (t.confidence() == null ? ""
                        : String.format(" (confidence %.2f)", t.confidence()));
                case DTMF -> "keys " + t.transcript();
                case NONE -> t.transcript() == null || t.transcript().isEmpty() ? "(nothing)" : t.transcript();
            };
            sb.append(String.format("  caller: %s%s%n", heard, t.intent() == null ? "" : "  -> " + t.intent()));
        }
        Map<String, String> answers = new LinkedHashMap<>();
        r.answers().forEach(a -> answers.put(a.questionKey(), a.value()));
        sb.append("  answers stored: ").append(answers).append('\n');
        sb.append("  outcome stored: ").append(r.outcome());
        if (r.call().transferQueue() != null) {
            sb.append(" (queue ").append(r.call().transferQueue()).append(')');
        }
        sb.append('\n');
        sb.append("  dialplan next : ").append(r.agi().dialplanNext()).append('\n');
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } finally {
            ami.close();
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
