package io.voicebot.sim;

/**
 * The queue events app_queue.c (Asterisk 12+) sends while a caller waits in a queue and agents are rung, for
 * the caller's channel (its Uniqueid is the one the AGI saw), with the fields voicebot reads: QueueCallerJoin,
 * AgentCalled, AgentRingNoAnswer (an agent that did not take the call, e.g. declined after the whisper),
 * AgentConnect (HoldTime, RingTime, MemberName), AgentComplete (HoldTime, TalkTime, Reason) and
 * QueueCallerAbandon (HoldTime). Broadcast by the {@link AmiPeer} like its own events.
 */
public final class AmiQueueEvents {
    private final AmiPeer peer;

    public AmiQueueEvents(AmiPeer peer) {
        this.peer = peer;
    }

    public void callerJoin(String queue, String channel, String uniqueId, int position) {
        peer.broadcast(caller("QueueCallerJoin", channel, uniqueId).header("Queue", queue)
                .header("Position", position).header("Count", position).end());
    }

    public void agentCalled(String queue, String channel, String uniqueId, String member, String iface) {
        peer.broadcast(member(caller("AgentCalled", channel, uniqueId), member, iface).header("Queue", queue).end());
    }

    public void agentRingNoAnswer(String queue, String channel, String uniqueId, String member, String iface,
                                  long ringMs) {
        peer.broadcast(member(caller("AgentRingNoAnswer", channel, uniqueId), member, iface).header("Queue", queue)
                .header("RingTime", ringMs).end());
    }

    public void agentConnect(String queue, String channel, String uniqueId, String member, String iface,
                             int holdS, int ringS) {
        peer.broadcast(member(caller("AgentConnect", channel, uniqueId), member, iface).header("Queue", queue)
                .header("HoldTime", holdS).header("RingTime", ringS).end());
    }

    public void agentComplete(String queue, String channel, String uniqueId, String member, String iface,
                              int holdS, int talkS) {
        peer.broadcast(member(caller("AgentComplete", channel, uniqueId), member, iface).header("Queue", queue)
                .header("HoldTime", holdS).header("TalkTime", talkS).header("Reason", "caller").end());
    }

    public void callerAbandon(String queue, String channel, String uniqueId, int holdS) {
        peer.broadcast(caller("QueueCallerAbandon", channel, uniqueId).header("Queue", queue)
                .header("Position", 1).header("OriginalPosition", 1).header("HoldTime", holdS).end());
    }

    private static AmiWireCodec.Out caller(String event, String channel, String uniqueId) {
        return AmiWireCodec.out().header("Event", event).header("Privilege", "agent,all")
                .header("Channel", channel).header("ChannelState", 6).header("ChannelStateDesc", "Up")
                .header("CallerIDNum", "unknown").header("CallerIDName", "unknown")
                .header("Context", "voicebot-transfer").header("Exten", "s").header("Priority", 2)
                .header("Uniqueid", uniqueId).header("Linkedid", uniqueId);
    }

    private static AmiWireCodec.Out member(AmiWireCodec.Out o, String member, String iface) {
        return o.header("DestChannel", iface + "-00000001").header("DestUniqueid", "agent." + member)
                .header("MemberName", member).header("Interface", iface);
    }
}
