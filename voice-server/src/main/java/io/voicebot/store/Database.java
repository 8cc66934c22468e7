package io.voicebot.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.voicebot.config.VoicebotConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The connection pool (HikariCP) and the schema (Flyway, classpath:db/migration). Callers must not use it
 * from Netty's event loop: every method may block for up to the connection timeout.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** A unit of JDBC work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final boolean h2;

    private Database(HikariDataSource pool, boolean h2) {
        this.pool = pool;
        this.h2 = h2;
    }

    /** Opens the pool and checks that one connection can be had; does not migrate. */
    public static Database connect(VoicebotConfig.Db cfg) {
        return connect(cfg, null);
    }

    /** As above, the pool reporting its gauges and timers (hikaricp_*) to {@code meters} when not null. */
    public static Database connect(VoicebotConfig.Db cfg, io.micrometer.core.instrument.MeterRegistry meters) {
        HikariConfig hc = new HikariConfig();
        if (meters != null) {
            hc.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(meters));
        }
        // Only MySQL Connector/J is bundled; it speaks to MariaDB too.
        String url = cfg.url().startsWith("jdbc:mariadb:") ? "jdbc:mysql:" + cfg.url().substring(13) : cfg.url();
        hc.setJdbcUrl(url);
        hc.setUsername(cfg.user());
        hc.setPassword(cfg.password());
        hc.setMaximumPoolSize(cfg.poolSize());
        hc.setMinimumIdle(Math.min(2, cfg.poolSize()));
        hc.setConnectionTimeout(cfg.connectionTimeout().toMillis());
        hc.setValidationTimeout(Math.min(cfg.connectionTimeout().toMillis(), 3000));
        // Fail at start-up, not on the first call, when the database is unreachable.
        hc.setInitializationFailTimeout(cfg.connectionTimeout().toMillis());
        hc.setPoolName("voicebot-db");
        hc.setAutoCommit(true);
        if (!cfg.isH2()) {
            // DATETIME columns hold UTC; keep the driver from shifting values by the JVM's zone.
            hc.addDataSourceProperty("connectionTimeZone", "UTC");
            hc.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
            hc.addDataSourceProperty("characterEncoding", "utf8");
            // Keeps the parsed form of prepared statements per connection, so a list import's thousand-row
            // INSERT (the same text batch after batch) is not scanned for its thousands of ? every time.
            hc.addDataSourceProperty("cachePrepStmts", "true");
            hc.addDataSourceProperty("prepStmtCacheSize", "64");
            hc.addDataSourceProperty("prepStmtCacheSqlLimit", "1000000");
            // Connector/J traces every statement when an OpenTelemetry API is on the class path (a dependency
            // can bring one); voicebot's own metrics cover the pool.
            hc.addDataSourceProperty("openTelemetry", "DISABLED");
        }
        try {
            HikariDataSource ds = new HikariDataSource(hc);
            log.info("database pool open: {}", redactUrl(url));
            return new Database(ds, cfg.isH2());
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to database " + redactUrl(url) + ": " + rootMessage(e), e);
        }
    }

    /** Applies pending migrations; returns how many ran. */
    public int migrate() {
        Flyway flyway = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load();
        try {
            MigrateResult r = flyway.migrate();
            log.info("database schema at version {} ({} migration(s) applied)",
                    r.targetSchemaVersion == null ? flyway.info().current().getVersion() : r.targetSchemaVersion,
                    r.migrationsExecuted);
            return r.migrationsExecuted;
        } catch (RuntimeException e) {
            throw new StoreException("database migration failed: " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public boolean isH2() {
        return h2;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T query(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Attempts of a transaction the database chose as a deadlock victim (it rolled back; nothing was kept). */
    static final int DEADLOCK_ATTEMPTS = 4;

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A transaction
     * the database rolled back to break a deadlock is run again (up to {@link #DEADLOCK_ATTEMPTS} times), as
     * MySQL/MariaDB ask: {@code work} must only touch the connection.
     */
    public <T> T transaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (isDeadlock(e) && attempt < DEADLOCK_ATTEMPTS) {
                    log.debug("transaction chosen as deadlock victim (attempt {}); running it again", attempt);
                    backOff(attempt);
                    continue;
                }
                throw new StoreException(e.getMessage(), e);
            }
        }
    }

    /** SQLState 40001 (serialization failure) or MySQL error 1213 (deadlock). */
    static boolean isDeadlock(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("40001".equals(s.getSQLState()) || s.getErrorCode() == 1213)) {
                return true;
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a transaction", ie);
        }
    }

    /** True when a connection can be had and answers within {@code timeout}. */
    public boolean isHealthy(Duration timeout) {
        if (pool.isClosed()) {
            return false;
        }
        try (Connection c = pool.getConnection()) {
            return c.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A JDBC URL safe to log: password parameters are hidden. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=****");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
