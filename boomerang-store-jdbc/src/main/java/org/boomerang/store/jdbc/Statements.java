package org.boomerang.store.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.boomerang.common.BoomerangException;

/**
 * Runs one SQL statement on a pooled connection in auto-commit mode, binding parameters by type
 * ({@code null} binds as SQL NULL of the given column kind) and turning {@link SQLException} into
 * {@code DATABASE_UNAVAILABLE}. Thread-safe.
 */
final class Statements {
    /** A row mapper that may throw SQLException. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A typed SQL NULL for a parameter. */
    record Null(int sqlType) {}

    static final Null NULL_TEXT = new Null(Types.VARCHAR);
    static final Null NULL_LONG = new Null(Types.BIGINT);

    private final DataSource ds;
    private final String where;

    Statements(DataSource ds, String where) {
        this.ds = requireNonNull(ds, "ds is null");
        this.where = requireNonNull(where, "where is null");
    }

    int update(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    <T> List<T> query(String sql, Row<T> row, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> all = query(sql, row, params);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            switch (p) {
                case Null n -> ps.setNull(i + 1, n.sqlType());
                case String s -> ps.setString(i + 1, s);
                case Long l -> ps.setLong(i + 1, l);
                case Integer n -> ps.setInt(i + 1, n);
                case null -> throw new IllegalArgumentException("bind a typed Null, not null, at parameter " + (i + 1));
                default -> throw new IllegalArgumentException("cannot bind " + p.getClass() + " at parameter " + (i + 1));
            }
        }
    }

    private BoomerangException failed(String sql, SQLException e) {
        String verb = sql.strip().split("\\s+", 2)[0];
        return new BoomerangException(StoreError.DATABASE_UNAVAILABLE,
                "control database " + where + ": " + verb + " failed: " + e.getMessage(),
                "check that the database is reachable and has space; the operation can be retried", e);
    }
}
