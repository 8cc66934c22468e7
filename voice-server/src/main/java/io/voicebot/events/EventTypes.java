package io.voicebot.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.voicebot.config.Durations;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.EventStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which campaign each event type calls: the types of the configuration file (events.file, campaigns by name) with
 * the types set through the API on top (stored, campaigns by id; an API type replaces a file type of that name).
 */
public final class EventTypes {
    public static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** {@code campaignId} null for a file type (it names {@code campaignName}); {@code source}: file or api. */
    public record EventType(String type, Long campaignId, String campaignName, Duration dedupe,
                            List<String> resolvedBy, String source) {}

    private final Map<String, EventType> fromFile;
    private final EventStore store;
    private final CampaignStore campaigns;

    EventTypes(Map<String, EventType> fromFile, EventStore store, CampaignStore campaigns) {
        this.fromFile = Map.copyOf(fromFile);
        this.store = store;
        this.campaigns = campaigns;
    }

    /** Reads {@code file} (absent: no file types); IllegalArgumentException naming the file, type and field. */
    public static EventTypes load(Path file, Duration defaultDedupe, EventStore store, CampaignStore campaigns) {
        Map<String, EventType> out = new TreeMap<>();
        if (file != null && Files.exists(file)) {
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": not readable YAML: " + e.getMessage(), e);
            }
            JsonNode types = root == null ? null : root.path("types");
            if (types != null && !types.isMissingNode() && !types.isNull()) {
                if (!types.isObject()) {
                    throw new IllegalArgumentException(file + ": types: must be a map of event type to settings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String where = file + ": types." + e.getKey();
                    List<String> problems = new ArrayList<>();
                    EventType t = parse(e.getKey(), e.getValue(), defaultDedupe, problems);
                    if (!problems.isEmpty()) {
                        throw new IllegalArgumentException(where + ": " + String.join("; ", problems));
                    }
                    out.put(t.type(), new EventType(t.type(), null, e.getValue().path("campaign").asText(),
                            t.dedupe(), t.resolvedBy(), "file"));
                }
            }
        }
        return new EventTypes(out, store, campaigns);
    }

    /**
     * Reads one type's settings ({campaign, dedupe, resolved_by}); adds "field: problem" to {@code problems}.
     * {@code campaign} is read as text (a name in the file, an id through the API) and not checked here.
     */
    public static EventType parse(String type, JsonNode n, Duration defaultDedupe, List<String> problems) {
        if (type == null || !TYPE.matcher(type).matches()) {
            problems.add("type: '" + type + "' must be 1 to 64 of a-z, 0-9, '_', '.', '-' (starting with a letter "
                    + "or digit)");
        }
        if (n == null || !n.isObject()) {
            problems.add("settings must be an object {campaign, dedupe, resolved_by}");
            return new EventType(type, null, null, defaultDedupe, List.of(), null);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("campaign", "dedupe", "resolved_by").contains(f)) {
                problems.add(f + ": unknown field (known: campaign, dedupe, resolved_by)");
            }
        }
        JsonNode c = n.path("campaign");
        if (c.isMissingNode() || c.isNull() || c.asText().isBlank()) {
            problems.add("campaign: required");
        }
        Duration dedupe = defaultDedupe;
        JsonNode d = n.path("dedupe");
        if (!d.isMissingNode() && !d.isNull()) {
            dedupe = duration(d.asText());
            if (dedupe == null || dedupe.isNegative() || dedupe.compareTo(Duration.ofDays(365)) > 0) {
                problems.add("dedupe: '" + d.asText() + "' is not a duration from 0s to 365d (e.g. 30m, 24h, PT1H)");
                dedupe = defaultDedupe;
            }
        }
        List<String> resolved = new ArrayList<>();
        JsonNode r = n.path("resolved_by");
        if (!r.isMissingNode() && !r.isNull()) {
            if (!r.isArray()) {
                problems.add("resolved_by: must be a list of event types");
            } else {
                for (JsonNode x : r) {
                    if (!x.isTextual() || !TYPE.matcher(x.asText()).matches()) {
                        problems.add("resolved_by: '" + x.asText() + "' is not an event type");
                    } else if (x.asText().equals(type)) {
                        problems.add("resolved_by: a type cannot resolve itself");
                    } else {
                        resolved.add(x.asText());
                    }
                }
            }
        }
        return new EventType(type, null, null, dedupe, List.copyOf(resolved), null);
    }

    /** 30m, 24h, 7d, 90s, or ISO-8601 (PT1H); null when it is neither. */
    static Duration duration(String text) {
        return Durations.parse(text);
    }

    /** Every type, file types replaced by API types of the same name, by name. */
    public List<EventType> all() {
        Map<String, EventType> out = new TreeMap<>(fromFile);
        for (EventStore.TypeRow r : store.types()) {
            out.put(r.type(), new EventType(r.type(), r.campaignId(), null, r.dedupe(), r.resolvedBy(), "api"));
        }
        return new ArrayList<>(out.values());
    }

    public Optional<EventType> find(String type) {
        return all().stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /** The types that {@code type} resolves (cancels the calls of). */
    public List<EventType> resolvedBy(String type) {
        return all().stream().filter(t -> t.resolvedBy().contains(type)).toList();
    }

    /** The campaign a type calls, by id or (file types) by name; empty when there is no such campaign. */
    public Optional<CampaignStore.Campaign> campaign(EventType t) {
        if (t.campaignId() != null) {
            return campaigns.findCampaign(t.campaignId());
        }
        return campaigns.campaigns().stream().filter(c -> c.name().equals(t.campaignName())).findFirst();
    }

    /** True when some event type calls this campaign: it stays running with an empty queue. */
    public boolean feeds(long campaignId) {
        for (EventType t : all()) {
            if (t.campaignId() != null ? t.campaignId() == campaignId
                    : campaign(t).map(c -> c.id() == campaignId).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
