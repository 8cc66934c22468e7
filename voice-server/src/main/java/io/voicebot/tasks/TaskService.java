package io.voicebot.tasks;

import io.voicebot.store.FollowupStore;
import io.voicebot.store.TaskStore;
import io.voicebot.store.TaskStore.NewTask;
import io.voicebot.store.TaskStore.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Follow-up tasks for people: made when the dialer gives up on a number, when a dialog asks for one (through
 * {@link FollowupStore}), and when a transfer finds no agent; listed, claimed and closed through the API. Each new
 * task is announced to the webhook when one is configured.
 */
public final class TaskService {
    private static final Logger log = LoggerFactory.getLogger(TaskService.class);

    private final TaskStore store;
    private final TaskWebhook webhook;

    /** {@code webhook} may be null (none configured). */
    public TaskService(TaskStore store, FollowupStore followups, TaskWebhook webhook) {
        this.store = store;
        this.webhook = webhook;
        followups.onCreated(this::announce);
    }

    /**
     * The dialer settled a number's last attempt without reaching the person or finishing the dialog
     * ({@code outcome}: no_answer, busy, machine, failed, ...): someone should try another way.
     */
    public long attemptsExhausted(long campaignId, long contactId, long attemptId, Long callId, String phone,
                                  String outcome, String why) {
        return create(new NewTask(TaskStore.ATTEMPTS_EXHAUSTED, outcome == null ? "failed" : outcome, callId,
                contactId, campaignId, attemptId, phone, null, why));
    }

    /** A caller asked for a person and the transfer found no agent in {@code queue}: call them back. */
    public long transferFoundNobody(Long callId, String phone, String queue, String note) {
        return create(new NewTask(TaskStore.TRANSFER_NO_AGENT, "call_back", callId, null, null, null, phone, null,
                "no agent answered in queue " + queue + (note == null || note.isBlank() ? "" : ": " + note)));
    }

    public long create(NewTask t) {
        long id = store.create(t);
        log.info("task {} created: {} ({})", id, t.reason(), t.kind());
        announce(id);
        return id;
    }

    private void announce(long id) {
        if (webhook == null) {
            return;
        }
        // read and sent on the webhook's own thread: a dialog that asked for a task never waits for it
        webhook.send(id, () -> store.find(id).<java.util.Map<String, Object>>map(t -> {
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("event", "task.created");
            body.put("task", TaskJson.view(t, false));
            return body;
        }).orElse(null));
    }

    public Optional<Task> find(long id) {
        return store.find(id);
    }

    public List<Task> page(TaskStore.Filter f, Long beforeId, int limit) {
        return store.page(f, beforeId, limit);
    }

    public TaskStore.Result claim(long id, String who) {
        return store.claim(id, who);
    }

    public TaskStore.Result close(long id, String who, String note) {
        return store.close(id, who, note);
    }
}
