package io.voicebot.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel as the simulated Asterisk tracks it, and the AMI events about it; mutated only on the peer's call
 * thread or under Setvar/Redirect.
 */
final class PeerChannel {
    String name;
    String uniqueId;
    String number;
    volatile int state;
    String callerIdNum;
    String callerIdName;
    volatile String context;
    volatile String exten;
    volatile int priority;
    final Map<String, String> variables = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    Map<String, String> snapshotVariables() {
        synchronized (variables) {
            return Map.copyOf(variables);
        }
    }

    /** An event about this channel: its state headers (as Asterisk writes them) and {@code extra} lines. */
    String event(String eventName, String extra) {
        return AmiWireCodec.out().header("Event", eventName).header("Privilege", "call,all")
                .raw(stateHeaders("")).raw(extra).end();
    }

    String hangupEvent(int cause) {
        return event("Hangup", "Cause: " + cause + "\r\nCause-txt: " + causeText(cause) + "\r\n");
    }

    /** DialEnd with this channel as the destination; the state reads Up only for an answer. */
    String dialEnd(String dialStatus) {
        int before = state;
        if (dialStatus.equals("ANSWER")) {
            state = 6;
        }
        String s = AmiWireCodec.out().header("Event", "DialEnd").header("Privilege", "call,all")
                .raw(stateHeaders("Dest")).header("DialStatus", dialStatus).end();
        if (!dialStatus.equals("ANSWER")) {
            state = before;
        }
        return s;
    }

    /** ast_manager_build_channel_state_string_prefix. */
    String stateHeaders(String p) {
        return p + "Channel: " + name + "\r\n"
                + p + "ChannelState: " + state + "\r\n"
                + p + "ChannelStateDesc: " + stateText(state) + "\r\n"
                + p + "CallerIDNum: " + callerIdNum + "\r\n"
                + p + "CallerIDName: " + callerIdName + "\r\n"
                + p + "ConnectedLineNum: <unknown>\r\n"
                + p + "ConnectedLineName: <unknown>\r\n"
                + p + "Language: en\r\n"
                + p + "AccountCode: \r\n"
                + p + "Context: " + context + "\r\n"
                + p + "Exten: " + exten + "\r\n"
                + p + "Priority: " + priority + "\r\n"
                + p + "Uniqueid: " + uniqueId + "\r\n"
                + p + "Linkedid: " + uniqueId + "\r\n";
    }

    static String stateText(int state) {
        return switch (state) {
            case 0 -> "Down";
            case 1 -> "Rsrvd";
            case 2 -> "OffHook";
            case 3 -> "Dialing";
            case 4 -> "Ring";
            case 5 -> "Ringing";
            case 6 -> "Up";
            case 7 -> "Busy";
            default -> "Unknown (" + state + ")";
        };
    }

    /** The texts of main/channel.c's cause table for the causes the peer produces. */
    static String causeText(int cause) {
        return switch (cause) {
            case 1 -> "Unallocated (unassigned) number";
            case 16 -> "Normal Clearing";
            case 17 -> "User busy";
            case 18 -> "No user responding";
            case 19 -> "User alerting, no answer";
            case 21 -> "Call Rejected";
            case 27 -> "Destination out of order";
            case 34 -> "Circuit/channel congestion";
            default -> "Unknown";
        };
    }
}
