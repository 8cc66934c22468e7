package io.voicebot.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** Real time that starts at a chosen instant and can jump forward: a campaign's hours pass in a test's seconds. */
public final class ShiftedClock extends Clock {
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    public ShiftedClock(Instant start) {
        this(new AtomicReference<>(Duration.between(Instant.now(), start)), ZoneOffset.UTC);
    }

    private ShiftedClock(AtomicReference<Duration> offset, ZoneId zone) {
        this.offset = offset;
        this.zone = zone;
    }

    /** Moves this clock and every clock made from it by {@link #withZone} forward. */
    public void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new ShiftedClock(offset, z);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }
}
