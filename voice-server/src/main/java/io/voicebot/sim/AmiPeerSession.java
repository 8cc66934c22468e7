package io.voicebot.sim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** One AMI TCP session of the {@link AmiPeer}: the action handler, following manager.c's process_message. */
final class AmiPeerSession implements Runnable {
    private enum State { AWAITING_LOGIN, AUTHENTICATED, CLOSED }

    private final AmiPeer peer;
    private final Socket socket;
    private final Object writeLock = new Object();
    private volatile State state = State.AWAITING_LOGIN;
    private volatile boolean events = true;
    private String challenge;

    AmiPeerSession(AmiPeer peer, Socket socket) {
        this.peer = peer;
        this.socket = socket;
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (!peer.isSilent()) {
                send("Asterisk Call Manager/" + AmiPeer.AMI_VERSION + "\r\n");
            }
            while (state != State.CLOSED) {
                AmiMessage m = AmiWireCodec.read(in);
                if (m == null) {
                    break;
                }
                peer.record(m);
                if (peer.isSilent()) {
                    continue;
                }
                if (!handle(m)) {
                    break;
                }
            }
        } catch (IOException e) {
            // peer side of a dropped or malformed session: just end it
        } finally {
            close();
            peer.ended(this);
        }
    }

    void close() {
        state = State.CLOSED;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    void sendEvent(String event) {
        if (state == State.AUTHENTICATED && events) {
            send(event);
        }
    }

    private void send(String text) {
        synchronized (writeLock) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                close();
            }
        }
    }

    /** Handles one action; false ends the session (Logoff, failed Login). */
    private boolean handle(AmiMessage m) {
        String action = m.action();
        if (action.isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Missing action in request"));
            return true;
        }
        String a = action.toLowerCase(Locale.ROOT);
        if (state != State.AUTHENTICATED && !a.equals("login") && !a.equals("logoff") && !a.equals("challenge")) {
            send(AmiWireCodec.response(m, "Error", "Permission denied"));
            return true;
        }
        switch (a) {
            case "login":
                return login(m);
            case "challenge":
                challenge(m);
                return true;
            case "logoff":
                send(AmiWireCodec.response(m, "Goodbye", "Thanks for all the fish."));
                return false;
            case "ping":
                ping(m);
                return true;
            case "events":
                events(m);
                return true;
            case "coresettings":
                coreSettings(m);
                return true;
            case "originate":
                originate(m);
                return true;
            case "redirect":
                redirect(m);
                return true;
            case "setvar":
                setVar(m);
                return true;
            case "getvar":
                getVar(m);
                return true;
            case "coreshowchannels":
                coreShowChannels(m);
                return true;
            case "queuesummary":
                queueSummary(m);
                return true;
            case "queuestatus":
                queueStatus(m);
                return true;
            default:
                send(AmiWireCodec.response(m, "Error", "Invalid/unknown command: " + action
                        + ". Use Action: ListCommands to show available commands."));
                return true;
        }
    }

    private boolean login(AmiMessage m) {
        if (state == State.AUTHENTICATED) {
            send(AmiWireCodec.response(m, "Success", "Already authenticated"));
            return true;
        }
        if (!peer.authenticate(m, challenge)) {
            // manager.c sleeps a second before refusing, to slow down guessing
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(AmiWireCodec.response(m, "Error", "Authentication failed"));
            return false;
        }
        String ev = m.get("Events").toLowerCase(Locale.ROOT);
        events = !(ev.equals("off") || ev.equals("no") || ev.equals("false") || ev.equals("none"));
        state = State.AUTHENTICATED;
        peer.loggedIn();
        // The least-privilege voicebot user has no "system" read class, so no FullyBooted event follows.
        send(AmiWireCodec.response(m, "Success", "Authentication accepted"));
        return true;
    }

    private void challenge(AmiMessage m) {
        if (!m.get("AuthType").equalsIgnoreCase("MD5")) {
            send(AmiWireCodec.response(m, "Error", "Must specify AuthType"));
            return;
        }
        if (challenge == null) {
            challenge = peer.newChallenge();
        }
        send(AmiWireCodec.out().header("Response", "Success").actionId(m).header("Challenge", challenge).end());
    }

    private void ping(AmiMessage m) {
        Instant now = peer.clock().instant();
        send(AmiWireCodec.out().header("Response", "Success").actionId(m).header("Ping", "Pong")
                .header("Timestamp", now.getEpochSecond() + "." + String.format("%06d", now.getNano() / 1000))
                .end());
    }

    private void events(AmiMessage m) {
        String mask = m.get("EventMask").toLowerCase(Locale.ROOT);
        if (mask.isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Invalid event mask"));
            return;
        }
        events = !(mask.equals("off") || mask.equals("no") || mask.equals("false") || mask.equals("none"));
        send(AmiWireCodec.out().header("Response", "Success").actionId(m)
                .header("Events", events ? "On" : "Off").end());
    }

    private void coreSettings(AmiMessage m) {
        send(AmiWireCodec.out().header("Response", "Success").actionId(m)
                .header("AMIversion", AmiPeer.AMI_VERSION)
                .header("AsteriskVersion", AmiPeer.ASTERISK_VERSION)
                .header("SystemName", "")
                .header("CoreMaxCalls", 0)
                .header("CoreMaxLoadAvg", "0.000000")
                .header("CoreRunUser", "asterisk")
                .header("CoreRunGroup", "asterisk")
                .header("CoreMaxFilehandles", 0)
                .header("CoreRealTimeEnabled", "No")
                .header("CoreCDRenabled", "Yes")
                .header("CoreHTTPenabled", "No")
                .header("SoundsSearchCustomDir", "No")
                .end());
    }

    /** Validation order and messages of manager.c's action_originate; "Async: false" is answered like async. */
    private void originate(AmiMessage m) {
        String channel = m.get("Channel");
        if (channel.isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Channel not specified"));
            return;
        }
        String priority = m.get("Priority");
        if (!priority.isEmpty() && !priority.matches("\\d{1,9}")) {
            send(AmiWireCodec.response(m, "Error", "Invalid priority"));
            return;
        }
        String timeout = m.get("Timeout");
        if (!timeout.isEmpty() && !timeout.matches("\\d{1,9}")) {
            send(AmiWireCodec.response(m, "Error", "Invalid timeout"));
            return;
        }
        int slash = channel.indexOf('/');
        if (slash <= 0 || slash == channel.length() - 1) {
            send(AmiWireCodec.response(m, "Error", "Invalid channel"));
            return;
        }
        if (!m.get("Exten").isEmpty() && (m.get("Context").isEmpty() || priority.isEmpty())) {
            send(AmiWireCodec.response(m, "Error", "Originate with 'Exten' requires 'Context' and 'Priority'"));
            return;
        }
        send(AmiWireCodec.response(m, "Success", "Originate successfully queued"));
        peer.startCall(m);
    }

    private void redirect(AmiMessage m) {
        String name = m.get("Channel");
        if (name.isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Channel not specified"));
            return;
        }
        if (m.get("Context").isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Context not specified"));
            return;
        }
        if (m.get("Exten").isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Exten not specified"));
            return;
        }
        if (m.get("Priority").isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "Priority not specified"));
            return;
        }
        if (!m.get("Priority").matches("\\d{1,9}") || Integer.parseInt(m.get("Priority")) < 1) {
            send(AmiWireCodec.response(m, "Error", "Priority is invalid"));
            return;
        }
        PeerChannel c = peer.byName(name);
        if (c == null) {
            send(AmiWireCodec.response(m, "Error", "Channel does not exist: " + name));
            return;
        }
        c.context = m.get("Context");
        c.exten = m.get("Exten");
        c.priority = Integer.parseInt(m.get("Priority"));
        send(AmiWireCodec.response(m, "Success", "Redirect successful"));
    }

    private void setVar(AmiMessage m) {
        String variable = m.get("Variable");
        if (variable.isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "No variable specified"));
            return;
        }
        String name = m.get("Channel");
        if (name.isEmpty()) {
            peer.globals.put(variable, m.get("Value"));
        } else {
            PeerChannel c = peer.byName(name);
            if (c == null) {
                send(AmiWireCodec.response(m, "Error", "No such channel"));
                return;
            }
            c.variables.put(variable, m.get("Value"));
        }
        send(AmiWireCodec.response(m, "Success", "Variable Set"));
    }

    private void getVar(AmiMessage m) {
        String variable = m.get("Variable");
        if (variable.isEmpty()) {
            send(AmiWireCodec.response(m, "Error", "No variable specified"));
            return;
        }
        String name = m.get("Channel");
        String value;
        if (name.isEmpty()) {
            value = peer.globals.getOrDefault(variable, "");
        } else {
            PeerChannel c = peer.byName(name);
            if (c == null) {
                send(AmiWireCodec.response(m, "Error", "No such channel"));
                return;
            }
            value = c.variables.getOrDefault(variable, "");
        }
        send(AmiWireCodec.out().header("Response", "Success").actionId(m)
                .header("Variable", variable).header("Value", value).end());
    }

    private String listAck(AmiMessage m, String message) {
        return AmiWireCodec.out().header("Response", "Success").actionId(m).header("EventList", "start")
                .header("Message", message).end();
    }

    private String listComplete(AmiMessage m, String event, int count) {
        return AmiWireCodec.out().header("Event", event).actionId(m).header("EventList", "Complete")
                .header("ListItems", count).end();
    }

    private String idText(AmiMessage m) {
        return m.get("ActionID").isEmpty() ? "" : "ActionID: " + m.get("ActionID") + "\r\n";
    }

    private void coreShowChannels(AmiMessage m) {
        StringBuilder sb = new StringBuilder(listAck(m, "Channels will follow"));
        List<PeerChannel> live = peer.liveChannels();
        for (PeerChannel c : live) {
            sb.append(AmiWireCodec.out().header("Event", "CoreShowChannel").raw(idText(m))
                    .raw(c.stateHeaders(""))
                    .header("Application", c.state == 6 ? "AGI" : "")
                    .header("ApplicationData", "")
                    .header("Duration", "00:00:00")
                    .header("BridgeId", "").end());
        }
        sb.append(listComplete(m, "CoreShowChannelsComplete", live.size()));
        send(sb.toString());
    }

    private void queueSummary(AmiMessage m) {
        StringBuilder sb = new StringBuilder(listAck(m, "Queue summary will follow"));
        List<AmiQueue> qs = peer.queuesMatching(m.get("Queue"));
        for (AmiQueue q : qs) {
            sb.append(AmiWireCodec.out().header("Event", "QueueSummary")
                    .header("Queue", q.name())
                    .header("LoggedIn", q.loggedIn())
                    .header("Available", q.available())
                    .header("Callers", q.callers().size())
                    .header("HoldTime", q.holdTime())
                    .header("TalkTime", q.talkTime())
                    .header("LongestHoldTime", q.longestHoldTime())
                    .raw(idText(m)).end());
        }
        sb.append(listComplete(m, "QueueSummaryComplete", qs.size()));
        send(sb.toString());
    }

    private void queueStatus(AmiMessage m) {
        StringBuilder sb = new StringBuilder(listAck(m, "Queue status will follow"));
        String memberFilter = m.get("Member");
        int items = 0;
        for (AmiQueue q : peer.queuesMatching(m.get("Queue"))) {
            sb.append(AmiWireCodec.out().header("Event", "QueueParams")
                    .header("Queue", q.name())
                    .header("Max", q.max())
                    .header("Strategy", q.strategy())
                    .header("Calls", q.callers().size())
                    .header("Holdtime", q.holdTime())
                    .header("TalkTime", q.talkTime())
                    .header("Completed", q.completed())
                    .header("Abandoned", q.abandoned())
                    .header("ServiceLevel", q.serviceLevel())
                    .header("ServicelevelPerf", "0.0")
                    .header("ServicelevelPerf2", "0.0")
                    .header("Weight", q.weight())
                    .raw(idText(m)).end());
            items++;
            for (AmiQueue.Member mem : q.members()) {
                if (!memberFilter.isEmpty() && !memberFilter.equals(mem.location())
                        && !memberFilter.equals(mem.name())) {
                    continue;
                }
                sb.append(AmiWireCodec.out().header("Event", "QueueMember")
                        .header("Queue", q.name())
                        .header("Name", mem.name())
                        .header("Location", mem.location())
                        .header("StateInterface", mem.location())
                        .header("Membership", "static")
                        .header("Penalty", 0)
                        .header("CallsTaken", 0)
                        .header("LastCall", 0)
                        .header("LastPause", 0)
                        .header("LoginTime", 0)
                        .header("InCall", mem.inCall() ? 1 : 0)
                        .header("Status", mem.status())
                        .header("Paused", mem.paused() ? 1 : 0)
                        .header("PausedReason", "")
                        .header("Wrapuptime", 0)
                        .raw(idText(m)).end());
                items++;
            }
            int pos = 1;
            for (AmiQueue.Caller c : q.callers()) {
                sb.append(AmiWireCodec.out().header("Event", "QueueEntry")
                        .header("Queue", q.name())
                        .header("Position", pos++)
                        .header("Channel", c.channel())
                        .header("Uniqueid", c.uniqueId())
                        .header("CallerIDNum", c.callerIdNum())
                        .header("CallerIDName", c.callerIdName())
                        .header("ConnectedLineNum", "unknown")
                        .header("ConnectedLineName", "unknown")
                        .header("Wait", c.waitSeconds())
                        .header("Priority", 0)
                        .raw(idText(m)).end());
                items++;
            }
        }
        sb.append(listComplete(m, "QueueStatusComplete", items));
        send(sb.toString());
    }
}
