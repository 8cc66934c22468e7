package io.voicebot.campaign;

import io.voicebot.call.DialogCatalog;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.store.DialQueueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What operators do with campaigns: create, start, pause, resume, stop, watch. State changes go to the store and
 * to the scheduler together: a running campaign has a dial job, any other has none.
 */
public final class CampaignService {
    private static final Logger log = LoggerFactory.getLogger(CampaignService.class);

    /** A campaign with its progress. */
    public record View(Campaign campaign, DialQueueStore.Progress progress) {}

    private final CampaignStore store;
    private final DialQueueStore queue;
    private final DialogCatalog dialogs;
    private final CampaignScheduler scheduler;

    public CampaignService(CampaignStore store, DialQueueStore queue, DialogCatalog dialogs,
                           CampaignScheduler scheduler) {
        this.store = store;
        this.queue = queue;
        this.dialogs = dialogs;
        this.scheduler = scheduler;
    }

    /** Creates a draft; the dialog must be one the server can run now. */
    public Campaign create(CampaignSpec spec) {
        List<String> problems = new ArrayList<>(CampaignStore.check(spec));
        if (spec.dialogName() != null && !spec.dialogName().isBlank() && dialogs.find(spec.dialogName()).isEmpty()) {
            problems.add("dialog: no dialog named '" + spec.dialogName() + "' is loaded (upload it first)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        long id = store.createCampaign(spec);
        log.info("campaign {} ({}) created with dialog {}", id, spec.name(), spec.dialogName());
        return store.findCampaign(id).orElseThrow();
    }

    public Optional<View> view(long id) {
        return store.findCampaign(id).map(c -> new View(c, queue.progress(id)));
    }

    public List<Campaign> list() {
        return store.campaigns();
    }

    public View start(long id) {
        Campaign c = store.start(id);
        scheduler.schedule(id);
        log.info("campaign {} ({}) started: {} number(s) to call", id, c.name(), queue.remaining(id));
        return new View(c, queue.progress(id));
    }

    /** No new calls from now on; calls in progress finish. */
    public View pause(long id) {
        Campaign c = store.pause(id);
        scheduler.unschedule(id);
        log.info("campaign {} ({}) paused", id, c.name());
        return new View(c, queue.progress(id));
    }

    public View resume(long id) {
        Campaign c = store.resume(id);
        scheduler.schedule(id);
        log.info("campaign {} ({}) resumed", id, c.name());
        return new View(c, queue.progress(id));
    }

    public View stop(long id) {
        Campaign c = store.stop(id);
        scheduler.unschedule(id);
        log.info("campaign {} ({}) stopped", id, c.name());
        return new View(c, queue.progress(id));
    }

    /** At start-up: every running campaign gets its dial job back. */
    public void resumeRunning() {
        scheduler.ensure(store.idsIn(CampaignStore.State.RUNNING));
    }
}
