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
