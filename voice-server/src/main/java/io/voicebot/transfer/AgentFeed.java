package io.voicebot.transfer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live transfer events for agents' screens (the /api/agent/stream SSE route): each subscriber gets the events of
 * its queues. Publishing never blocks: a subscriber that does not keep up loses events (its queue is bounded),
 * never the call that published them.
 */
public final class AgentFeed {
    /** One event: its type (offered, connected, declined, abandoned, completed), queue and JSON-ready body. */
    public record Event(String type, String queue, Map<String, Object> body) {}

    /** A connected screen; {@code queues} empty: every queue. */
    public final class Subscription implements AutoCloseable {
        private final Set<String> queues;
        private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(256);

        private Subscription(Set<String> queues) {
            this.queues = queues;
        }

        /** The next event within {@code ms}, or null. */
        public Event next(long ms) throws InterruptedException {
            return events.poll(ms, TimeUnit.MILLISECONDS);
        }

        boolean wants(String queue) {
            return queues.isEmpty() || queues.contains(queue);
        }

        @Override
        public void close() {
            if (subscribers.remove(this)) {
                open.decrementAndGet();
            }
        }
    }

    private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final int max;

    /** {@code max}: streams open at once (each holds an HTTP worker thread). */
    public AgentFeed(int max) {
        this.max = max;
    }

    /** A new subscription, or null when {@code max} are open already. */
    public Subscription subscribe(Set<String> queues) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return null;
        }
        Subscription s = new Subscription(Set.copyOf(queues));
        subscribers.add(s);
        return s;
    }

    public int subscribers() {
        return subscribers.size();
    }

    public void publish(Event e) {
        for (Subscription s : subscribers) {
            if (s.wants(e.queue())) {
                s.events.offer(e);
            }
        }
    }
}
