package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Forward-only reads that never hold a whole result in memory. */
final class Cursors {

    /** Rows H2 hands over at a time. */
    static final int H2_FETCH = 1000;

    /**
     * Makes {@code ps} (TYPE_FORWARD_ONLY, CONCUR_READ_ONLY) stream its rows: MySQL Connector/J reads row by row
     * only with a fetch size of Integer.MIN_VALUE (the connection then runs nothing else until the result is
     * closed); H2 fetches {@link #H2_FETCH} rows at a time.
     */
    static void stream(Database db, PreparedStatement ps) throws SQLException {
        ps.setFetchSize(db.isH2() ? H2_FETCH : Integer.MIN_VALUE);
    }

    private Cursors() {}
}
