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
    private final int columns;

    MultiRowInsert(String table, String... columns) {
        this.head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        this.columns = columns.length;
    }

    /** Inserts every row with a ? for each column; returns how many were inserted. */
    <T> int insert(Connection c, List<T> rows, Binder<T> binder) throws SQLException {
        return insert(c, rows, "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")", binder);
    }

    /**
     * Inserts every row as {@code row}, a parenthesized list of one value per column in which the values that are
     * the same for every row are SQL literals the caller made safe (numbers, its own time stamps) and the others
     * ?: fewer parameters to bind and escape per row.
     */
    <T> int insert(Connection c, List<T> rows, String row, Binder<T> binder) throws SQLException {
        int marks = (int) row.chars().filter(ch -> ch == '?').count();
        int done = 0;
        for (int from = 0; from < rows.size(); from += MAX_ROWS) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS));
            try (PreparedStatement ps = c.prepareStatement(head + String.join(", ",
                    Collections.nCopies(chunk.size(), row)))) {
                int first = 1;
                for (T r : chunk) {
                    binder.bind(ps, first, r);
                    first += marks;
                }
                done += ps.executeUpdate();
            }
        }
        return done;
    }
}
