package io.voicebot.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Real time that starts at a chosen instant and can jump forward: a campaign's hours pass in a test's seconds. */
final class ShiftedClock extends Clock {
    private volatile Duration offset;

    ShiftedClock(Instant start) {
        this.offset = Duration.between(Instant.now(), start);
    }

    void advance(Duration d) {
        offset = offset.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
