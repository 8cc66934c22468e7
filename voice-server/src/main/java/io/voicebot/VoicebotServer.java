package io.voicebot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.voicebot.api.AuditRoutes;
import io.voicebot.api.CallListRoutes;
import io.voicebot.api.CallRoutes;
import io.voicebot.api.DialogRoutes;
import io.voicebot.api.DncRoutes;
import io.voicebot.api.HttpApi;
import io.voicebot.api.ListRoutes;
import io.voicebot.call.ActiveCalls;
import io.voicebot.call.CallService;
import io.voicebot.call.CrashRecovery;
import io.voicebot.call.DialogCatalog;
import io.voicebot.campaign.CampaignService;
import io.voicebot.campaign.Dialer;
import io.voicebot.campaign.lists.InterruptedImports;
import io.voicebot.campaign.lists.ListImporter;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.console.ConsoleSetup;
import io.voicebot.metrics.Metrics;
import io.voicebot.monitoring.ServerMeters;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.qa.QaService;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.AuditStore;
import io.voicebot.store.CallQueries;
import io.voicebot.store.CallStore;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Database;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.DialogStore;
import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.TransferStore;
import io.voicebot.store.WriteJournal;
import io.voicebot.tasks.TaskService;
import io.voicebot.telephony.ami.AmiClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The composition root: builds every part with plain constructors (grouped by concern in the *Parts classes),
 * starts them in order and stops them in reverse. Shutdown first drains calls (new calls refused, calls in
 * progress may finish for shutdown.drain.timeout.s), then stops each step with a bounded wait.
 */
public final class VoicebotServer {
    private static final Logger log = LoggerFactory.getLogger(VoicebotServer.class);

    private enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final VoicebotConfig config;
    private final Clock clock;
    private final Metrics metrics = new Metrics();
    private final ServerMeters meters = new ServerMeters(metrics);
    private final ActiveCalls calls = new ActiveCalls();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final StartSteps steps = new StartSteps();
    private final SpeechParts speech;
    private State state = State.NEW;

    // Set by the steps below, in this order.
    private Database database;
    private CoreParts core;
    private ServerExecutors executors;
    private RecordingsAndQa recordings;
    private DialogsAndCalls dialogParts;
    private TransferStore transferStore;
    private TasksAndEvents tasksAndEvents;
    private TransferParts transfers;
    private ConsoleSetup console;
    private TelephonyParts telephony;
    private CampaignParts campaignParts;

    public VoicebotServer(VoicebotConfig config) {
        this(config, Clock.systemUTC());
    }

    public VoicebotServer(VoicebotConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.speech = new SpeechParts(config, meters);
        meters.watchActiveCalls(calls);
        // Start order; shutdown runs the stops in reverse. Each later part is one more step here.
        steps.add("database pool", () -> database = Database.connect(config.db(), metrics.registry()),
                () -> database.close());
        steps.add("database migrations", () -> database.migrate(), null);
        steps.add("components", () -> core = new CoreParts(config, clock, database, metrics, calls, json), null);
        steps.add("crash recovery", () -> CrashRecovery.closeInterruptedCalls(core.callStore,
                config.campaign().nodeId(), clock), null);
        steps.add("interrupted list imports", () -> InterruptedImports.failLeftBehind(new ListStore(database, clock),
                config.campaign().nodeId()), null);
        steps.add("write journal", () -> core.journal.start(), () -> core.journal.close());
        steps.add("executors", () -> executors = new ServerExecutors(config), this::stopExecutors);
        steps.add("recordings", () -> (recordings = new RecordingsAndQa(config, clock, database)).startRecordings(),
                () -> recordings.stopRecordings());
        steps.add("speech recognizer (" + config.speech().engine() + ")", speech::startRecognizer,
                speech::stopRecognizer);
        steps.add("speech synthesizer", speech::startSynthesis, speech::stopSynthesis);
        steps.add("dialogs", () -> dialogParts = new DialogsAndCalls(config, clock, database, core, speech,
                executors, calls, recordings.writer(), meters), null);
        steps.add("api routes", this::registerRoutes, null);
        steps.add("web console", () -> console = new ConsoleSetup(core.http, database, config.agi().bind(),
                this::agiPort, this::audioSocketPort, speech.prompts(), calls::active,
                n -> dialogParts.dialogs.find(n).isPresent(), clock), () -> console.close());
        steps.add("qa", () -> recordings.startQa(core.callStore, dialogParts.callService, core.http),
                () -> recordings.stopQa());
        steps.add("audiosocket", () -> (telephony = new TelephonyParts(config, core.health))
                .startAudioSocket(dialogParts.callService, executors.calls), () -> telephony.audioSocket().close());
        steps.add("agi", () -> telephony.startAgi(dialogParts.callService, transfers.events),
                () -> telephony.agi().close());
        if (config.ami().enabled()) {
            steps.add("ami", () -> telephony.startAmi(executors.timer, meters, transfers.events),
                    () -> telephony.ami().close());
        }
        if (config.campaign().enabled()) {
            steps.add("campaigns", () -> (campaignParts = new CampaignParts(config, clock, database))
                    .start(dialogParts, core, this::ami, executors, meters, tasksAndEvents),
                    () -> campaignParts.close());
        }
        steps.add("http", () -> core.http.start(), () -> core.http.stop(Duration.ofSeconds(5)));
    }

    /** The API routes that need the dialogs and calls; HTTP starts last, so they are in place before it listens. */
    private void registerRoutes() {
        DialogsAndCalls d = dialogParts;
        HttpApi http = core.http;
        new DialogRoutes(d.loader, d.dialogStore, d.dialogs,
                dialog -> speech.prepare(List.of(dialog), executors.speechPrepare))
                .webhookTargets(DialogsAndCalls.webhookTargets(config))
                .recognizer(speech.recognizer()).register(http);
        CallQueries callQueries = new CallQueries(database);
        transferStore = new TransferStore(database);
        new CallRoutes(core.callStore, callQueries).withTransfers(transferStore).register(http);
        new CallListRoutes(callQueries, core.phones, recordings.writer().dir()).register(http);
        new AuditRoutes(new AuditStore(database, clock)).register(http);
        new ListRoutes(d.listStore, new ListImporter(d.listStore, core.dncStore, core.phones, clock,
                config.campaign().nodeId()), d.dialogs,
                executors.listImports).register(http);
        new DncRoutes(core.dncStore, core.phones, clock).register(http);
        tasksAndEvents = new TasksAndEvents(config.events(), database, clock, d.followups, http);
        transfers = new TransferParts(config.transfer(), transferStore, this::ami, speech.prompts(),
                tasksAndEvents.tasks, clock, d.callService, core.callStore, http);
    }

    private void stopExecutors() {
        if (campaignParts != null) {
            campaignParts.shutdownWorker();
        }
        if (tasksAndEvents != null) {
            tasksAndEvents.close();
        }
        executors.shutdownNow();
    }

    /** Starts every step in order; on failure stops what had started and rethrows. */
    public synchronized void start() throws Exception {
        if (state != State.NEW) {
            throw new IllegalStateException("server already " + state.name().toLowerCase());
        }
        state = State.STARTING;
        log.info("voicebot starting (home {}, database {})", config.home(), Database.redactUrl(config.db().url()));
        try {
            steps.startAll();
        } catch (Exception e) {
            state = State.STOPPED;
            throw e;
        }
        state = State.RUNNING;
        log.info("voicebot started: FastAGI on port {}, AudioSocket on port {}, HTTP on port {}", agiPort(),
                audioSocketPort(), httpPort());
    }

    /**
     * Graceful shutdown, safe to call more than once and from a shutdown hook: refuse new calls, wait for calls
     * in progress up to shutdown.drain.timeout.s, then stop every step in reverse order.
     */
    public void shutdown() {
        synchronized (this) {
            if (state == State.STOPPING || state == State.STOPPED) {
                return;
            }
            state = State.STOPPING;
        }
        calls.drain();
        Duration drain = config.drainTimeout();
        int active = calls.active();
        log.info("shutdown: draining, {} call(s) in progress, waiting up to {} s", active, drain.toSeconds());
        boolean idle = awaitIdle(drain);
        if (idle) {
            log.info("shutdown: drained, no calls in progress");
        } else {
            log.warn("shutdown: drain timeout after {} s, {} call(s) still in progress: {}", drain.toSeconds(),
                    calls.active(), calls.activeIds());
        }
        synchronized (this) {
            steps.stopAll();
            state = State.STOPPED;
        }
        metrics.close();
        log.info("shutdown: complete");
    }

    private boolean awaitIdle(Duration timeout) {
        try {
            return calls.awaitIdle(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return calls.active() == 0;
        }
    }

    /** A part's piece, or null while the step that makes the part has not run (or is not configured). */
    private static <P, T> T part(P owner, Function<P, T> piece) {
        return owner == null ? null : piece.apply(owner);
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    public VoicebotConfig config() {
        return config;
    }

    public Metrics metrics() {
        return metrics;
    }

    public ActiveCalls calls() {
        return calls;
    }

    public Database database() {
        return database;
    }

    public CallStore callStore() {
        return part(core, c -> c.callStore);
    }

    /** The write-behind journal of calls' writes. */
    public WriteJournal journal() {
        return part(core, c -> c.journal);
    }

    public DncStore dncStore() {
        return part(core, c -> c.dncStore);
    }

    public PhoneNumbers phones() {
        return part(core, c -> c.phones);
    }

    public HttpApi http() {
        return part(core, c -> c.http);
    }

    public CallService callService() {
        return part(dialogParts, d -> d.callService);
    }

    public DialogStore dialogStore() {
        return part(dialogParts, d -> d.dialogStore);
    }

    public ListStore listStore() {
        return part(dialogParts, d -> d.listStore);
    }

    public CampaignStore campaignStore() {
        return part(dialogParts, d -> d.campaignStore);
    }

    public AttemptStore attemptStore() {
        return part(dialogParts, d -> d.attemptStore);
    }

    /** Null when campaign.enabled is false. */
    public CampaignService campaigns() {
        return part(campaignParts, c -> c.service);
    }

    /** Null when campaign.enabled is false. */
    public CampaignReports campaignReports() {
        return part(campaignParts, c -> c.reports);
    }

    public DialQueueStore dialQueue() {
        return part(campaignParts, c -> c.dialQueue);
    }

    public Dialer dialer() {
        return part(campaignParts, c -> c.dialer);
    }

    public TransferStore transferStore() {
        return transferStore;
    }

    public TaskService tasks() {
        return part(tasksAndEvents, t -> t.tasks);
    }

    public QaService qa() {
        return part(recordings, RecordingsAndQa::qa);
    }

    public DialogCatalog dialogs() {
        return part(dialogParts, d -> d.dialogs);
    }

    public PromptCache prompts() {
        return speech.prompts();
    }

    public AmiClient ami() {
        return part(telephony, TelephonyParts::ami);
    }

    public int agiPort() {
        return telephony.agi().port();
    }

    public int audioSocketPort() {
        return telephony.audioSocket().port();
    }

    public int httpPort() {
        return core.http.port();
    }
}
