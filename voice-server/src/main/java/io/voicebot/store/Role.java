package io.voicebot.store;

import java.util.Locale;

/** What an API token may do: each role includes the ones below it (admin ⊇ operator ⊇ agent). */
public enum Role {
    AGENT, OPERATOR, ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The lower-case name stored in the database and used on the wire. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "admin", "operator" or "agent"; throws IllegalArgumentException naming the allowed values. */
    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) {
                if (r.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of admin, operator, agent; got '" + s + "'");
    }
}
