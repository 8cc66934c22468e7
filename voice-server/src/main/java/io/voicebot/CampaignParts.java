package io.voicebot;

import io.voicebot.api.CampaignRoutes;
import io.voicebot.api.ResultRoutes;
import io.voicebot.campaign.CampaignScheduler;
import io.voicebot.campaign.CampaignService;
import io.voicebot.campaign.ComplianceRules;
import io.voicebot.campaign.Dialer;
import io.voicebot.campaign.Gate;
import io.voicebot.campaign.Reconciler;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.monitoring.ServerMeters;
import io.voicebot.results.CampaignResults;
import io.voicebot.results.CsvExport;
import io.voicebot.store.CampaignExport;
import io.voicebot.store.CampaignLists;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.Database;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.ResultQueries;
import io.voicebot.telephony.ami.AmiClient;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The dialer: compliance rules, the clustered Quartz scheduler with a dial job per running campaign, the
 * campaign, event and result routes. Fields are set as {@link #start} goes, so a failed start stops what it made.
 */
final class CampaignParts {
    private final VoicebotConfig config;
    private final Clock clock;
    private final Database database;
    DialQueueStore dialQueue;
    CampaignReports reports;
    /** Settles attempts: short JDBC work off the AMI event thread, apart from the calls' own executor. */
    ExecutorService worker;
    Dialer dialer;
    CampaignScheduler scheduler;
    CampaignService service;

    CampaignParts(VoicebotConfig config, Clock clock, Database database) {
        this.config = config;
        this.clock = clock;
        this.database = database;
    }

    void start(DialogsAndCalls d, CoreParts core, Supplier<AmiClient> ami, ServerExecutors executors,
            ServerMeters meters, TasksAndEvents tasksAndEvents) throws Exception {
        ComplianceRules rules = ComplianceRules.load(config.campaign().complianceFile());
        dialQueue = new DialQueueStore(database, clock);
        reports = new CampaignReports(database);
        CampaignLists lists = new CampaignLists(database);
        worker = Executors.newFixedThreadPool(2, ServerExecutors.named("voicebot-dialer-settle"));
        VoicebotConfig.Campaign cc = config.campaign();
        dialer = new Dialer(d.campaignStore, dialQueue, lists, new Gate(rules), d.dialogs, ami, cc,
                config.transfer().defaultQueue(), clock, executors.timer, worker, d.callService::prepareAttempt);
        d.callService.addListener(e -> {
            if (e.attemptId() != null) {
                dialer.callEnded(e.attemptId());
            }
        });
        // longer than an originate can take on a live node: after it, an attempt still "started" has lost its node
        Duration grace = cc.originateTimeout().plus(config.ami().commandTimeout()).plusSeconds(5);
        Reconciler reconciler = new Reconciler(dialQueue, d.campaignStore, dialer, ami, clock, grace,
                Duration.ofHours(2), d.callService::attemptsRunning);
        scheduler = new CampaignScheduler(database.dataSource(), cc.nodeId(), cc.tick(), cc.reconcileInterval(),
                dialer, reconciler);
        service = new CampaignService(d.campaignStore, lists, reports, d.dialogs, scheduler, d.listStore);
        service.resumeRunning();
        meters.watchDialer(dialer);
        meters.watchCampaigns(d.campaignStore, service);
        new CampaignRoutes(service, reports).register(core.http);
        tasksAndEvents.wireEvents(config.events(), database, clock, dialer, d.campaignStore, core.dncStore,
                core.phones, core.http);
        ResultQueries results = new ResultQueries(database);
        new ResultRoutes(id -> d.campaignStore.findCampaign(id).isPresent(), new CampaignResults(reports, results),
                new CsvExport(new CampaignExport(database), results)).register(core.http);
    }

    void close() {
        scheduler.close();
    }

    void shutdownWorker() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
