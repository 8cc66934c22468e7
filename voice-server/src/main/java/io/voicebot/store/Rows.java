package io.voicebot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reading a query's rows into a list, one {@link Reader} call per row. */
final class Rows {
    /** One row to one value; the result set is positioned on the row. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Rows() {}

    /** Executes {@code ps} (its parameters bound) and reads every row, in order. */
    static <T> List<T> list(PreparedStatement ps, Reader<T> reader) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(reader.read(rs));
            }
            return out;
        }
    }
}
