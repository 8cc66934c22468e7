package io.voicebot.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiTokenStoreTest {
    static TestDatabase tdb;
    static ApiTokenStore store;
    static final Instant NOW = Instant.parse("2024-03-01T10:15:30.123456Z");

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
        store = new ApiTokenStore(tdb.database(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    @Test
    void storesOnlyTheHashAndAuthenticatesTheSecret() {
        ApiTokenStore.Created created = store.create("ops-team", Role.OPERATOR);
        assertTrue(created.secret().startsWith("vb_") && created.secret().length() > 40);
        assertFalse(created.toString().contains(created.secret()));
        String stored = tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM api_tokens WHERE id = ?")) {
                ps.setLong(1, created.token().id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertNotEquals(created.secret(), stored);
        assertEquals(ApiTokenStore.hash(created.secret()), stored);
        assertEquals(64, stored.length());

        var found = store.authenticate(created.secret()).orElseThrow();
        assertEquals("ops-team", found.name());
        assertEquals(Role.OPERATOR, found.role());
        assertEquals(Instant.parse("2024-03-01T10:15:30.123Z"), found.createdAt());
        assertTrue(store.authenticate(created.secret() + "x").isEmpty());
        assertTrue(store.authenticate("not-a-token").isEmpty());
        assertTrue(store.authenticate(null).isEmpty());
    }

    @Test
    void revokedTokensNoLongerAuthenticate() {
        ApiTokenStore.Created created = store.create("leaver", Role.AGENT);
        assertTrue(store.authenticate(created.secret()).isPresent());
        assertTrue(store.revoke(created.token().id()));
        assertFalse(store.revoke(created.token().id()), "second revoke finds no active token");
        assertTrue(store.authenticate(created.secret()).isEmpty());
        var listed = store.list().stream().filter(t -> t.id() == created.token().id()).findFirst().orElseThrow();
        assertTrue(listed.revoked());
    }

    @Test
    void anExpiringTokenIsRefusedFromItsExpiryOn() {
        MutableClock clock = new MutableClock(Instant.parse("2024-05-01T08:00:00Z"));
        ApiTokenStore s = new ApiTokenStore(tdb.database(), clock);
        ApiTokenStore.Created c = s.create("contractor", Role.OPERATOR, Instant.parse("2024-05-02T08:00:00Z"));
        assertEquals(Instant.parse("2024-05-02T08:00:00Z"), c.token().expiresAt());
        assertTrue(s.authenticate(c.secret()).isPresent());
        clock.set(Instant.parse("2024-05-02T07:59:59.999Z"));
        assertTrue(s.authenticate(c.secret()).isPresent());
        clock.set(Instant.parse("2024-05-02T08:00:00Z"));
        assertTrue(s.authenticate(c.secret()).isEmpty(), "refused from the expiry on");
        ApiTokenStore.ApiToken found = s.find(c.secret()).orElseThrow();
        assertTrue(found.expired(clock.instant()) && !found.revoked());
        var listed = s.list().stream().filter(t -> t.id() == c.token().id()).findFirst().orElseThrow();
        assertEquals(Instant.parse("2024-05-02T08:00:00Z"), listed.expiresAt());
        IllegalArgumentException past = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.create("late", Role.AGENT, Instant.parse("2024-05-01T00:00:00Z")));
        assertTrue(past.getMessage().contains("not in the future"), past.getMessage());
        assertEquals(null, s.create("forever", Role.AGENT).token().expiresAt());
    }

    @Test
    void lastUseIsWrittenAtMostOnceAMinute() {
        MutableClock clock = new MutableClock(Instant.parse("2024-06-01T09:00:00Z"));
        ApiTokenStore s = new ApiTokenStore(tdb.database(), clock);
        ApiTokenStore.Created c = s.create("busy-crm", Role.OPERATOR);
        assertEquals(null, s.find(c.secret()).orElseThrow().lastUsedAt());
        assertTrue(s.markUsed(s.find(c.secret()).orElseThrow()));
        assertEquals(Instant.parse("2024-06-01T09:00:00Z"), s.find(c.secret()).orElseThrow().lastUsedAt());
        clock.advance(java.time.Duration.ofSeconds(30));
        assertFalse(s.markUsed(s.find(c.secret()).orElseThrow()), "30 s later: no write");
        // a request that read the row before the first write does not write again either
        ApiTokenStore.ApiToken stale = new ApiTokenStore.ApiToken(c.token().id(), "busy-crm", Role.OPERATOR,
                c.token().createdAt(), null, null, null);
        assertFalse(s.markUsed(stale));
        assertEquals(Instant.parse("2024-06-01T09:00:00Z"), s.find(c.secret()).orElseThrow().lastUsedAt());
        clock.advance(java.time.Duration.ofSeconds(31));
        assertTrue(s.markUsed(s.find(c.secret()).orElseThrow()), "61 s after the last write");
        var listed = s.list().stream().filter(t -> t.id() == c.token().id()).findFirst().orElseThrow();
        assertEquals(Instant.parse("2024-06-01T09:01:01Z"), listed.lastUsedAt());
    }

    @Test
    void rolesNest() {
        assertTrue(Role.ADMIN.includes(Role.OPERATOR) && Role.ADMIN.includes(Role.AGENT));
        assertTrue(Role.OPERATOR.includes(Role.AGENT) && !Role.OPERATOR.includes(Role.ADMIN));
        assertFalse(Role.AGENT.includes(Role.OPERATOR));
        assertEquals(Role.OPERATOR, Role.parse(" Operator "));
        assertEquals("role must be one of admin, operator, agent; got 'root'",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Role.parse("root")).getMessage());
    }
}
