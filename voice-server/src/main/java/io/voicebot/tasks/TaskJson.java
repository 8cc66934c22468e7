package io.voicebot.tasks;

import io.voicebot.log.PhoneMask;
import io.voicebot.store.TaskStore.Task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of a task, for the API and the webhook. */
public final class TaskJson {
    private TaskJson() {}

    /** {@code fullPhone}: the number in full (operators and admins), else masked (agents, the webhook). */
    public static Map<String, Object> view(Task t, boolean fullPhone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("reason", t.reason());
        m.put("kind", t.kind());
        m.put("state", t.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("phone", t.phone() == null ? null : fullPhone ? t.phone() : PhoneMask.mask(t.phone()));
        m.put("campaign_id", t.campaignId());
        m.put("contact_id", t.contactId());
        m.put("attempt_id", t.attemptId());
        m.put("call_id", t.callUuid());
        m.put("call", t.callUuid() == null ? null : "/api/calls/" + t.callUuid());
        m.put("due_at", text(t.dueAt()));
        m.put("note", t.note());
        m.put("claimed_by", t.claimedBy());
        m.put("claimed_at", text(t.claimedAt()));
        m.put("closed_by", t.closedBy());
        m.put("closed_at", text(t.closedAt()));
        m.put("close_note", t.closeNote());
        m.put("created_at", text(t.createdAt()));
        m.put("updated_at", text(t.updatedAt()));
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
