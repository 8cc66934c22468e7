package io.voicebot.call;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActiveCallsTest {

    @Test
    void drainingRefusesNewCallsAndWaitsForCallsInProgress() throws Exception {
        ActiveCalls calls = new ActiveCalls();
        ActiveCalls.Handle inProgress = calls.tryRegister("call-1").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> calls.tryRegister("call-1"));
        calls.drain();
        assertTrue(calls.isDraining());
        assertTrue(calls.tryRegister("call-2").isEmpty(), "new call refused while draining");
        assertFalse(calls.awaitIdle(Duration.ofMillis(50)), "call still in progress");

        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return calls.awaitIdle(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1, calls.active());
        inProgress.close();
        inProgress.close(); // idempotent
        assertTrue(waiter.get(10, TimeUnit.SECONDS));
        assertEquals(0, calls.active());
    }

    @Test
    void awaitIdleReturnsAtOnceWithoutCalls() throws Exception {
        ActiveCalls calls = new ActiveCalls();
        try (ActiveCalls.Handle h = calls.tryRegister("a").orElseThrow()) {
            assertEquals("a", h.callId());
            assertEquals(java.util.List.of("a"), calls.activeIds());
        }
        assertTrue(calls.awaitIdle(Duration.ZERO));
    }
}
