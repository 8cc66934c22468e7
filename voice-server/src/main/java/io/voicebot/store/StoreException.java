package io.voicebot.store;

/** A database operation failed; the message says which and why. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /**
     * The database could not be reached (connection refused or lost, the pool timed out waiting for one): worth
     * retrying later, and an outage to report as such (503), not a bug.
     */
    public boolean databaseUnavailable() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (t instanceof java.sql.SQLException s) {
                String state = s.getSQLState();
                // 08xxx: connection exceptions; H2's 90067: connection broken
                if (state != null && (state.startsWith("08") || state.equals("90067"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
