package io.voicebot.api;

import io.voicebot.store.Role;

/** Who sent an authenticated request: the API token's id, name and role. */
public record Principal(long tokenId, String name, Role role) {}
