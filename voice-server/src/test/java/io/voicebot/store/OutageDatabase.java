package io.voicebot.store;

import io.voicebot.config.VoicebotConfig;
import org.h2.tools.Server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh test database reached through a {@link TcpProxy}, so a test can take the database away and bring it
 * back: MariaDB when the run selects it, else H2 in server mode (embedded H2 has no connection to cut).
 */
public final class OutageDatabase implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:mysql://)([^/:]+)(?::(\\d+))?(/.*)$");

    private final TestDatabase tdb;
    private final Server h2;
    private final TcpProxy proxy;
    private final Map<String, String> overrides;

    private OutageDatabase(TestDatabase tdb, Server h2, TcpProxy proxy, Map<String, String> overrides) {
        this.tdb = tdb;
        this.h2 = h2;
        this.proxy = proxy;
        this.overrides = overrides;
    }

    public static OutageDatabase start() throws Exception {
        Map<String, String> o = new HashMap<>();
        if (TestDatabase.selectedIsMysql()) {
            TestDatabase tdb = TestDatabase.fresh();
            Map<String, String> direct = tdb.overrides();
            Matcher m = HOST_PORT.matcher(direct.get("db.url"));
            if (!m.matches()) {
                throw new IllegalStateException("cannot relay " + direct.get("db.url"));
            }
            TcpProxy proxy = new TcpProxy(m.group(2), m.group(3) == null ? 3306 : Integer.parseInt(m.group(3)));
            o.putAll(direct);
            o.put("db.url", m.group(1) + "127.0.0.1:" + proxy.port() + m.group(4));
            return new OutageDatabase(tdb, null, proxy, o);
        }
        // DB_CLOSE_DELAY=-1: the server keeps the database open while the relay has no connection to it
        Path dir = Files.createTempDirectory("voicebot-h2-server-");
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        TcpProxy proxy = new TcpProxy("127.0.0.1", h2.getPort());
        o.put("db.url", "jdbc:h2:tcp://127.0.0.1:" + proxy.port()
                + "/outage;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        o.put("db.user", "voicebot");
        o.put("db.password", "");
        return new OutageDatabase(null, h2, proxy, o);
    }

    /** db.url, db.user, db.password reaching the database through the relay. */
    public Map<String, String> overrides() {
        return Map.copyOf(overrides);
    }

    /** A pool through the relay, migrated, waiting at most {@code connectionTimeout} for a connection. */
    public Database connect(Duration connectionTimeout) {
        Database db = Database.connect(new VoicebotConfig.Db(overrides.get("db.url"), overrides.get("db.user"),
                overrides.get("db.password"), 4, connectionTimeout));
        db.migrate();
        return db;
    }

    public void cut() {
        proxy.cut();
    }

    public void restore() {
        proxy.restore();
    }

    @Override
    public void close() {
        proxy.close();
        if (h2 != null) {
            h2.stop();
        }
        if (tdb != null) {
            tdb.close();
        }
    }
}
