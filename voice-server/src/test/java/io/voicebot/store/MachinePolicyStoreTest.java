package io.voicebot.store;

import io.voicebot.store.AttemptStore.MachinePolicy;
import io.voicebot.store.CampaignStore.CampaignSpec;
import io.voicebot.store.ListStore.ContactImport;
import io.voicebot.store.ListStore.ContactRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answering-machine side of attempts: the campaign's policy as the call layer reads it, and the verdict. */
class MachinePolicyStoreTest {
    private static final Instant T0 = Instant.parse("2024-03-10T12:00:00Z");
    private static TestDatabase tdb;
    private AttemptStore attempts;
    private long campaign;
    private long attempt;

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    @BeforeEach
    void campaignWithOneAttempt() {
        tdb.clean();
        MutableClock clock = new MutableClock(T0);
        new DialogStore(tdb.database(), clock).saveDialog("payment_reminder", "yaml", "name: payment_reminder\n");
        ListStore lists = new ListStore(tdb.database(), clock);
        long list = lists.createList("amd");
        ContactImport imp = lists.addContacts(list, List.of(new ContactRow("+15550000001", "Ann Lee", null, null)));
        campaign = new CampaignStore(tdb.database(), clock).createCampaign(new CampaignSpec("amd", "payment_reminder",
                list, LocalTime.of(9, 0), LocalTime.of(20, 0), EnumSet.allOf(DayOfWeek.class), 3,
                Duration.ofHours(1), 1));
        attempts = new AttemptStore(tdb.database(), clock);
        attempt = attempts.scheduleAttempt(campaign, imp.imported().get(0).contactId(), T0);
    }

    private void setPolicy(String action, String text, int maxSeconds) {
        tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE campaigns SET amd_action = ?, voicemail_text = ?, voicemail_max_s = ? WHERE id = ?")) {
                ps.setString(1, action);
                ps.setString(2, text);
                ps.setInt(3, maxSeconds);
                ps.setLong(4, campaign);
                return ps.executeUpdate();
            }
        });
    }

    private String[] storedVerdict() {
        return tdb.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT amd_verdict, amd_detail FROM call_attempts WHERE id = ?")) {
                ps.setLong(1, attempt);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    return new String[] {rs.getString(1), rs.getString(2)};
                }
            }
        });
    }

    @Test
    void aNewCampaignHangsUpOnMachines() {
        assertEquals(Optional.of(new MachinePolicy(MachinePolicy.Action.HANGUP, null, 30)),
                attempts.machinePolicy(attempt));
        assertEquals(Optional.empty(), attempts.machinePolicy(attempt + 1000));
    }

    @Test
    void voicemailAndOffAreRead() {
        setPolicy("voicemail", "Hello ${name}, please call us back.", 20);
        assertEquals(new MachinePolicy(MachinePolicy.Action.VOICEMAIL, "Hello ${name}, please call us back.", 20),
                attempts.machinePolicy(attempt).orElseThrow());
        setPolicy("off", null, 30);
        assertEquals(MachinePolicy.Action.OFF, attempts.machinePolicy(attempt).orElseThrow().action());
    }

    @Test
    void anUnknownActionNamesTheCampaign() {
        setPolicy("shout", null, 30);
        StoreException e = assertThrows(StoreException.class, () -> attempts.machinePolicy(attempt));
        assertEquals("campaign " + campaign + ": amd_action 'shout' is not off, hangup or voicemail", e.getMessage());
    }

    @Test
    void theVerdictIsStoredWithItsDetailCutTo255Characters() {
        assertTrue(attempts.recordAmd(attempt, "machine", "machine at 1720 ms (frame 85): a 1000 Hz beep"));
        assertEquals(List.of("machine", "machine at 1720 ms (frame 85): a 1000 Hz beep"), List.of(storedVerdict()));
        assertTrue(attempts.recordAmd(attempt, "human", "x".repeat(300)));
        String[] v = storedVerdict();
        assertEquals("human", v[0]);
        assertEquals(255, v[1].length());
        assertTrue(v[1].endsWith("x…"), v[1]);
        assertFalse(attempts.recordAmd(attempt + 1000, "human", null));
        assertThrows(IllegalArgumentException.class, () -> attempts.recordAmd(attempt, "", null));
    }
}
