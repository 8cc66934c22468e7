package io.voicebot.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicebot.VoicebotServer;
import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.Batch;
import io.voicebot.store.ListStore.ListSpec;
import io.voicebot.store.ListStore.NewContact;
import io.voicebot.store.ListStore.Rejection;
import io.voicebot.store.Role;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the process importing a call list dies (kill -9, power) part-way. The list stayed "importing" for ever.
 * When its node starts again on the same database the list is "failed", with an error saying the import was
 * interrupted by a restart and how many rows had been imported, and those rows are kept; the import of another
 * node, and one whose process on this host is still running (the import-list command), are left importing.
 */
class ListImportRestartFaultTest {
    private TestDatabase tdb;
    private VoicebotServer server;
    private Process cli;

    @AfterEach
    void tearDown() {
        if (cli != null) {
            cli.destroyForcibly();
        }
        if (server != null) {
            server.shutdown();
        }
        if (tdb != null) {
            tdb.close();
        }
    }

    private VoicebotServer boot() throws Exception {
        return ApiServer.start(tdb, Map.of("campaign.node.id", "node-a"));
    }

    @Test
    void anImportLeftByADeadProcessIsFailedAtTheNextStartWithWhatItHadImported() throws Exception {
        tdb = TestDatabase.fresh();
        server = boot();
        String operator = ApiServer.token(server, Role.OPERATOR);
        HttpResponse<String> up = ApiServer.send(server.httpPort(), "POST", "/api/lists?name=finished", operator,
                "text/csv", "phone,name\n+12125550101,Ann\n");
        assertEquals(201, up.statusCode(), up.body());
        long finished = ApiServer.json(up).get("id").asLong();
        server.shutdown();
        server = null;

        // What imports leave in the database when their process dies between two batches.
        ListStore store = new ListStore(tdb.database(), Clock.systemUTC());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long crashed = halfImported(store, "crashed", "node-a pid " + gone.pid());
        long otherNode = halfImported(store, "other_node", "node-b pid " + gone.pid());
        cli = new ProcessBuilder("sleep", "120").start();
        Thread.sleep(1100); // its start (kept to the clock tick) before the import's
        long running = halfImported(store, "running_cli", "node-a pid " + cli.pid());

        server = boot();
        operator = ApiServer.token(server, Role.OPERATOR);
        int port = server.httpPort();
        JsonNode failed = get(port, operator, "/api/lists/" + crashed);
        assertEquals("failed", failed.get("state").asText(), failed.toString());
        assertEquals("import interrupted by a restart of node node-a: 2 of the 3 rows read had been imported and "
                + "are kept; the rest of the file was not read", failed.get("error").asText());
        assertEquals(3, failed.get("rows").asInt());
        assertEquals(2, failed.get("imported").asInt());
        assertEquals(1, failed.get("rejected").asInt());
        JsonNode contacts = get(port, operator, "/api/lists/" + crashed + "/contacts");
        assertEquals(List.of("+12125550102", "+12125550104"), contacts.get("contacts").findValuesAsText("phone"));
        JsonNode rejections = get(port, operator, "/api/lists/" + crashed + "/rejections");
        assertEquals(List.of("is not a phone number"), rejections.get("rejections").findValuesAsText("reason"));

        for (long id : new long[] {otherNode, running}) {
            JsonNode l = get(port, operator, "/api/lists/" + id);
            assertEquals("importing", l.get("state").asText(), l.toString());
            assertTrue(l.get("error").isNull(), l.toString());
        }
        JsonNode ok = get(port, operator, "/api/lists/" + finished);
        assertEquals("ready", ok.get("state").asText(), ok.toString());
        assertTrue(ok.get("error").isNull(), ok.toString());
        boolean listed = false;
        for (JsonNode l : get(port, operator, "/api/lists").get("lists")) {
            if (l.get("id").asLong() == crashed) {
                listed = true;
                assertEquals("failed", l.get("state").asText());
            }
        }
        assertTrue(listed, "the failed list is in GET /api/lists");
    }

    /** A list whose import stored one batch of three rows (two contacts, one bad row) and no more. */
    private static long halfImported(ListStore store, String name, String owner) {
        long id = store.startImport(new ListSpec(name, "US", null, List.of(), "UTF-8"), owner);
        store.addBatch(id, new Batch(3, List.of(new NewContact(2, "+12125550102", "Bo", Map.of(), null, "US"),
                new NewContact(4, "+12125550104", "Cy", Map.of(), null, "US")),
                List.of(new Rejection(3, "phone", "is not a phone number")), 0, 0));
        return id;
    }

    private static JsonNode get(int port, String token, String path) throws Exception {
        HttpResponse<String> r = ApiServer.send(port, "GET", path, token, null, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return ApiServer.json(r);
    }
}
