package io.voicebot.campaign;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Quartz with its JDBC job store in voicebot's own database, clustered: every node runs a scheduler with the same
 * name and its own instance id, each running campaign has one dial job that fires every campaign.tick.ms on one
 * node at a time ({@link DisallowConcurrentExecution}), and when a node dies the others keep firing its triggers.
 * A reconcile job settles what dead nodes left behind.
 */
public final class CampaignScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);
    static final String SCHEDULER_NAME = "voicebot";
    static final String GROUP = "campaigns";
    static final String CAMPAIGN_ID = "campaignId";

    private final Scheduler quartz;
    private final Duration tick;

    /** Fires one campaign's tick. */
    @DisallowConcurrentExecution
    public static final class DialJob implements Job {
        private final Dialer dialer;
        private final CampaignScheduler owner;

        DialJob(Dialer dialer, CampaignScheduler owner) {
            this.dialer = dialer;
            this.owner = owner;
        }

        @Override
        public void execute(JobExecutionContext context) {
            long id = context.getMergedJobDataMap().getLong(CAMPAIGN_ID);
            try {
                Dialer.TickResult r = dialer.tick(id);
                if (r == Dialer.TickResult.NOT_RUNNING || r == Dialer.TickResult.FINISHED) {
                    owner.unschedule(id);
                }
            } catch (RuntimeException e) {
                // one bad round must not kill the trigger: the next tick tries again
                log.error("campaign {}: dial round failed: {}", id, e.toString());
            }
        }
    }

    @DisallowConcurrentExecution
    public static final class ReconcileJob implements Job {
        private final Reconciler reconciler;

        ReconcileJob(Reconciler reconciler) {
            this.reconciler = reconciler;
        }

        @Override
        public void execute(JobExecutionContext context) {
            try {
                reconciler.run(null);
            } catch (RuntimeException e) {
                log.error("reconcile failed: {}", e.toString());
            }
        }
    }

    /**
     * Starts a clustered scheduler for node {@code nodeId} on {@code dataSource}; its jobs run {@code dialer} and
     * {@code reconciler}.
     */
    public CampaignScheduler(DataSource dataSource, String nodeId, Duration tick, Duration reconcileEvery,
                             Dialer dialer, Reconciler reconciler) throws SchedulerException {
        this.tick = tick;
        // Quartz looks data sources up by name in a JVM-wide registry: a unique name per scheduler lets tests run
        // several nodes in one JVM.
        String dsName = "voicebot-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the server
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", nodeId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "3");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "voicebot-dialer");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dsName);
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // Poll for triggers every second (the least Quartz allows; default 30 s): an idle node then takes firings
        // of a campaign's trigger too, and takes over within a second or so when the node that fired it dies.
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(Math.max(2000, tick.toMillis() * 3)));
        StdSchedulerFactory factory = new StdSchedulerFactory(p);
        quartz = factory.getScheduler();
        // The JVM-wide scheduler registry holds one scheduler per name; cluster nodes share the name, and tests run
        // several nodes in one JVM, so this one is not kept there (the server owns it).
        SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
        quartz.setJobFactory((bundle, scheduler) -> {
            Class<? extends Job> type = bundle.getJobDetail().getJobClass();
            if (type == DialJob.class) {
                return new DialJob(dialer, this);
            }
            if (type == ReconcileJob.class) {
                return new ReconcileJob(reconciler);
            }
            throw new SchedulerException("no job of type " + type.getName() + " in voicebot");
        });
        quartz.start();
        JobKey rk = JobKey.jobKey("reconcile", "maintenance");
        if (!quartz.checkExists(rk)) {
            try {
                quartz.scheduleJob(JobBuilder.newJob(ReconcileJob.class).withIdentity(rk).build(),
                        TriggerBuilder.newTrigger().withIdentity("reconcile", "maintenance").startNow()
                                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                        .withIntervalInMilliseconds(reconcileEvery.toMillis()).repeatForever()
                                        .withMisfireHandlingInstructionNextWithRemainingCount()).build());
            } catch (org.quartz.ObjectAlreadyExistsException e) {
                // another node scheduled it first
            }
        }
        log.info("campaign scheduler started (node {}, clustered, tick {} ms)", nodeId, tick.toMillis());
    }

    private static JobKey key(long campaignId) {
        return JobKey.jobKey("campaign-" + campaignId, GROUP);
    }

    /** Makes sure the campaign's dial job fires (after start or resume, and for running campaigns at start-up). */
    public void schedule(long campaignId) {
        try {
            if (quartz.checkExists(key(campaignId))) {
                return;
            }
            JobDetail job = JobBuilder.newJob(DialJob.class).withIdentity(key(campaignId))
                    .usingJobData(CAMPAIGN_ID, campaignId).build();
            Trigger t = TriggerBuilder.newTrigger().withIdentity("campaign-" + campaignId, GROUP).startNow()
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(tick.toMillis())
                            .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()).build();
            quartz.scheduleJob(job, t);
        } catch (org.quartz.ObjectAlreadyExistsException e) {
            // another node (or request) scheduled it first: it fires once either way
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule campaign " + campaignId + ": " + e.getMessage(), e);
        }
    }

    /** Stops the campaign's dial job (pause, stop, completion); calls in progress are not touched. */
    public void unschedule(long campaignId) {
        try {
            quartz.deleteJob(key(campaignId));
        } catch (SchedulerException e) {
            log.warn("cannot remove the dial job of campaign {}: {}", campaignId, e.getMessage());
        }
    }

    /** Schedules every campaign in {@code running} that has no dial job (e.g. made before Quartz kept them). */
    public void ensure(List<Long> running) {
        for (long id : running) {
            schedule(id);
        }
    }

    public boolean isScheduled(long campaignId) {
        try {
            return quartz.checkExists(key(campaignId));
        } catch (SchedulerException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            // running jobs finish their round; the triggers stay in the database for the other nodes
            quartz.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("campaign scheduler did not stop cleanly: {}", e.getMessage());
        }
    }
}
