package io.voicebot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
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
        try (Bound b = bind(c, rows, row, binder)) {
            return b.execute();
        }
    }

    /**
     * Prepares and binds the statements of {@link #insert(Connection, List, String, Binder)} without running them:
     * with the driver's client-side statements this only builds the text (no round trip), so it can be done before
     * taking a lock. Run them with {@link Bound#execute}; close them in any case.
     */
    <T> Bound bind(Connection c, List<T> rows, String row, Binder<T> binder) throws SQLException {
        int marks = (int) row.chars().filter(ch -> ch == '?').count();
        Bound bound = new Bound();
        try {
            for (int from = 0; from < rows.size(); from += MAX_ROWS) {
                List<T> chunk = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS));
                PreparedStatement ps = c.prepareStatement(head + String.join(", ",
                        Collections.nCopies(chunk.size(), row)));
                bound.statements.add(ps);
                int first = 1;
                for (T r : chunk) {
                    binder.bind(ps, first, r);
                    first += marks;
                }
            }
            return bound;
        } catch (SQLException | RuntimeException e) {
            bound.close();
            throw e;
        }
    }

    /** Bound INSERT statements, run in order. */
    static final class Bound implements AutoCloseable {
        private final List<PreparedStatement> statements = new ArrayList<>(1);

        /** Runs every statement; returns how many rows were inserted. */
        int execute() throws SQLException {
            int done = 0;
            for (PreparedStatement ps : statements) {
                done += ps.executeUpdate();
            }
            return done;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement ps : statements) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            statements.clear();
            if (first != null) {
                throw first;
            }
        }
    }
}
