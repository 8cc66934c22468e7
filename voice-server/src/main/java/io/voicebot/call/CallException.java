package io.voicebot.call;

/** Something that ends one call: a prompt that cannot be synthesized, a dialog that cannot be found. */
public final class CallException extends RuntimeException {
    public CallException(String message) {
        super(message);
    }

    public CallException(String message, Throwable cause) {
        super(message, cause);
    }
}
