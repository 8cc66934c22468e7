package io.voicebot.telephony.ami;

import org.asteriskjava.lock.Locker.LockCloser;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.internal.ManagerConnectionImpl;

/**
 * Asterisk-Java's connection without its own reconnect loop (fixed 50 ms / 5 s retries, unbounded): on a lost
 * socket it reports to {@link AmiClient}, which reconnects with its capped exponential back-off on a fresh
 * connection. One instance is one TCP session.
 */
final class AmiConnection extends ManagerConnectionImpl {
    private final Runnable onLost;

    AmiConnection(String host, int port, String username, String secret, long responseTimeoutMs, Runnable onLost) {
        this.onLost = onLost;
        setHostname(host);
        setPort(port);
        setUsername(username);
        setPassword(secret);
        setDefaultResponseTimeout(responseTimeoutMs);
        setDefaultEventTimeout(responseTimeoutMs);
        setSocketTimeout((int) Math.min(Integer.MAX_VALUE, responseTimeoutMs));
        setKeepAliveAfterAuthenticationFailure(false);
    }

    @Override
    public void dispatchEvent(ManagerEvent event, Integer requiredHandlingTime) {
        if (event instanceof DisconnectEvent) {
            boolean wasConnected;
            try (LockCloser ignored = withLock()) {
                wasConnected = state == ManagerConnectionState.CONNECTED;
                if (wasConnected) {
                    // not CONNECTED any more, so the superclass fails pending callbacks but starts no reconnect
                    state = ManagerConnectionState.DISCONNECTED;
                }
            }
            super.dispatchEvent(event, requiredHandlingTime);
            if (wasConnected) {
                onLost.run();
            }
            return;
        }
        super.dispatchEvent(event, requiredHandlingTime);
    }

    /** Closes the socket without a Logoff round trip (the peer may be silent); pending callbacks get null. */
    void abandon() {
        try (LockCloser ignored = withLock()) {
            state = ManagerConnectionState.DISCONNECTED;
            disconnect();
        }
    }
}
