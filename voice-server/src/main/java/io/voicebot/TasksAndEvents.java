package io.voicebot;

import io.voicebot.api.EventRoutes;
import io.voicebot.api.HttpApi;
import io.voicebot.api.TaskRoutes;
import io.voicebot.campaign.Dialer;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.events.EventService;
import io.voicebot.events.EventTypes;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.Database;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.DncStore;
import io.voicebot.store.EventStore;
import io.voicebot.store.FollowupStore;
import io.voicebot.store.TaskStore;
import io.voicebot.tasks.TaskService;
import io.voicebot.tasks.TaskWebhook;

import java.time.Clock;
import java.time.Duration;

/** Follow-up tasks for people and event-triggered calls (docs/events-and-tasks.md). */
final class TasksAndEvents {
    /** Null when no task webhook is configured. */
    final TaskWebhook webhook;
    final TaskService tasks;

    /** Tasks: the API, and the webhook told of each new one. */
    TasksAndEvents(VoicebotConfig.Events ec, Database database, Clock clock, FollowupStore followups,
            HttpApi http) {
        webhook = ec.taskWebhookUrl().isEmpty() ? null : new TaskWebhook(ec.taskWebhookUrl(),
                ec.taskWebhookTries(), Duration.ofSeconds(5), Duration.ofSeconds(1));
        tasks = new TaskService(new TaskStore(database, clock), followups, webhook);
        new TaskRoutes(tasks).register(http);
    }

    /**
     * Event-triggered calls: an event queues its number in the campaign its type maps to and wakes that campaign's
     * dialer for a round at once; campaigns fed by events stay running when their queue empties; a number whose
     * last attempt fails becomes a task.
     */
    void wireEvents(VoicebotConfig.Events ec, Database database, Clock clock, Dialer dialer,
            CampaignStore campaignStore, DncStore dncStore, PhoneNumbers phones, HttpApi http) {
        EventStore eventStore = new EventStore(database, clock);
        EventTypes types = EventTypes.load(ec.file(), ec.defaultDedupe(), eventStore, campaignStore);
        dialer.keepRunningWhile(types::feeds);
        dialer.addSettlementListener((c, a, outcome, next) -> {
            if (next.state() == DialQueueStore.EntryState.EXHAUSTED) {
                tasks.attemptsExhausted(c.id(), a.contactId(), a.attemptId(), a.callId(), a.phone(), outcome,
                        next.reason());
            }
        });
        EventService events = new EventService(eventStore, types, dncStore, phones, dialer::wake, clock);
        new EventRoutes(events, eventStore, ec.defaultDedupe()).register(http);
    }

    void close() {
        if (webhook != null) {
            webhook.close();
        }
    }
}
