package io.voicebot.config;

import io.voicebot.phone.PhoneNumbers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The whole validated configuration; built once by {@link #from(Settings, Path)}, which fails fast on a bad value. */
public record VoicebotConfig(
        Path home,
        Path dataDir,
        Agi agi,
        AudioSocket audioSocket,
        Http http,
        Ami ami,
        Db db,
        Speech speech,
        Tts tts,
        Dialogs dialogs,
        Campaign campaign,
        Transfer transfer,
        Phone phone,
        Duration drainTimeout,
        Amd amd,
        Recording recording,
        Events events,
        Access access) {

    public record Agi(String bind, int port, Duration commandTimeout, int maxSessions) {}

    public record AudioSocket(String bind, int port, int maxPayload, Duration uuidTimeout) {}

    /** {@code maxUploadBytes}: bodies of upload routes (call lists) go to a file under data.dir, up to this size. */
    public record Http(String bind, int port, int maxBodyBytes, long maxUploadBytes) {}

    /** {@code secret} is never printed: see {@link #toString()}. */
    public record Ami(boolean enabled, String host, int port, String username, String secret,
                      Duration pingInterval, Duration commandTimeout, Duration maxBackoff) {
        @Override
        public String toString() {
            return "Ami[enabled=" + enabled + ", host=" + host + ", port=" + port + ", username=" + username
                    + ", secret=****, pingInterval=" + pingInterval + ", commandTimeout=" + commandTimeout + "]";
        }
    }

    public record Db(String url, String user, String password, int poolSize, Duration connectionTimeout) {
        public boolean isH2() {
            return url.startsWith("jdbc:h2:");
        }

        @Override
        public String toString() {
            // a JDBC URL may carry ?password=...
            return "Db[url=" + url.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=****") + ", user=" + user + ", password=****, poolSize=" + poolSize + "]";
        }
    }

    /** {@code engine} is "vosk" or "sphinx" after "auto" has been decided. */
    /** {@code sphinxRejectBelow}: Sphinx4 results with a lower confidence come back empty (no-match). */
    /** {@code sphinxGarbagePrior}, {@code sphinxGarbageWords}: Sphinx4's out-of-grammar word loop, prior 0 for none. */
    /** {@code sphinxUnexplainedMs}: speech the words leave unexplained that gives a Sphinx4 result confidence 0.5. */
    /** {@code sphinxOtherPrior}, {@code sphinxOtherAnswers}: other questions' answers as a Sphinx4 branch, 0: none. */
    public record Speech(String engine, Path voskModel, int sampleRate, int threads, Duration endpointSilence,
                         Duration noInputTimeout, Duration maxUtterance, Duration bargeInMinSpeech,
                         double sphinxRejectBelow, double sphinxGarbagePrior, int sphinxGarbageWords,
                         double sphinxMarginNats, int sphinxUnexplainedMs, double sphinxOtherPrior,
                         List<String> sphinxOtherAnswers) {}

    /** {@code latePrompt}: a turn whose prompts are not ready by then plays a neutral line first; 0: never. */
    public record Tts(String voice, double rate, Path cacheDir, int threads, Duration latePrompt) {}

    public record Dialogs(Path dialogsDir, Path grammarsDir, Path knowledgeFile) {}

    /** {@code nodeId} is never empty: the host name when campaign.node.id is. */
    public record Campaign(boolean enabled, int maxConcurrentCalls, Duration originateTimeout,
                           String outboundContext, String trunkTemplate, String callerId, String nodeId,
                           Duration tick, Duration reconcileInterval, Path complianceFile) {}

    /** Warm transfers (docs/transfer.md); {@code agentQueues}: token name to the queues its screen-pop shows. */
    public record Transfer(String defaultQueue, Duration maxWait, Duration checkTimeout, int priority,
                           Duration callbackDelay, Path whisperDir, Duration whisperWait, int streamClients,
                           java.util.Map<String, java.util.Set<String>> agentQueues) {}

    /**
     * Who may connect and how much they may send (docs/security.md). {@code agiAllow}/{@code audioSocketAllow}:
     * comma-separated addresses, CIDR ranges or host names, "*" for any, empty for loopback and ami.host.
     * {@code mediaTimeout} zero: never. {@code webhookAllow}: hosts or ranges a dialog's webhook may name although
     * they are private, loopback or link-local.
     */
    public record Access(String agiAllow, String audioSocketAllow, Duration mediaTimeout, int agiMaxReplyBytes,
                         String webhookAllow) {}

    /** Answering-machine detection on outbound campaign calls (docs/amd.md). */
    public record Amd(Duration analysis, Duration initialSilence, Duration greetingMax, Duration afterGreetingSilence,
                      Duration greetingEndSilence, Duration beepMaxWait) {}

    /** {@code retention}: recordings of calls older than this are deleted; {@code retentionCheck}: how often. */
    public record Recording(Duration retention, Duration retentionCheck) {}

    /** {@code defaultRegion}: ISO 3166 code for numbers written without a +country code (upper case). */
    public record Phone(String defaultRegion) {}

    /** Event-triggered calls and follow-up tasks; {@code taskWebhookUrl} empty: no webhook. */
    public record Events(Path file, Duration defaultDedupe, String taskWebhookUrl, int taskWebhookTries) {}

    /** Every bad value is reported in one {@link ConfigException}, not only the first. */
    public static VoicebotConfig from(Settings s, Path home) {
        VoicebotConfig c = build(s, home);
        s.check();
        return c;
    }

    private static VoicebotConfig build(Settings s, Path home) {
        Path dataDir = s.getPath("data.dir", home);
        if (dataDir == null) {
            s.reject("data.dir", "", "must not be empty");
        }
        Agi agi = new Agi(s.getNonEmpty("agi.bind"), s.getInt("agi.port", 0, 65535),
                ms(s, "agi.command.timeout.ms", 100, 3_600_000), s.getInt("agi.max.sessions", 1, 100_000));
        AudioSocket as = new AudioSocket(s.getNonEmpty("audiosocket.bind"), s.getInt("audiosocket.port", 0, 65535),
                s.getInt("audiosocket.max.payload", 320, 65535), ms(s, "audiosocket.uuid.timeout.ms", 100, 60_000));
        Http http = new Http(s.getNonEmpty("http.bind"), s.getInt("http.port", 0, 65535),
                s.getInt("http.max.body.bytes", 1024, 512 * 1024 * 1024),
                s.getLong("http.max.upload.bytes", 1024, 64L * 1024 * 1024 * 1024));
        Ami ami = new Ami(s.getBoolean("ami.enabled"), s.getNonEmpty("ami.host"), s.getInt("ami.port", 1, 65535),
                s.getNonEmpty("ami.username"), s.get("ami.secret"),
                ms(s, "ami.ping.interval.ms", 100, 600_000), ms(s, "ami.command.timeout.ms", 100, 600_000),
                ms(s, "ami.reconnect.max.backoff.ms", 100, 3_600_000));
        String url = s.getNonEmpty("db.url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
            s.reject("db.url", url, "must start with jdbc:h2:, jdbc:mysql: or jdbc:mariadb:");
        }
        if (url.startsWith("jdbc:h2:file:")) {
            // H2 file paths are relative to the JVM's working directory; anchor them at the data dir instead.
            String rest = url.substring("jdbc:h2:file:".length());
            if (!rest.startsWith("/") && !rest.startsWith("~")) {
                url = "jdbc:h2:file:" + home.resolve(rest).normalize();
            }
        }
        Db db = new Db(url, s.get("db.user"), s.get("db.password"), s.getInt("db.pool.size", 1, 500),
                ms(s, "db.connection.timeout.ms", 250, 600_000));
        String engine = s.getOneOf("speech.engine", "auto", "vosk", "sphinx");
        Path voskModel = s.getPath("speech.vosk.model", home);
        if (engine.equals("vosk") && voskModel == null) {
            s.reject("speech.engine", engine, "vosk needs speech.vosk.model (a model directory)");
        }
        if (engine.equals("auto")) {
            engine = voskModel == null ? "sphinx" : "vosk";
        }
        int rate = s.getInt("speech.sample.rate", 8000, 16000);
        if (rate != 8000 && rate != 16000) {
            s.reject("speech.sample.rate", String.valueOf(rate), "must be 8000 or 16000");
        }
        Speech speech = new Speech(engine, voskModel, rate, s.getInt("speech.threads", 1, 256),
                ms(s, "speech.endpoint.silence.ms", 100, 10_000), ms(s, "speech.noinput.timeout.ms", 500, 120_000),
                ms(s, "speech.max.utterance.ms", 1000, 300_000), ms(s, "speech.bargein.min.speech.ms", 20, 5000),
                s.getDouble("speech.sphinx.reject.below", 0.0, 1.0),
                s.getDouble("speech.sphinx.garbage.prior", 0.0, 1.0), s.getInt("speech.sphinx.garbage.words", 1, 1000),
                s.getDouble("speech.sphinx.margin.nats", 0.0, 1000.0),
                s.getInt("speech.sphinx.unexplained.ms", 0, 10_000),
                s.getDouble("speech.sphinx.other.prior", 0.0, 1.0), words(s, "speech.sphinx.other.answers"));
        Tts tts = new Tts(s.getNonEmpty("tts.voice"), s.getDouble("tts.rate", 0.5, 2.0),
                s.getPath("tts.cache.dir", home), s.getInt("tts.threads", 1, 64),
                ms(s, "tts.late.prompt.ms", 0, 60_000));
        Dialogs dialogs = new Dialogs(s.getPath("dialogs.dir", home), s.getPath("grammars.dir", home),
                s.getPath("knowledge.file", home));
        String trunk = s.getNonEmpty("campaign.trunk.template");
        if (!trunk.contains("${number}")) {
            s.reject("campaign.trunk.template", trunk, "must contain ${number}");
        }
        Campaign campaign = new Campaign(s.getBoolean("campaign.enabled"),
                s.getInt("campaign.max.concurrent.calls", 1, 10_000),
                ms(s, "campaign.originate.timeout.ms", 1000, 600_000), s.getNonEmpty("campaign.outbound.context"),
                trunk, s.get("campaign.callerid"), nodeId(s), ms(s, "campaign.tick.ms", 50, 60_000),
                Duration.ofSeconds(s.getLong("campaign.reconcile.interval.s", 1, 3600)),
                s.getPath("campaign.compliance.file", home));
        Transfer transfer = new Transfer(s.getNonEmpty("transfer.default.queue"),
                Duration.ofSeconds(s.getLong("transfer.max.wait.s", 0, 86_400)),
                ms(s, "transfer.check.timeout.ms", 100, 60_000), s.getInt("transfer.priority", 0, 1_000_000),
                Duration.ofMinutes(s.getLong("transfer.callback.delay.minutes", 2, 43_200)),
                s.getPath("transfer.whisper.dir", home), ms(s, "transfer.whisper.wait.ms", 0, 60_000),
                s.getInt("transfer.stream.max.clients", 1, 1000), agentQueues(s));
        String region = s.getNonEmpty("phone.default.region").toUpperCase(java.util.Locale.ROOT);
        if (!PhoneNumbers.isRegion(region)) {
            s.reject("phone.default.region", region, "is not a region code libphonenumber knows "
                    + "(ISO 3166 alpha-2, e.g. US, GB, DE)");
        }
        Duration drain = Duration.ofSeconds(s.getLong("shutdown.drain.timeout.s", 0, 86_400));
        return new VoicebotConfig(home, dataDir, agi, as, http, ami, db, speech, tts, dialogs, campaign, transfer,
                new Phone(region), drain, amd(s), new Recording(
                        Duration.ofDays(s.getLong("recording.retention.days", 1, 36_500)),
                        Duration.ofSeconds(s.getLong("recording.retention.check.s", 1, 86_400))),
                new Events(s.getPath("events.file", home),
                        Duration.ofSeconds(s.getLong("events.dedupe.default.s", 0, 31_536_000)),
                        s.get("tasks.webhook.url").strip(), s.getInt("tasks.webhook.tries", 1, 10)),
                new Access(s.get("agi.allow"), s.get("audiosocket.allow"),
                ms(s, "audiosocket.media.timeout.ms", 0, 3_600_000), s.getInt("agi.max.reply.bytes", 1024, 16 << 20),
                s.get("webhook.allow")));
    }

    private static Amd amd(Settings s) {
        Duration analysis = ms(s, "amd.analysis.ms", 1000, 30_000);
        Duration initial = ms(s, "amd.initial.silence.ms", 100, 30_000);
        if (initial.compareTo(analysis) > 0) {
            s.reject("amd.initial.silence.ms", String.valueOf(initial.toMillis()),
                    "must not be longer than amd.analysis.ms (" + analysis.toMillis() + ")");
        }
        Duration after = ms(s, "amd.after.greeting.silence.ms", 100, 10_000);
        if (after.compareTo(analysis) >= 0) {
            s.reject("amd.after.greeting.silence.ms", String.valueOf(after.toMillis()),
                    "must be shorter than amd.analysis.ms (" + analysis.toMillis() + ")");
        }
        return new Amd(analysis, initial, ms(s, "amd.greeting.max.ms", 100, 30_000), after,
                ms(s, "amd.greeting.end.silence.ms", 100, 30_000), ms(s, "amd.beep.max.wait.ms", 0, 120_000));
    }

    private static String nodeId(Settings s) {
        String id = s.get("campaign.node.id").strip();
        if (id.isEmpty()) {
            try {
                id = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                id = "voicebot";
            }
        }
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            s.reject("campaign.node.id", id, "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return id;
    }

    /** transfer.agent.queues: "anna=hotline-agents card-services; ben=collections" (token name = queues). */
    private static java.util.Map<String, java.util.Set<String>> agentQueues(Settings s) {
        java.util.Map<String, java.util.Set<String>> out = new java.util.TreeMap<>();
        String v = s.get("transfer.agent.queues").strip();
        for (String entry : v.isEmpty() ? new String[0] : v.split(";")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.substring(eq + 1).isBlank()) {
                s.reject("transfer.agent.queues", v, "each entry must be <token name>=<queue> [<queue>...], "
                        + "entries separated by ';' (got '" + entry.strip() + "')");
                continue;
            }
            out.put(entry.substring(0, eq).strip(),
                    java.util.Set.copyOf(java.util.List.of(entry.substring(eq + 1).strip().split("\\s+"))));
        }
        return java.util.Map.copyOf(out);
    }

    /** A comma-separated list of lower-case words ("zero, oh, one"); empty for none. */
    private static List<String> words(Settings s, String key) {
        List<String> out = new java.util.ArrayList<>();
        for (String w : s.get(key).split(",")) {
            String t = w.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.matches("[a-z']+")) {
                s.reject(key, s.get(key), "'" + t + "' is not a lower-case word (comma-separated words expected)");
                return List.of();
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static Duration ms(Settings s, String key, long min, long max) {
        return Duration.ofMillis(s.getLong(key, min, max));
    }

    /** Defaults with overrides, for tests and embedded runs. */
    public static VoicebotConfig defaults(Path home, java.util.Map<String, String> overrides) {
        return from(Settings.load(null, java.util.Map.of()).with(overrides), home);
    }
}
