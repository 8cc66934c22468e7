package io.voicebot.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.log.PhoneMask;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.DncStore;
import io.voicebot.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * What a business event does. A type that calls a campaign adds the customer's number to that campaign's dial
 * queue and wakes the dialer (the compliance gate still decides when the call goes out); a repeat within the
 * type's dedupe window is a duplicate; a resolving type cancels the queued calls it makes moot. A number that is
 * invalid or on the do-not-call list is blocked and never queued. Every event is stored with its result and the
 * response; a replay of an idempotency key gets that response again without acting.
 */
public final class EventService {
    private static final Logger log = LoggerFactory.getLogger(EventService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A validated event. {@code fields} are the contact's dialog variables ("name" included). */
    public record EventInput(String type, String customer, String phone, Map<String, String> fields,
                             String timezone, String idempotencyKey) {}

    /** The HTTP status and JSON body to answer with. */
    public record Reply(int status, Map<String, Object> body) {}

    private final EventStore store;
    private final EventTypes types;
    private final DncStore dnc;
    private final PhoneNumbers phones;
    private final LongConsumer wake;
    private final Clock clock;

    /** {@code wake}: runs the campaign's dial round now (an event queued a number for it). */
    public EventService(EventStore store, EventTypes types, DncStore dnc, PhoneNumbers phones, LongConsumer wake,
                        Clock clock) {
        this.store = store;
        this.types = types;
        this.dnc = dnc;
        this.phones = phones;
        this.wake = wake;
        this.clock = clock;
    }

    public EventTypes types() {
        return types;
    }

    /** IllegalArgumentException "type: ..." when the type is neither configured nor resolves one. */
    public Reply handle(EventInput in) {
        Optional<EventTypes.EventType> trigger = types.find(in.type());
        List<EventTypes.EventType> resolves = types.resolvedBy(in.type());
        if (trigger.isEmpty() && resolves.isEmpty()) {
            throw new IllegalArgumentException("type: no event type '" + in.type() + "' is configured (see GET "
                    + "/api/event-types)");
        }
        if (in.idempotencyKey() != null) {
            Optional<Reply> earlier = replay(in.idempotencyKey());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Optional<Long> id = store.receive(in.type(), in.customer(), in.phone(), in.idempotencyKey(), payload(in));
        if (id.isEmpty()) {
            // the same key arrived at the same moment: answer what the first one answered
            return replay(in.idempotencyKey()).orElse(new Reply(409, Map.of("error", "an event with idempotency key '"
                    + in.idempotencyKey() + "' is being handled; retry shortly", "status", 409)));
        }
        long eventId = id.get();
        Map<String, Object> body = trigger.isPresent() ? trigger(eventId, in, trigger.get())
                : resolve(eventId, in, resolves);
        return new Reply(200, body);
    }

    private Optional<Reply> replay(String key) {
        return store.byKey(key).filter(e -> e.response() != null).map(e -> {
            try {
                return new Reply(200, JSON.readValue(e.response(), new TypeReference<LinkedHashMap<String, Object>>() {
                }));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("stored response of event " + e.id() + " is not JSON", ex);
            }
        });
    }

    private Map<String, Object> trigger(long eventId, EventInput in, EventTypes.EventType t) {
        Optional<CampaignStore.Campaign> found = types.campaign(t);
        if (found.isEmpty()) {
            return decide(eventId, in, "blocked", "campaign", "event type " + t.type() + " calls campaign "
                    + (t.campaignId() != null ? t.campaignId() : "'" + t.campaignName() + "'")
                    + ", which does not exist", null, null, null);
        }
        CampaignStore.Campaign c = found.get();
        if (c.state() != CampaignStore.State.RUNNING && c.state() != CampaignStore.State.PAUSED) {
            return decide(eventId, in, "blocked", "campaign", "campaign " + c.id() + " (" + c.name() + ") is "
                    + c.state().id() + "; it takes events while running or paused", c.id(), null, null);
        }
        PhoneNumbers.Parsed p = phones.parse(in.phone());
        if (p instanceof PhoneNumbers.Invalid bad) {
            return decide(eventId, in, "blocked", "invalid_number", "phone " + bad.reason(), c.id(), null, null);
        }
        PhoneNumbers.Valid v = (PhoneNumbers.Valid) p;
        Instant now = clock.instant();
        if (dnc.isBlocked(v.e164(), now)) {
            String why = dnc.find(v.e164()).map(DncStore.Entry::reason).filter(r -> r != null && !r.isBlank())
                    .map(r -> " (" + r + ")").orElse("");
            return decide(eventId, in, "blocked", "dnc", "number is on the do-not-call list" + why, c.id(), null,
                    v.e164());
        }
        Optional<Long> earlier = store.queuedSince(in.customer(), in.type(), now.minus(t.dedupe()), eventId);
        if (earlier.isPresent()) {
            return decide(eventId, in, "duplicate", "dedupe", "event " + earlier.get() + " of the same customer "
                    + "and type queued a call within the last " + t.dedupe(), c.id(), null, v.e164());
        }
        Map<String, String> fields = new LinkedHashMap<>(in.fields());
        String name = fields.remove("name");
        String zones = in.timezone() != null ? in.timezone() : String.join(",", v.timeZones());
        EventStore.QueueResult q = store.queue(c.id(), c.listId(), v.e164(), name, fields,
                zones.isEmpty() ? null : zones, v.region(), eventId);
        switch (q.what()) {
            case ALREADY_QUEUED:
                return decide(eventId, in, "duplicate", "queued", "the number is already waiting in campaign "
                        + c.id() + "'s queue", c.id(), q.contactId(), v.e164());
            case IN_PROGRESS:
                return decide(eventId, in, "duplicate", "in_progress", "a call to the number in campaign " + c.id()
                        + " is in progress", c.id(), q.contactId(), v.e164());
            default:
                break;
        }
        Map<String, Object> body = decide(eventId, in, "queued", null, "queued in campaign " + c.id() + " ("
                + c.name() + ")" + (c.state() == CampaignStore.State.PAUSED ? "; the campaign is paused, the call "
                + "goes out when it resumes" : "; the call goes out as soon as the compliance gate allows"),
                c.id(), q.contactId(), v.e164());
        log.info("event {} ({}): {} queued in campaign {}", eventId, in.type(), PhoneMask.mask(v.e164()), c.id());
        if (c.state() == CampaignStore.State.RUNNING) {
            try {
                wake.accept(c.id());
            } catch (RuntimeException e) {
                // the next tick dials it anyway
                log.warn("event {}: cannot wake the dialer of campaign {}: {}", eventId, c.id(), e.toString());
            }
        }
        return body;
    }

    private Map<String, Object> resolve(long eventId, EventInput in, List<EventTypes.EventType> resolves) {
        List<Map<String, Object>> cancelled = new ArrayList<>();
        int started = 0;
        Long campaignId = null;
        for (EventTypes.EventType t : resolves) {
            Optional<CampaignStore.Campaign> c = types.campaign(t);
            if (c.isEmpty()) {
                continue;
            }
            for (EventStore.Touched x : store.cancel(c.get().id(), t.type(), in.customer(), "cancelled: event "
                    + eventId + " (" + in.type() + ") resolved " + t.type())) {
                if (x.state().equals("pending")) {
                    cancelled.add(Map.of("campaign_id", x.campaignId(), "contact_id", x.contactId(),
                            "event_type", t.type()));
                    campaignId = x.campaignId();
                } else {
                    started++;
                }
            }
        }
        if (!cancelled.isEmpty()) {
            Map<String, Object> body = decide(eventId, in, "cancelled", null, cancelled.size() + " queued call(s) "
                    + "cancelled" + (started > 0 ? "; " + started + " already in progress" : ""), campaignId,
                    (Long) cancelled.get(0).get("contact_id"), null);
            body.put("cancelled", cancelled);
            store.decided(eventId, "cancelled", (String) body.get("reason"), campaignId,
                    (Long) cancelled.get(0).get("contact_id"), null, write(body));
            return body;
        }
        return decide(eventId, in, "ignored", null, started > 0 ? "the call for customer " + in.customer()
                + " has already started; it is not cancelled" : "no queued call of customer " + in.customer()
                + " for " + resolves.stream().map(EventTypes.EventType::type).toList() + " to cancel",
                null, null, null);
    }

    private Map<String, Object> decide(long eventId, EventInput in, String result, String rule, String reason,
                                       Long campaignId, Long contactId, String e164) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", eventId);
        body.put("type", in.type());
        body.put("customer", in.customer());
        body.put("result", result);
        if (rule != null) {
            body.put("rule", rule);
        }
        body.put("reason", reason);
        body.put("campaign_id", campaignId);
        body.put("contact_id", contactId);
        store.decided(eventId, result, (rule == null ? "" : rule + ": ") + reason, campaignId, contactId, e164,
                write(body));
        if (!result.equals("queued")) {
            log.info("event {} ({}): {}{}", eventId, in.type(), result, rule == null ? "" : " (" + rule + ")");
        }
        return body;
    }

    private static String payload(EventInput in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fields", in.fields());
        m.put("timezone", in.timezone());
        return write(m);
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
