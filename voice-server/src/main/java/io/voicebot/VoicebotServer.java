package io.voicebot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.voicebot.api.AuditRoutes;
import io.voicebot.api.CallListRoutes;
import io.voicebot.api.CallRoutes;
import io.voicebot.recording.RecordingRetention;
import io.voicebot.recording.RecordingWriter;
import io.voicebot.store.AuditStore;
import io.voicebot.store.CallQueries;
import io.voicebot.store.RecordingStore;
import java.nio.file.Path;
import io.voicebot.api.DialogRoutes;
import io.voicebot.api.DncRoutes;
import io.voicebot.api.ListRoutes;
import io.voicebot.api.HealthChecks;
import io.voicebot.api.HttpApi;
import io.voicebot.call.ActiveCalls;
import io.voicebot.call.CallContext;
import io.voicebot.call.CallService;
import io.voicebot.call.DialogCatalog;
import io.voicebot.call.Webhooks;
import io.voicebot.campaign.lists.ListImporter;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.Knowledge;
import io.voicebot.dialog.KnowledgeLoader;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.amd.AmdSettings;
import io.voicebot.speech.asr.Recognizer;
import io.voicebot.speech.asr.Recognizers;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.speech.tts.MaryTtsSynthesizer;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.store.FollowupStore;
import io.voicebot.campaign.CampaignScheduler;
import io.voicebot.campaign.CampaignService;
import io.voicebot.campaign.ComplianceRules;
import io.voicebot.campaign.Dialer;
import io.voicebot.campaign.Gate;
import io.voicebot.campaign.Reconciler;
import io.voicebot.api.CampaignRoutes;
import io.voicebot.store.AttemptStore;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.DialogStore;
import io.voicebot.store.ListStore;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.agi.AgiServer;
import io.voicebot.telephony.ami.AmiClient;
import io.voicebot.telephony.audiosocket.AudioSocketServer;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.CallStore;
import io.voicebot.store.Database;
import io.voicebot.store.DncStore;
import io.voicebot.phone.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The composition root: builds every part with plain constructors, starts them in order and stops them in
 * reverse. Shutdown first drains calls (new calls refused, calls in progress may finish for
 * shutdown.drain.timeout.s), then stops each step with a bounded wait.
 */
public final class VoicebotServer {
    private static final Logger log = LoggerFactory.getLogger(VoicebotServer.class);
    /** Longest wait for one step to stop before shutdown moves on to the next. */
    private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(10);

    /** Something that starts and stops; {@code stop} may be null. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private record Step(String name, Action start, Action stop) {}

    private enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final VoicebotConfig config;
    private final Clock clock;
    private final Metrics metrics = new Metrics();
    private final io.voicebot.monitoring.ServerMeters meters = new io.voicebot.monitoring.ServerMeters(metrics);
    private final ActiveCalls calls = new ActiveCalls();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final List<Step> steps = new ArrayList<>();
    private final Deque<Step> started = new ArrayDeque<>();
    private State state = State.NEW;

    private Database database;
    private CallStore callStore;
    private DncStore dncStore;
    private PhoneNumbers phones;
    private HealthChecks health;
    private HttpApi http;
    private DialogStore dialogStore;
    private ListStore listStore;
    private CampaignStore campaignStore;
    private AttemptStore attemptStore;
    private Recognizer recognizer;
    private MaryTtsSynthesizer synthesizer;
    private PromptCache prompts;
    private io.voicebot.console.TestCalls testCalls;
    private DialogLoader loader;
    private DialogCatalog dialogs;
    private ExecutorService speechPrepare;
    private volatile boolean speechReady;
    private ExecutorService listImports;
    private ExecutorService callExecutor;
    private ScheduledExecutorService scheduler;
    private CallService callService;
    private AudioSocketServer audioSocket;
    private AgiServer agi;
    private AmiClient ami;
    private DialQueueStore dialQueue;
    private CampaignReports campaignReports;
    private Dialer dialer;
    private CampaignScheduler campaignScheduler;
    private CampaignService campaignService;
    private ExecutorService dialerWorker;
    private RecordingWriter recordingWriter;
    private RecordingRetention recordingRetention;
    private io.voicebot.qa.QaService qa;
    private FollowupStore followups;
    private io.voicebot.tasks.TaskWebhook taskWebhook;
    private io.voicebot.tasks.TaskService taskService;
    private io.voicebot.store.TransferStore transferStore;
    private io.voicebot.transfer.TransferDesk transferDesk;
    private io.voicebot.transfer.QueueEventTracker transferEvents;
    private io.voicebot.store.WriteJournal journal;
    private DncStore callDnc;

    public VoicebotServer(VoicebotConfig config) {
        this(config, Clock.systemUTC());
    }

    public VoicebotServer(VoicebotConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        metrics.gauge("voicebot_calls_active", "Calls in progress", calls::active);
        metrics.gauge("voicebot_draining", "1 while the server refuses new calls before shutdown",
                () -> calls.isDraining() ? 1 : 0);
        // Start order; shutdown runs the stops in reverse. Each later part is one more step here.
        step("database pool", () -> database = Database.connect(config.db(), metrics.registry()),
                () -> database.close());
        step("database migrations", () -> database.migrate(), null);
        step("components", this::buildComponents, null);
        step("crash recovery", () -> io.voicebot.call.CrashRecovery.closeInterruptedCalls(callStore,
                config.campaign().nodeId(), clock), null);
        step("write journal", () -> journal.start(), () -> journal.close());
        step("executors", this::startExecutors, this::stopExecutors);
        step("recordings", this::startRecordings, this::stopRecordings);
        step("speech recognizer (" + config.speech().engine() + ")",
                () -> recognizer = new io.voicebot.speech.asr.TimedRecognizer(Recognizers.create(config.speech()),
                        meters.asrDecodeSeconds(config.speech().engine())), () -> recognizer.close());
        step("speech synthesizer", this::startSynthesis, this::stopSynthesis);
        step("dialogs", this::loadDialogs, null);
        step("api routes", this::registerRoutes, null);
        step("web console", this::startConsole, () -> testCalls.close());
        step("qa", this::startQa, () -> qa.close());
        step("audiosocket", this::startAudioSocket, () -> audioSocket.close());
        step("agi", this::startAgi, () -> agi.close());
        if (config.ami().enabled()) {
            step("ami", this::startAmi, () -> ami.close());
        }
        if (config.campaign().enabled()) {
            step("campaigns", this::startCampaigns, () -> campaignScheduler.close());
        }
        step("http", () -> http.start(), () -> http.stop(Duration.ofSeconds(5)));
    }

    private void step(String name, Action start, Action stop) {
        steps.add(new Step(name, start, stop));
    }

    /** Stores, health checks and the HTTP API with its routes (routes of later features are added here). */
    private void buildComponents() {
        callStore = new CallStore(database, config.campaign().nodeId());
        // calls' own writes survive a database outage (docs/security.md); the API's report it instead
        journal = new io.voicebot.store.WriteJournal(config.dataDir().resolve("journal"), 100_000);
        callStore.journaled(journal);
        callDnc = new DncStore(database).journaled(journal);
        dncStore = new DncStore(database);
        phones = new PhoneNumbers(config.phone().defaultRegion());
        health = new HealthChecks(() -> database.isHealthy(Duration.ofSeconds(2)), calls::isDraining);
        // Handlers do JDBC: as many workers as pooled connections, within reason.
        http = new HttpApi(config.http(), new ApiTokenStore(database, clock), new AuditStore(database, clock),
                metrics, health, json,
                Math.max(2, Math.min(16, config.db().poolSize())), config.dataDir().resolve("uploads"));
        health.listener("http", http::isBound);
    }

    private void startExecutors() {
        // Call sessions block on synthesis and JDBC: a pool bounded by the number of AGI sessions it serves.
        callExecutor = Executors.newFixedThreadPool(Math.max(4, Math.min(256, config.agi().maxSessions())),
                named("voicebot-call"));
        scheduler = Executors.newScheduledThreadPool(1, named("voicebot-timer"));
        // One thread: preparing speech for new dialogs is background work that must not crowd out calls.
        speechPrepare = Executors.newSingleThreadExecutor(named("voicebot-speech-prepare"));
        // One thread, lowest priority: imports queue behind each other instead of taking both cores from calls.
        listImports = Executors.newSingleThreadExecutor(r -> {
            Thread t = named("voicebot-list-import").newThread(r);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    private void stopExecutors() {
        if (dialerWorker != null) {
            dialerWorker.shutdownNow();
        }
        if (taskWebhook != null) {
            taskWebhook.close();
        }
        callExecutor.shutdownNow();
        scheduler.shutdownNow();
        speechPrepare.shutdownNow();
        listImports.shutdownNow();
    }

    private void startSynthesis() throws Exception {
        synthesizer = MaryTtsSynthesizer.start(config.tts());
        prompts = PromptCache.fromConfig(config, synthesizer);
        prompts.timeRenders(meters.ttsRenderSeconds());
        meters.watchPrompts(prompts);
        meters.watchSynthesizer(synthesizer);
    }

    private void stopSynthesis() {
        prompts.close();
        // Calls have drained by now; what may still be queued is prerendering, not worth waiting for.
        synthesizer.close(Duration.ofSeconds(2));
    }

    private void loadDialogs() throws Exception {
        GrammarLibrary grammars = GrammarLibrary.load(config.dialogs().grammarsDir());
        Knowledge knowledge = KnowledgeLoader.load(config.dialogs().knowledgeFile());
        loader = new DialogLoader(grammars, knowledge);
        Map<String, Dialog> loaded = new java.util.TreeMap<>(loader.loadDir(config.dialogs().dialogsDir()));
        dialogStore = new DialogStore(database, clock);
        listStore = new ListStore(database, clock);
        campaignStore = new CampaignStore(database, clock);
        attemptStore = new AttemptStore(database, clock);
        loaded.putAll(storedDialogs());
        dialogs = new DialogCatalog(loaded);
        followups = new FollowupStore(database, clock);
        CallContext ctx = new CallContext(recognizer, prompts, callStore, followups, callDnc, phones,
                new Webhooks(callExecutor, Duration.ofSeconds(5), webhookTargets()), TurnOptions.from(config.speech()),
                clock,
                ZoneId.systemDefault(), callExecutor, scheduler, config.transfer().defaultQueue(),
                Duration.ofSeconds(30), AmdSettings.from(config.amd()));
        String host = config.audioSocket().bind().equals("0.0.0.0") ? "127.0.0.1" : config.audioSocket().bind();
        callService = new CallService(ctx, dialogs, attemptStore, calls, host + ":" + config.audioSocket().port(),
                Duration.ofHours(2), recordingWriter);
        meters.watchCalls(callService);
        log.info("dialogs loaded: {}", new java.util.TreeSet<>(loaded.keySet()));
        prepareSpeech(loaded.values());
        // GET /ready: ready once that first preparation is done (the executor runs tasks in order).
        speechPrepare.execute(() -> speechReady = true);
        health.readiness("speech", () -> speechReady);
    }

    /**
     * Dialogs uploaded earlier (the dialogs table); they override the file of the same name. One that no longer
     * compiles (e.g. a grammar changed since) is logged with its problems and skipped: the others still start.
     */
    private Map<String, Dialog> storedDialogs() {
        Map<String, Dialog> out = new java.util.TreeMap<>();
        for (DialogStore.StoredDialog s : dialogStore.dialogs()) {
            String source = "dialogs table: " + s.name() + " v" + s.version();
            try {
                Dialog d = loader.parse(source, s.body());
                if (!d.name().equals(s.name())) {
                    log.warn("stored dialog {} skipped: its script is named '{}'", s.name(), d.name());
                    continue;
                }
                out.put(d.name(), d);
            } catch (DialogException e) {
                log.warn("stored dialog {} v{} skipped; it no longer compiles:\n  {}", s.name(), s.version(),
                        String.join("\n  ", e.problems()));
            }
        }
        return out;
    }

    /** The API routes that need the dialogs and calls; HTTP starts last, so they are in place before it listens. */
    private void registerRoutes() {
        new DialogRoutes(loader, dialogStore, dialogs, d -> prepareSpeech(java.util.List.of(d)))
                .webhookTargets(webhookTargets()).register(http);
        CallQueries callQueries = new CallQueries(database);
        transferStore = new io.voicebot.store.TransferStore(database);
        new CallRoutes(callStore, callQueries).withTransfers(transferStore).register(http);
        new CallListRoutes(callQueries, phones, recordingWriter.dir()).register(http);
        new AuditRoutes(new AuditStore(database, clock)).register(http);
        new ListRoutes(listStore, new ListImporter(listStore, dncStore, phones, clock), dialogs, listImports)
                .register(http);
        new DncRoutes(dncStore, phones, clock).register(http);
        wireTasks();
        wireTransfers();
    }

    /** Follow-up tasks for people: the API, and the webhook told of each new one (docs/events-and-tasks.md). */
    private void wireTasks() {
        VoicebotConfig.Events ec = config.events();
        taskWebhook = ec.taskWebhookUrl().isEmpty() ? null : new io.voicebot.tasks.TaskWebhook(ec.taskWebhookUrl(),
                ec.taskWebhookTries(), Duration.ofSeconds(5), Duration.ofSeconds(1));
        taskService = new io.voicebot.tasks.TaskService(new io.voicebot.store.TaskStore(database, clock), followups,
                taskWebhook);
        new io.voicebot.api.TaskRoutes(taskService).register(http);
    }

    /** The web console's pages under /console, its dashboard summary and test calls (docs/console.md). */
    private void startConsole() {
        String bind = config.agi().bind();
        testCalls = new io.voicebot.console.TestCalls(bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind,
                this::agiPort, this::audioSocketPort, prompts, clock);
        new io.voicebot.console.ConsoleRoutes(new io.voicebot.store.DashboardQueries(database), calls::active,
                testCalls, n -> dialogs.find(n).isPresent(), clock).register(http);
        http.serveFiles("/console", "console");
    }

    /** Warm transfers: queue check, whisper, screen-pop, callbacks (docs/transfer.md). */
    private void wireTransfers() {
        VoicebotConfig.Transfer tc = config.transfer();
        // JDBC after AMI queue events: one thread, bounded, apart from the calls' executor
        java.util.concurrent.ThreadPoolExecutor worker = new java.util.concurrent.ThreadPoolExecutor(1, 1, 60,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(10_000),
                named("voicebot-transfer-events"));
        io.voicebot.transfer.AgentFeed feed = new io.voicebot.transfer.AgentFeed(tc.streamClients());
        transferDesk = new io.voicebot.transfer.TransferDesk(transferStore, () -> ami,
                new io.voicebot.transfer.WhisperFiles(tc.whisperDir(), prompts::render), feed, taskService,
                new io.voicebot.transfer.TransferDesk.Settings(tc.maxWait(), tc.checkTimeout(), tc.priority(),
                        tc.callbackDelay(), tc.whisperWait()), clock, worker);
        transferEvents = new io.voicebot.transfer.QueueEventTracker(transferDesk);
        callService.useTransfers(transferDesk);
        new io.voicebot.api.AgentRoutes(callStore, transferStore, feed, tc.agentQueues()).register(http);
    }

    /**
     * Event-triggered calls: an event queues its number in the campaign its type maps to and wakes that campaign's
     * dialer for a round at once; campaigns fed by events stay running when their queue empties; a number whose
     * last attempt fails becomes a task.
     */
    private void wireEvents() {
        VoicebotConfig.Events ec = config.events();
        io.voicebot.store.EventStore eventStore = new io.voicebot.store.EventStore(database, clock);
        io.voicebot.events.EventTypes types = io.voicebot.events.EventTypes.load(ec.file(), ec.defaultDedupe(),
                eventStore, campaignStore);
        dialer.keepRunningWhile(types::feeds);
        dialer.addSettlementListener((c, a, outcome, next) -> {
            if (next.state() == DialQueueStore.EntryState.EXHAUSTED) {
                taskService.attemptsExhausted(c.id(), a.contactId(), a.attemptId(), a.callId(), a.phone(), outcome,
                        next.reason());
            }
        });
        io.voicebot.events.EventService events = new io.voicebot.events.EventService(eventStore, types, dncStore,
                phones, dialer::wake, clock);
        new io.voicebot.api.EventRoutes(events, eventStore, ec.defaultDedupe()).register(http);
    }

    /**
     * Gets the recognizer ready for every phrase list and renders every fixed prompt of the loaded dialogs, in
     * the background: the server takes calls at once, and the first callers mostly find both ready.
     */
    private void prepareSpeech(java.util.Collection<Dialog> loaded) {
        speechPrepare.execute(() -> {
            long t0 = System.nanoTime();
            java.util.Set<Dialog.PhraseList> lists = new java.util.LinkedHashSet<>();
            java.util.Set<String> fixedPrompts = new java.util.LinkedHashSet<>();
            for (Dialog d : loaded) {
                lists.addAll(d.vocabularies());
                fixedPrompts.addAll(io.voicebot.speech.tts.PrerenderBudget.take(d.name(), d.fixedPrompts(),
                        io.voicebot.speech.tts.PrerenderBudget.PER_DIALOG)); // a huge upload cannot hog synthesis
            }
            prompts.prefetch(fixedPrompts, config.speech().sampleRate()); // low priority: calls go first
            for (Dialog.PhraseList list : lists) {
                try {
                    recognizer.prepare(new io.voicebot.speech.asr.Vocabulary(list.phrases(), list.repeat(),
                            list.secondary()));
                } catch (RuntimeException e) {
                    log.warn("cannot prepare the recognizer for a dialog phrase list: {}", e.getMessage());
                }
            }
            log.info("speech ready for {} phrase lists and {} fixed prompts in {} ms", lists.size(),
                    fixedPrompts.size(), (System.nanoTime() - t0) / 1_000_000);
        });
    }

    private void startAudioSocket() throws Exception {
        audioSocket = new AudioSocketServer(config.audioSocket(), callService, callExecutor)
                .allowOnly(io.voicebot.telephony.access.PeerFilter.fromConfig("AudioSocket", "audiosocket.allow",
                        config.access().audioSocketAllow(), config.ami()))
                .mediaTimeout(config.access().mediaTimeout()).start();
        health.listener("audiosocket", audioSocket::isBound);
    }

    private void startAgi() throws Exception {
        agi = new AgiServer(config.agi(), transferEvents.register(callService.register(new AgiRouter())))
                .allowOnly(io.voicebot.telephony.access.PeerFilter.fromConfig("FastAGI", "agi.allow",
                        config.access().agiAllow(), config.ami()))
                .maxReplyBytes(config.access().agiMaxReplyBytes()).start();
        health.listener("agi", agi::isBound);
    }

    private void startAmi() {
        ami = new AmiClient(config.ami(), scheduler);
        meters.watchAmi(ami);
        transferEvents.listen(ami);
        ami.start();
        health.listener("ami", ami::isConnected, ami::unavailableReason);
    }

    /**
     * The dialer: compliance rules, the clustered Quartz scheduler with a dial job per running campaign, and the
     * campaign routes (HTTP starts after this step).
     */
    private void startCampaigns() throws Exception {
        ComplianceRules rules = ComplianceRules.load(config.campaign().complianceFile());
        dialQueue = new DialQueueStore(database, clock);
        campaignReports = new CampaignReports(database);
        // Settling attempts is short JDBC work off the AMI event thread, apart from the calls' own executor.
        dialerWorker = Executors.newFixedThreadPool(2, named("voicebot-dialer-settle"));
        VoicebotConfig.Campaign cc = config.campaign();
        dialer = new Dialer(campaignStore, dialQueue, new Gate(rules), dialogs, () -> ami, cc,
                config.transfer().defaultQueue(), clock, scheduler, dialerWorker, callService::prepareAttempt);
        callService.addListener(e -> {
            if (e.attemptId() != null) {
                dialer.callEnded(e.attemptId());
            }
        });
        // longer than an originate can take on a live node: after it, an attempt still "started" has lost its node
        Duration grace = cc.originateTimeout().plus(config.ami().commandTimeout()).plusSeconds(5);
        Reconciler reconciler = new Reconciler(dialQueue, campaignStore, dialer, () -> ami, clock, grace,
                Duration.ofHours(2));
        campaignScheduler = new CampaignScheduler(database.dataSource(), cc.nodeId(), cc.tick(),
                cc.reconcileInterval(), dialer, reconciler);
        campaignService = new CampaignService(campaignStore, dialQueue, campaignReports, dialogs,
                campaignScheduler, listStore);
        campaignService.resumeRunning();
        meters.watchDialer(dialer);
        meters.watchCampaigns(campaignStore, campaignService);
        new CampaignRoutes(campaignService, campaignReports).register(http);
        wireEvents();
        io.voicebot.store.ResultQueries results = new io.voicebot.store.ResultQueries(database);
        new io.voicebot.api.ResultRoutes(id -> campaignStore.findCampaign(id).isPresent(), new io.voicebot.results.CampaignResults(campaignReports,
                results), new io.voicebot.results.CsvExport(new io.voicebot.store.CampaignExport(database), results))
                .register(http);
    }

    /** Transcript QA: every call that ends is checked on the QA service's own thread (docs/results-and-qa.md). */
    private void startQa() throws Exception {
        io.voicebot.store.QaStore qaStore = new io.voicebot.store.QaStore(database, clock);
        qa = new io.voicebot.qa.QaService(callStore, qaStore, config.home().resolve("config/qa-rules.yaml"));
        callService.addListener(e -> qa.callEnded(e.callRowId()));
        new io.voicebot.api.QaRoutes(qa, qaStore).register(http);
    }

    public io.voicebot.qa.QaService qa() {
        return qa;
    }

    /** The recording writer (its own thread) and the retention job that deletes old recordings. */
    private void startRecordings() {
        RecordingStore store = new RecordingStore(database);
        Path dir = config.dataDir().resolve("recordings");
        // 1200 chunks of 500 ms: ten minutes of audio across all calls may wait for a slow disk
        recordingWriter = new RecordingWriter(dir, store, clock, 1200);
        recordingRetention = new RecordingRetention(store, dir, clock, config.recording().retention());
        recordingRetention.start(config.recording().retentionCheck());
    }

    private void stopRecordings() throws InterruptedException {
        recordingRetention.close();
        recordingWriter.close(Duration.ofSeconds(5));
    }

    /** webhook.allow; a bad entry fails start-up naming the key. */
    private io.voicebot.net.WebhookTargets webhookTargets() {
        try {
            return io.voicebot.net.WebhookTargets.parse(config.access().webhookAllow());
        } catch (IllegalArgumentException e) {
            throw new io.voicebot.config.ConfigException("invalid webhook.allow: " + e.getMessage());
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts every step in order; on failure stops what had started and rethrows. */
    public synchronized void start() throws Exception {
        if (state != State.NEW) {
            throw new IllegalStateException("server already " + state.name().toLowerCase());
        }
        state = State.STARTING;
        log.info("voicebot starting (home {}, database {})", config.home(), Database.redactUrl(config.db().url()));
        for (Step s : steps) {
            try {
                s.start.run();
                started.push(s);
            } catch (Exception e) {
                log.error("start-up failed at step '{}': {}", s.name, e.getMessage());
                stopSteps();
                state = State.STOPPED;
                throw e;
            }
        }
        state = State.RUNNING;
        log.info("voicebot started: FastAGI on port {}, AudioSocket on port {}, HTTP on port {}", agi.port(),
                audioSocket.port(), http.port());
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
            stopSteps();
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

    private void stopSteps() {
        ExecutorService stopper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "voicebot-stop");
            t.setDaemon(true);
            return t;
        });
        try {
            while (!started.isEmpty()) {
                Step s = started.pop();
                if (s.stop == null) {
                    continue;
                }
                Future<?> f = stopper.submit(() -> {
                    s.stop.run();
                    return null;
                });
                try {
                    f.get(STOP_STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    log.warn("shutdown: step '{}' did not stop within {} s; moving on", s.name,
                            STOP_STEP_TIMEOUT.toSeconds());
                } catch (ExecutionException e) {
                    log.warn("shutdown: step '{}' failed to stop: {}", s.name, e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.warn("shutdown: interrupted while stopping '{}'", s.name);
                }
            }
        } finally {
            stopper.shutdownNow();
        }
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
        return callStore;
    }

    /** The write-behind journal of calls' writes. */
    public io.voicebot.store.WriteJournal journal() {
        return journal;
    }

    public DncStore dncStore() {
        return dncStore;
    }

    public PhoneNumbers phones() {
        return phones;
    }

    public HttpApi http() {
        return http;
    }

    public CallService callService() {
        return callService;
    }

    public DialogStore dialogStore() {
        return dialogStore;
    }

    public ListStore listStore() {
        return listStore;
    }

    public CampaignStore campaignStore() {
        return campaignStore;
    }

    public AttemptStore attemptStore() {
        return attemptStore;
    }

    /** Null when campaign.enabled is false. */
    public CampaignService campaigns() {
        return campaignService;
    }

    /** Null when campaign.enabled is false. */
    public CampaignReports campaignReports() {
        return campaignReports;
    }

    public DialQueueStore dialQueue() {
        return dialQueue;
    }

    public Dialer dialer() {
        return dialer;
    }

    public io.voicebot.store.TransferStore transferStore() {
        return transferStore;
    }

    public io.voicebot.tasks.TaskService tasks() {
        return taskService;
    }

    public DialogCatalog dialogs() {
        return dialogs;
    }

    public PromptCache prompts() {
        return prompts;
    }

    public AmiClient ami() {
        return ami;
    }

    public int agiPort() {
        return agi.port();
    }

    public int audioSocketPort() {
        return audioSocket.port();
    }

    public int httpPort() {
        return http.port();
    }
}
