package io.voicebot.telephony.ami;

import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.QueueMemberEvent;
import org.asteriskjava.manager.event.QueueParamsEvent;
import org.asteriskjava.manager.event.QueueSummaryEvent;
import org.asteriskjava.manager.event.ResponseEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A queue's state read from the events answering QueueSummary or QueueStatus. */
final class QueueReports {
    private QueueReports() {
    }

    static QueueState summary(String queue, List<ResponseEvent> events) {
        for (ResponseEvent e : events) {
            if (e instanceof QueueSummaryEvent s && queue.equalsIgnoreCase(s.getQueue())) {
                return new QueueState(s.getQueue(), n(s.getLoggedIn()), n(s.getAvailable()), n(s.getCallers()),
                        Duration.ofSeconds(n(s.getHoldTime())), Duration.ofSeconds(n(s.getLongestHoldTime())),
                        List.of());
            }
        }
        throw new AmiException("Asterisk has no queue named '" + queue + "'");
    }

    static QueueState status(String queue, List<ResponseEvent> events) {
        QueueParamsEvent params = null;
        List<QueueState.Member> members = new ArrayList<>();
        int waiting = 0;
        long longest = 0;
        for (ResponseEvent e : events) {
            if (e instanceof QueueParamsEvent q && queue.equalsIgnoreCase(q.getQueue())) {
                params = q;
            } else if (e instanceof QueueMemberEvent m && queue.equalsIgnoreCase(m.getQueue())) {
                members.add(new QueueState.Member(m.getName() != null ? m.getName() : m.getMemberName(),
                        m.getLocation(), n(m.getStatus()), Boolean.TRUE.equals(m.getPaused()),
                        n(m.getIncall()) != 0));
            } else if (e instanceof QueueEntryEvent q && queue.equalsIgnoreCase(q.getQueue())) {
                waiting++;
                longest = Math.max(longest, q.getWait() == null ? 0 : q.getWait());
            }
        }
        if (params == null) {
            throw new AmiException("Asterisk has no queue named '" + queue + "'");
        }
        int loggedIn = 0;
        int available = 0;
        for (QueueState.Member m : members) {
            if (m.status() != 4 && m.status() != 5) {
                loggedIn++;
                if ((m.status() == 0 || m.status() == 1) && !m.paused()) {
                    available++;
                }
            }
        }
        return new QueueState(params.getQueue(), loggedIn, available, waiting,
                Duration.ofSeconds(n(params.getHoldTime())), Duration.ofSeconds(longest), members);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
