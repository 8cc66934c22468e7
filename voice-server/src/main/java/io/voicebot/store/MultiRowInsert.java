package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * INSERT ... VALUES (...), (...), ... of up to {@link #MAX_ROWS} rows per statement: one round trip per chunk on
 * MariaDB and H2 alike, without relying on the driver's batch rewriting.
 */
final class MultiRowInsert {
    static final int MAX_ROWS = 1000;

    /** Binds one row's values starting at parameter {@code first}. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement ps, int first, T row) throws SQLException;
    }

    private final String head;
    private final String rowMarks;
    private final int columns;

    MultiRowInsert(String table, String... columns) {
        this.head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        this.rowMarks = "(" + String.join(", ", Collections.nCopies(columns.length, "?")) + ")";
        this.columns = columns.length;
    }

    /** Inserts every row, in order; returns how many were inserted. */
    <T> int insert(Connection c, List<T> rows, Binder<T> binder) throws SQLException {
        int done = 0;
        for (int from = 0; from < rows.size(); from += MAX_ROWS) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS));
            try (PreparedStatement ps = c.prepareStatement(head + String.join(", ",
                    Collections.nCopies(chunk.size(), rowMarks)))) {
                int first = 1;
                for (T row : chunk) {
                    binder.bind(ps, first, row);
                    first += columns;
                }
                done += ps.executeUpdate();
            }
        }
        return done;
    }
}
