package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicebot.log.PhoneMask;
import io.voicebot.store.CallStore;
import io.voicebot.store.Role;
import io.voicebot.store.TransferStore;
import io.voicebot.transfer.AgentFeed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's screen-pop (docs/transfer.md): GET /api/agent/stream (server-sent events of transfers into the
 * agent's queues), GET /api/agent/calls/{uuid} (who is calling and why, the dialog so far) and the page GET /agent
 * (static, from the jar; it signs in with an agent token kept in sessionStorage).
 */
public final class AgentRoutes {
    private static final long HEARTBEAT_MS = 15_000;

    private final CallStore calls;
    private final TransferStore transfers;
    private final AgentFeed feed;
    private final Map<String, Set<String>> agentQueues;
    private final ObjectMapper json = new ObjectMapper();
    private final String page;

    /** {@code agentQueues}: token name to the queues its stream shows (a token not named sees all). */
    public AgentRoutes(CallStore calls, TransferStore transfers, AgentFeed feed, Map<String, Set<String>> agentQueues) {
        this.calls = calls;
        this.transfers = transfers;
        this.feed = feed;
        this.agentQueues = Map.copyOf(agentQueues);
        try (InputStream in = AgentRoutes.class.getResourceAsStream("/agent/index.html")) {
            if (in == null) {
                throw new IllegalStateException("agent page /agent/index.html is missing from the jar");
            }
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent page: " + e.getMessage(), e);
        }
    }

    public void register(HttpApi api) {
        api.route("GET", "/agent", null, r -> ApiResponse.text("text/html", page));
        api.route("GET", "/api/agent/stream", Role.AGENT, this::stream);
        api.route("GET", "/api/agent/calls/{uuid}", Role.AGENT, this::call);
    }

    /** The queues this token may watch, narrowed by ?queue=a,b. */
    Set<String> queuesOf(ApiRequest r) {
        Set<String> allowed = r.principal().role() == Role.AGENT ? agentQueues.get(r.principal().name()) : null;
        Set<String> asked = new HashSet<>();
        r.queryParam("queue").ifPresent(q -> {
            for (String s : q.split(",")) {
                if (!s.isBlank()) {
                    asked.add(s.strip());
                }
            }
        });
        if (allowed == null) {
            return asked;
        }
        if (asked.isEmpty()) {
            return allowed;
        }
        for (String q : asked) {
            if (!allowed.contains(q)) {
                throw new ApiException(403, "queue '" + q + "' is not one of this agent's queues " + allowed);
            }
        }
        return asked;
    }

    private ApiResponse stream(ApiRequest r) {
        Set<String> queues = queuesOf(r);
        AgentFeed.Subscription sub = feed.subscribe(queues);
        if (sub == null) {
            throw new ApiException(503, "too many agent streams open; try again later");
        }
        return ApiResponse.streamed("text/event-stream", new ApiResponse.Streamed() {
            @Override
            public void writeTo(OutputStream out) throws Exception {
                try (sub) {
                    write(out, ": connected to queues " + (queues.isEmpty() ? "(all)" : String.join(",", queues))
                            + "\n\n");
                    while (!Thread.currentThread().isInterrupted()) {
                        AgentFeed.Event e;
                        try {
                            e = sub.next(HEARTBEAT_MS);
                        } catch (InterruptedException stopping) {
                            return; // the server stops: the stream ends cleanly
                        }
                        if (e == null) {
                            write(out, ": ping\n\n");
                        } else {
                            write(out, "event: " + e.type() + "\ndata: " + json.writeValueAsString(e.body()) + "\n\n");
                        }
                    }
                }
            }

            @Override
            public void abandon() {
                sub.close();
            }
        });
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ApiResponse call(ApiRequest r) {
        String id = CallRoutes.callId(r);
        CallStore.CallRecord c = calls.findCall(id).orElseThrow(() -> ApiException.notFound("no call " + id));
        List<TransferStore.Transfer> ts = transfers.forCall(c.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.callUuid());
        m.put("dialog", c.dialogName());
        m.put("direction", c.direction().name().toLowerCase(java.util.Locale.ROOT));
        String number = c.direction() == CallStore.Direction.OUTBOUND ? c.calledNumber() : c.callerNumber();
        m.put("callerNumber", PhoneMask.mask(number));
        TransferStore.Transfer last = ts.isEmpty() ? null : ts.get(ts.size() - 1);
        m.put("callerName", last == null ? null : last.callerName());
        m.put("reason", last == null ? null : last.reason());
        m.put("summary", last == null ? null : last.summary());
        m.put("transfer", last == null ? null : TransferJson.one(last));
        List<Map<String, Object>> turns = new ArrayList<>();
        for (CallStore.Turn t : calls.turns(c.id())) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("robot", t.promptText());
            x.put("caller", t.transcript());
            x.put("intent", t.intent());
            turns.add(x);
        }
        m.put("turns", turns);
        Map<String, Object> answers = new LinkedHashMap<>();
        calls.answers(c.id()).forEach(a -> answers.put(a.questionKey(), a.value()));
        m.put("answers", answers);
        m.put("recording", "/api/calls/" + c.callUuid() + "/recording");
        return ApiResponse.ok(m);
    }
}
