package io.voicebot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicebot.api.CallRoutes;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.sim.CallPlacer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import io.voicebot.speech.tts.MaryTtsSynthesizer;
import io.voicebot.speech.tts.PromptCache;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code voicebot simulate-call}: places one call through the real FastAGI and AudioSocket protocols, the caller
 * answering each robot prompt in turn with synthesized speech (--say), a WAV file (--audio) or keys (--press),
 * and prints the call as one JSON document on stdout. Without --server the call goes to an embedded server
 * ({@link Simulation}); with --server it goes to a running voicebot and the transcript comes from its HTTP API.
 */
public final class SimulateCallCommand implements Command {
    /** The simulated telephone line's rate. */
    private static final int LINE_RATE = 8000;
    private static final Set<String> REPLY_OPTIONS = Set.of("say", "audio", "press");
    static final Help HELP = Help.of("voicebot simulate-call --dialog NAME [--inbound] [--say TEXT | --audio FILE.wav"
                    + " | --press KEYS]... [options]",
                    "Places one call through the real FastAGI and AudioSocket protocols. The caller answers each\n"
                    + "robot prompt in turn with the next --say, --audio or --press, in the order given, and the call\n"
                    + "is printed as one JSON document. Without --server the call goes to an embedded server (H2 in\n"
                    + "data.dir, the in-process Asterisk); with --server it goes to a running voicebot and the\n"
                    + "transcript comes from its HTTP API.")
            .option("dialog", "NAME", "the dialog to run (required)")
            .flag("inbound", "an inbound call (line=NAME) instead of an outbound one")
            .option("say", "TEXT", "the caller speaks TEXT (synthesised); --say '' stays silent (repeatable)")
            .option("audio", "FILE.wav", "the caller plays a WAV file (repeatable)")
            .option("press", "KEYS", "the caller presses keys 0-9, * or # (repeatable)")
            .option("var", "NAME=VALUE", "a call variable such as name=Anna or amount=125.50 (repeatable)")
            .option("caller", "NUMBER", "the caller's number (default " + "+15550100000" + ")")
            .option("timeout", "SECONDS", "give up on the call after this long (default 300)")
            .option("server", "HOST", "call a running voicebot on HOST instead of an embedded one")
            .option("agi-port", "PORT", "with --server: its FastAGI port (default agi.port)")
            .option("audiosocket-port", "PORT", "with --server: its AudioSocket port (default audiosocket.port)")
            .option("http-port", "PORT", "with --server: its HTTP port, for the transcript (default http.port)")
            .option("token", "TOKEN", "with --server: an API token (role agent or higher) to read the transcript;"
                    + " default VOICEBOT_API_TOKEN")
            .note("Exit 1 also when the call's outcome is 'failed'.");
    private static final Set<String> WITH_VALUE = HELP.withValue();
    static final String DEFAULT_CALLER = "+15550100000";

    /** One caller reply as given on the command line, in order. */
    private record ReplySpec(String kind, String value) {}

    /** Renders a caller's phrase to 8 kHz audio. */
    @FunctionalInterface
    private interface Voice {
        short[] render(String text) throws Exception;
    }

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String summary() {
        return "simulate-call     place one simulated call (--dialog NAME, --say/--audio/--press per prompt), "
                + "print it as JSON";
    }

    @Override
    public Help help() {
        return HELP;
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, HELP);
        if (!o.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + o.positionals().get(0) + "' (replies are --say, "
                    + "--audio or --press options)");
        }
        String dialog = o.get("dialog", null);
        if (dialog == null) {
            throw new UsageException("--dialog NAME is required");
        }
        if (!dialog.matches("[a-z][a-z0-9_]{0,99}")) {
            throw new UsageException("--dialog: '" + dialog + "' is not a dialog name (lower_snake_case)");
        }
        Map<String, String> vars = vars(o.all("var"));
        String callerNumber = o.get("caller", DEFAULT_CALLER);
        // Separators as call lists accept them: +44 20 7946-0018, (202) 555.0144
        if (!callerNumber.replaceAll("[\\s().-]", "").matches("\\+?[0-9]{3,20}")) {
            throw new UsageException("--caller: '" + callerNumber + "' is not a phone number");
        }
        callerNumber = callerNumber.replaceAll("[\\s().-]", "");
        int timeoutS = o.getInt("timeout", 300);
        if (timeoutS < 1) {
            throw new UsageException("--timeout must be at least 1 second");
        }
        List<ReplySpec> specs = replySpecs(args);
        // Read every audio file first: a bad file is reported before any server starts.
        Map<String, short[]> audio = new LinkedHashMap<>();
        for (ReplySpec s : specs) {
            if (s.kind().equals("audio") && !audio.containsKey(s.value())) {
                audio.put(s.value(), readAudio(s.value()));
            }
            if (s.kind().equals("press") && !s.value().matches("[0-9*#]+")) {
                throw new UsageException("--press: '" + s.value() + "' must be keys 0-9, * or #");
            }
        }
        Duration timeout = Duration.ofSeconds(timeoutS);
        boolean inbound = o.has("inbound");
        String server = o.get("server", null);
        if (server == null) {
            for (String remoteOnly : List.of("agi-port", "audiosocket-port", "http-port", "token")) {
                if (o.has(remoteOnly)) {
                    throw new UsageException("--" + remoteOnly + " needs --server HOST");
                }
            }
            return embedded(ctx, dialog, inbound, vars, callerNumber, specs, audio, timeout);
        }
        return remote(ctx, o, server, dialog, inbound, vars, callerNumber, specs, audio, timeout);
    }

    private int embedded(CliContext ctx, String dialog, boolean inbound, Map<String, String> vars, String number,
                         List<ReplySpec> specs, Map<String, short[]> audio, Duration timeout) throws Exception {
        try (Simulation sim = Simulation.start(ctx.settings(), ctx.home(), Map.of())) {
            SimulatedCaller caller = caller(specs, audio, sim::voice);
            Simulation.CallReport r = inbound ? sim.inbound(dialog, vars, number, caller, timeout)
                    : sim.outbound(dialog, vars, number, caller, timeout);
            JsonNode view = json.valueToTree(CallRoutes.view(r.call(), r.turns(), r.answers()));
            ObjectNode doc = document(r.id().toString(), dialog, inbound, "embedded", r.agi(), caller);
            addTranscript(doc, view);
            ctx.out().println(json.writeValueAsString(doc));
            return "failed".equals(doc.path("outcome").asText()) ? 1 : 0;
        }
    }

    private int remote(CliContext ctx, Options o, String host, String dialog, boolean inbound,
                       Map<String, String> vars, String number, List<ReplySpec> specs, Map<String, short[]> audio,
                       Duration timeout) throws Exception {
        VoicebotConfig config = ctx.config();
        int agiPort = port(o, "agi-port", config.agi().port());
        int audioSocketPort = port(o, "audiosocket-port", config.audioSocket().port());
        int httpPort = port(o, "http-port", config.http().port());
        String token = o.get("token", ctx.settings().get("api.token")); // api.token: also VOICEBOT_API_TOKEN
        boolean speaks = specs.stream().anyMatch(s -> s.kind().equals("say") && !s.value().isEmpty());
        // The caller's voice is synthesized here, with the configured voice and prompt cache.
        MaryTtsSynthesizer synth = speaks ? MaryTtsSynthesizer.start(config.tts()) : null;
        try (PromptCache voices = synth == null ? null : PromptCache.fromConfig(config, synth)) {
            SimulatedCaller caller = caller(specs, audio,
                    text -> voices.render(text, LINE_RATE).get(60, TimeUnit.SECONDS));
            CallPlacer placer = new CallPlacer(host, agiPort, audioSocketPort);
            SimulatedCall call = inbound ? placer.inbound(dialog, vars, number, caller)
                    : placer.outbound(dialog, vars, number, caller);
            CallPlacer.Placed placed = placer.await(call, timeout);
            ObjectNode doc = document(placed.id().toString(), dialog, inbound, host + ":" + agiPort, placed.agi(),
                    caller);
            if (token == null || token.isBlank()) {
                doc.putNull("turns");
                doc.putNull("answers");
                doc.put("note", "the transcript needs an API token: --token TOKEN or VOICEBOT_API_TOKEN "
                        + "(role agent or higher)");
                ctx.out().println(json.writeValueAsString(doc));
                return "failed".equals(doc.path("outcome").asText()) ? 1 : 0;
            }
            String url = "http://" + host + ":" + httpPort + "/api/calls/" + placed.id();
            HttpResponse<String> resp = fetch(url, token);
            if (resp.statusCode() != 200) {
                String why = "GET " + url + " answered " + resp.statusCode() + ": " + errorText(resp.body());
                doc.put("error", why);
                ctx.out().println(json.writeValueAsString(doc));
                ctx.err().println("voicebot simulate-call: cannot read the transcript: " + why);
                return 1;
            }
            addTranscript(doc, json.readTree(resp.body()));
            ctx.out().println(json.writeValueAsString(doc));
            return "failed".equals(doc.path("outcome").asText()) ? 1 : 0;
        } finally {
            if (synth != null) {
                synth.close();
            }
        }
    }

    /** What the caller's side knows: the call id, the AGI variables the dialplan routes on, what the caller did. */
    private ObjectNode document(String id, String dialog, boolean inbound, String server,
                                SimulatedCall.Result agi, SimulatedCaller caller) {
        Map<String, String> v = agi.variables();
        ObjectNode doc = json.createObjectNode();
        doc.put("callId", id);
        doc.put("dialog", dialog);
        doc.put("direction", inbound ? "inbound" : "outbound");
        doc.put("server", server);
        doc.put("outcome", v.get("VOICEBOT_OUTCOME"));
        ObjectNode dialplan = doc.putObject("dialplan");
        dialplan.put("next", v.get("VOICEBOT_NEXT"));
        dialplan.put("queue", v.get("VOICEBOT_QUEUE") == null || v.get("VOICEBOT_QUEUE").isEmpty() ? null
                : v.get("VOICEBOT_QUEUE"));
        dialplan.put("route", agi.dialplanNext());
        dialplan.put("agiStatus", agi.agiStatus());
        if (v.containsKey("VOICEBOT_ERROR")) {
            dialplan.put("error", v.get("VOICEBOT_ERROR"));
        }
        ArrayNode events = doc.putArray("caller");
        caller.events().forEach(e -> events.add(e.atMs() + " ms: " + e.what()));
        return doc;
    }

    /** Turns and answers from the stored call (the API's view); the stored outcome wins over the AGI variable. */
    private static void addTranscript(ObjectNode doc, JsonNode view) {
        if (view.hasNonNull("outcome")) {
            doc.put("outcome", view.get("outcome").asText());
        }
        if (view.hasNonNull("transferQueue")) {
            ((ObjectNode) doc.get("dialplan")).put("queue", view.get("transferQueue").asText());
        }
        ArrayNode turns = doc.putArray("turns");
        for (JsonNode t : view.path("turns")) {
            ObjectNode x = turns.addObject();
            x.set("prompt", t.get("prompt"));
            x.set("heard", t.get("transcript"));
            x.set("confidence", t.get("confidence"));
            x.set("intent", t.get("intent"));
            x.set("mode", t.get("inputMode"));
        }
        ObjectNode answers = doc.putObject("answers");
        for (JsonNode a : view.path("answers")) {
            answers.set(a.path("key").asText(), a.get("value"));
        }
    }

    private static SimulatedCaller caller(List<ReplySpec> specs, Map<String, short[]> audio, Voice voice)
            throws Exception {
        List<SimulatedCaller.Reply> replies = new ArrayList<>();
        for (ReplySpec s : specs) {
            switch (s.kind()) {
                case "say" -> replies.add(s.value().isEmpty() ? new SimulatedCaller.Reply.Silence()
                        : new SimulatedCaller.Reply.Speak(s.value(), voice.render(s.value())));
                case "audio" -> replies.add(new SimulatedCaller.Reply.Speak(s.value(), audio.get(s.value())));
                case "press" -> replies.add(new SimulatedCaller.Reply.Keys(s.value()));
                default -> throw new IllegalStateException("reply kind " + s.kind());
            }
        }
        // Quiet 1.2 s ends a robot prompt (longer than pauses inside one); 30 s without a prompt ends the replies.
        return new SimulatedCaller(replies, 1200, 30_000);
    }

    /** --say, --audio and --press in the order given (Options groups them by name and loses that order). */
    private static List<ReplySpec> replySpecs(List<String> args) {
        List<ReplySpec> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                continue;
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            String value = null;
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (WITH_VALUE.contains(name) && value == null) {
                value = args.get(++i); // Options.parse already checked that the value is there
            }
            if (REPLY_OPTIONS.contains(name)) {
                out.add(new ReplySpec(name, name.equals("say") ? value.strip() : value));
            }
        }
        return out;
    }

    private static Map<String, String> vars(List<String> given) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String v : given) {
            int eq = v.indexOf('=');
            if (eq <= 0 || !v.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new UsageException("--var: '" + v + "' must be name=value with a variable name");
            }
            String name = v.substring(0, eq);
            if (Set.of("line", "dialog", "attempt", "audiosocket").contains(name)) {
                throw new UsageException("--var: '" + name + "' is reserved (line, dialog, attempt, audiosocket)");
            }
            vars.put(name, v.substring(eq + 1));
        }
        return vars;
    }

    /** A WAV file as the caller's 8 kHz mono speech. */
    private static short[] readAudio(String file) {
        try {
            Pcm pcm = WavFile.read(Path.of(file));
            return pcm.sampleRate() == LINE_RATE ? pcm.samples() : pcm.resampled(LINE_RATE).samples();
        } catch (IOException e) {
            throw new CommandException("--audio " + file + ": " + e.getMessage());
        }
    }

    private static int port(Options o, String name, int configured) {
        int p = o.getInt(name, configured);
        if (p < 1 || p > 65535) {
            throw new UsageException("--" + name + ": " + p + " is not a port (use the server's real port, not 0)");
        }
        return p;
    }

    private static HttpResponse<String> fetch(String url, String token) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private String errorText(String body) {
        try {
            return json.readTree(body).path("error").asText(body);
        } catch (IOException e) {
            return body;
        }
    }
}
