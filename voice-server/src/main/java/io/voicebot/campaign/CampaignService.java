package io.voicebot.campaign;

import io.voicebot.call.DialogCatalog;
import io.voicebot.store.CampaignLists;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.CampaignStore.Campaign;
import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.dialog.Dialog;
import io.voicebot.store.ListStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What operators do with campaigns: create, start, pause, resume, stop, watch. State changes go to the store and
 * to the scheduler together: a running campaign has a dial job, any other has none.
 */
public final class CampaignService {
    private static final Logger log = LoggerFactory.getLogger(CampaignService.class);

    /** A campaign with its progress. */
    public record View(Campaign campaign, CampaignReports.Progress progress) {}

    private final CampaignStore store;
    private final CampaignLists campaignLists;
    private final CampaignReports reports;
    private final DialogCatalog dialogs;
    private final CampaignScheduler scheduler;
    private final ListStore lists;

    public CampaignService(CampaignStore store, CampaignLists campaignLists, CampaignReports reports,
                           DialogCatalog dialogs, CampaignScheduler scheduler, ListStore lists) {
        this.lists = lists;
        this.store = store;
        this.campaignLists = campaignLists;
        this.reports = reports;
        this.dialogs = dialogs;
        this.scheduler = scheduler;
    }

    /** Creates a draft; the dialog must be one the server can run now. */
    public Campaign create(CampaignSpec spec) {
        List<String> problems = new ArrayList<>(CampaignStore.check(spec));
        Optional<Dialog> dialog = spec.dialogName() == null ? Optional.empty() : dialogs.find(spec.dialogName());
        if (spec.dialogName() != null && !spec.dialogName().isBlank() && dialog.isEmpty()) {
            problems.add("dialog: no dialog named '" + spec.dialogName() + "' is loaded (upload it first)");
        }
        dialog.ifPresent(d -> problems.addAll(missingFields(d, spec.listIds())));
        problems.addAll(failedLists(spec.listIds()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        long id = store.createCampaign(spec);
        log.info("campaign {} ({}) created with dialog {}", id, spec.name(), spec.dialogName());
        return store.findCampaign(id).orElseThrow();
    }

    /**
     * A list imported for this dialog had every row checked for the fields it needs; any other list must at least
     * have a column for each of them, so that no call discovers a missing amount mid-sentence.
     */
    private List<String> missingFields(Dialog d, List<Long> listIds) {
        List<String> problems = new ArrayList<>();
        Set<String> needed = new TreeSet<>(d.requiredContactFields());
        needed.remove("name"); // a column of its own, not a field; checked per row by an import with dialog=
        for (long id : listIds) {
            Optional<ListStore.ContactList> l = lists.findList(id);
            if (l.isEmpty() || d.name().equals(l.get().dialogName())) {
                continue; // an unknown list is reported by the store
            }
            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(l.get().fieldNames());
            if (!missing.isEmpty()) {
                problems.add("lists: list " + id + " (" + l.get().name() + ") has no column "
                        + String.join(", ", missing) + " that dialog " + d.name() + " needs; import it with dialog="
                        + d.name());
            }
        }
        return problems;
    }

    /** A list whose import failed is never dialed: a campaign on it is refused (starting one is, too). */
    private List<String> failedLists(List<Long> listIds) {
        List<String> problems = new ArrayList<>();
        for (long id : listIds) {
            lists.findList(id).filter(l -> ListStore.STATE_FAILED.equals(l.state())).ifPresent(l ->
                    problems.add("lists: list " + id + " (" + l.name() + ") is failed: " + l.error()
                            + "; its contacts would never be called: import the file again as a new list"));
        }
        return problems;
    }

    public Optional<View> view(long id) {
        return store.findCampaign(id).map(c -> new View(c, reports.progress(id)));
    }

    public List<Campaign> list() {
        return store.campaigns();
    }

    public View start(long id) {
        Campaign c = store.start(id);
        scheduler.schedule(id);
        log.info("campaign {} ({}) started: {} number(s) to call", id, c.name(), campaignLists.remaining(id));
        return new View(c, reports.progress(id));
    }

    /** No new calls from now on; calls in progress finish. */
    public View pause(long id) {
        Campaign c = store.pause(id);
        scheduler.unschedule(id);
        log.info("campaign {} ({}) paused", id, c.name());
        return new View(c, reports.progress(id));
    }

    public View resume(long id) {
        Campaign c = store.resume(id);
        scheduler.schedule(id);
        log.info("campaign {} ({}) resumed", id, c.name());
        return new View(c, reports.progress(id));
    }

    public View stop(long id) {
        Campaign c = store.stop(id);
        scheduler.unschedule(id);
        log.info("campaign {} ({}) stopped", id, c.name());
        return new View(c, reports.progress(id));
    }

    /** At start-up: every running campaign gets its dial job back. */
    public void resumeRunning() {
        scheduler.ensure(store.idsIn(CampaignStore.State.RUNNING));
    }
}
